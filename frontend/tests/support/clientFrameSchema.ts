/**
 * The contract of what a client sends: ajv compiles `schemas/` itself (not the generated code) and
 * checks a frame against `ClientFrame`, so a test fails when the client sends something the hub's
 * schema does not allow.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { repository } from "./hub.js";

const SCHEMAS = join(repository, "schemas");
const BASE = "https://notifyhub.invalid/schemas/";

function compileClientFrame() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // The formats the client frames use would go here; today they use none.
  for (const file of readdirSync(SCHEMAS, { recursive: true, encoding: "utf8" })) {
    if (file.endsWith(".json")) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, file), "utf8")) as object, BASE + file);
  }
  return ajv.getSchema(`${BASE}notifyhub.json#/$defs/ClientFrame`)!;
}

const validateClientFrame = compileClientFrame();

/** Why `data` (a sent text frame) is not a valid client frame; undefined when it is one. */
export function clientFrameProblem(data: string): string | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (validateClientFrame(frame)) return undefined;
  return JSON.stringify(validateClientFrame.errors);
}
