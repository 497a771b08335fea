/** Reading the hub's frames: plain functions, no socket. */
import { isServerMessageType, type ServerMessage } from "./types.js";

export type ParsedFrame =
  | { readonly ok: true; readonly message: ServerMessage }
  | { readonly ok: false; readonly error: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parse one text frame into a message.
 *
 * Always checked: the frame is a JSON object with a string `type`. With `validate` (for
 * development; off by default) also the envelope every server message has: a known `type`,
 * string `id` and `timestamp`, an object `payload`, and an integer `seq` when present. Payload
 * fields are not checked here: the hub validates every message against the schema before
 * sending it, and the contract tests prove that.
 *
 * A frame of a `type` this client does not know (from a newer hub) passes when `validate` is off;
 * only `subscribeAll` handlers can receive it.
 */
export function parseFrame(data: unknown, validate: boolean): ParsedFrame {
  if (typeof data !== "string") return { ok: false, error: "not a text frame" };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  if (!isObject(value) || typeof value.type !== "string") {
    return { ok: false, error: "not an object with a string `type`" };
  }
  if (validate) {
    const problem = envelopeProblem(value);
    if (problem !== undefined) return { ok: false, error: problem };
  }
  // Trusted from here on, like any JSON the app fetches: the hub sends schema-valid messages.
  return { ok: true, message: value as unknown as ServerMessage };
}

function envelopeProblem(value: Record<string, unknown>): string | undefined {
  const type = value.type as string;
  if (!isServerMessageType(type)) return `unknown type ${JSON.stringify(type)}`;
  if (typeof value.id !== "string") return `${type}: \`id\` is not a string`;
  if (typeof value.timestamp !== "string") return `${type}: \`timestamp\` is not a string`;
  if (!isObject(value.payload)) return `${type}: \`payload\` is not an object`;
  if ("seq" in value && !Number.isInteger(value.seq)) return `${type}: \`seq\` is not an integer`;
  return undefined;
}
