// Compiles each message type's schema into a standalone validator (ajv's standalone code), so a
// client can check every frame fully without ajv at run time.
// Usage: node codegen/validators.mjs <schemas-dir> <output-file>, with a JSON document on stdin:
//   {"exports": {"<export name>": "<schema path under schemas-dir>"}, "formats": {"<format>": "<regex>"}}
import Ajv2020 from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { readFileSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

const BASE = "https://notifyhub.invalid/schemas/";

/** Keywords that only document: left out, so the generated code carries no prose. */
const DOCUMENTATION = new Set(["title", "description", "examples", "$comment", "discriminator"]);
/** Keywords whose value maps names to schemas (a property called `title` is not documentation). */
const SCHEMA_MAPS = new Set(["properties", "$defs", "patternProperties", "dependentSchemas"]);

function withoutDocumentation(schema) {
  if (Array.isArray(schema)) return schema.map(withoutDocumentation);
  if (typeof schema !== "object" || schema === null) return schema;
  const kept = Object.entries(schema).filter(([key]) => !DOCUMENTATION.has(key) && !key.startsWith("x-"));
  return Object.fromEntries(kept.map(([key, value]) => [key, SCHEMA_MAPS.has(key)
    ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutDocumentation(sub)]))
    : withoutDocumentation(value)]));
}

/**
 * ajv's own helper, counting code points as JSON Schema's lengths do, inlined so that the
 * generated code imports nothing.
 */
const UCS2LENGTH = (name) => `function ${name}(str) {
  let length = 0;
  for (let pos = 0; pos < str.length; length += 1) {
    const code = str.charCodeAt(pos++);
    if (code >= 0xd800 && code <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
  }
  return length;
}`;

const [schemasDir, output] = process.argv.slice(2);
if (!schemasDir || !output) {
  console.error("usage: node codegen/validators.mjs <schemas-dir> <output-file> < request.json");
  process.exit(2);
}
const request = JSON.parse(readFileSync(0, "utf8"));

const ajv = new Ajv2020({
  allErrors: false, // the first problem of a frame is enough to report it, and keeps the code small
  strict: false, // the schemas carry documentation keywords (`x-descriptions`, `discriminator`, ...)
  code: { source: true, esm: true, lines: true },
});
for (const [name, pattern] of Object.entries(request.formats)) ajv.addFormat(name, new RegExp(pattern));
for (const entry of await readdir(schemasDir, { recursive: true })) {
  if (!entry.endsWith(".json")) continue;
  const schema = withoutDocumentation(JSON.parse(await readFile(join(schemasDir, entry), "utf8")));
  ajv.addSchema(schema, BASE + relative(".", entry).split("\\").join("/"));
}
const refs = Object.fromEntries(Object.entries(request.exports).map(([name, path]) => [name, BASE + path]));
const code = standaloneCode(ajv, refs).replace(
  /const (\w+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;/g,
  (_, name) => UCS2LENGTH(name),
);
const imported = /\brequire\(|^import /m.exec(code);
if (imported) {
  console.error(`the validators would import a module at run time (${imported[0]}): inline it in codegen/validators.mjs`);
  process.exit(1);
}
await writeFile(output, code);
