/**
 * Each server message type's example, read from its schema file (schemas/<catalog entry's schema>),
 * so tests that cover every type take the types from the generated catalog, never from a list.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  SERVER_MESSAGE_CATALOG,
  SERVER_MESSAGE_TYPES,
  type MessageOf,
  type ServerMessageType,
} from "../../src/types.js";

const SCHEMAS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "schemas");

/** The first `examples` entry of the schema of `type`. */
export function exampleOf<T extends ServerMessageType>(type: T): MessageOf<T> {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, SERVER_MESSAGE_CATALOG[type].schema), "utf8")) as {
    examples: MessageOf<T>[];
  };
  const [example] = schema.examples;
  if (example === undefined) throw new Error(`${SERVER_MESSAGE_CATALOG[type].schema} has no examples`);
  return example;
}

/** Every type a service may publish, in the catalog's order. */
export const SERVICE_MESSAGE_TYPES: readonly ServerMessageType[] = SERVER_MESSAGE_TYPES.filter(
  (type) => SERVER_MESSAGE_CATALOG[type].sentByServices,
);
