// Compiles the entry schema into one TypeScript module of message types.
// Usage: node codegen/typescript.mjs <entry-schema> <output-file>
import { compileFromFile } from "json-schema-to-typescript";
import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";

const [entry, output] = process.argv.slice(2);
if (!entry || !output) {
  console.error("usage: node codegen/typescript.mjs <entry-schema> <output-file>");
  process.exit(2);
}

const source = await compileFromFile(entry, {
  cwd: dirname(entry),
  bannerComment:
    "/* Generated from schemas/ by `make codegen`. Do not edit by hand. */",
  unreachableDefinitions: true,
  additionalProperties: false,
  strictIndexSignatures: true,
  format: true,
  style: { singleQuote: false, semi: true, printWidth: 100 },
});
await writeFile(output, source);
