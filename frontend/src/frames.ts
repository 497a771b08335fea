/** Reading the hub's frames: plain functions, no socket. */
import { isServerMessageType, type FrameValidator, type ServerMessage } from "./types.js";

/** One validator per server message type, as in `SERVER_MESSAGE_VALIDATORS` (validators.ts). */
export type ServerMessageValidators = Readonly<Record<string, FrameValidator>>;

export type ParsedFrame =
  /** A message of a type this client knows. */
  | { readonly kind: "message"; readonly message: ServerMessage }
  /**
   * A message of a type this client does not know (a newer hub's): handed to no handler, but its
   * `seq`, when it has one, still counts in the user's stream.
   */
  | { readonly kind: "unknown_type"; readonly type: string; readonly seq?: number; readonly id?: string }
  /** Not a message: why, for the log and the error path. */
  | { readonly kind: "invalid"; readonly error: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parse one text frame into a message.
 *
 * Always checked: the frame is a JSON object with a string `type`. Forward compatible: a `type`
 * this client does not know is `unknown_type`, not an error, and fields it does not know are
 * kept and ignored, so a hub that adds a type or an optional field breaks no deployed client.
 *
 * With `validators` (for development: the client passes them under `validateFrames`) a known
 * type's frame is checked whole (envelope and payload) by its validator, generated from
 * `schemas/`, and an unknown type's envelope (`id`, `timestamp`, `payload`, `seq`) is checked.
 * Without them, the frame is trusted like any JSON the app fetches: the hub validates every
 * message before sending it, and the contract tests prove that.
 */
export function parseFrame(data: unknown, validators?: ServerMessageValidators): ParsedFrame {
  if (typeof data !== "string") return invalid("not a text frame");
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    return invalid(`not JSON: ${(error as Error).message}`);
  }
  if (!isObject(value) || typeof value.type !== "string") return invalid("not an object with a string `type`");
  const type = value.type;
  if (!isServerMessageType(type)) {
    const problem = validators !== undefined ? envelopeProblem(value) : undefined;
    if (problem !== undefined) return invalid(`${type}: ${problem}`);
    return {
      kind: "unknown_type",
      type,
      ...(Number.isSafeInteger(value.seq) ? { seq: value.seq as number } : {}),
      ...(typeof value.id === "string" ? { id: value.id } : {}),
    };
  }
  if (validators !== undefined) {
    const problem = schemaProblem(validators[type], value);
    if (problem !== undefined) return invalid(`${type}: ${problem}`);
  }
  return { kind: "message", message: value as unknown as ServerMessage };
}

function invalid(error: string): ParsedFrame {
  return { kind: "invalid", error };
}

/** The first way `value` breaks its type's schema, as `<JSON pointer> <what>`; undefined when valid. */
function schemaProblem(validator: FrameValidator | undefined, value: unknown): string | undefined {
  if (validator === undefined || validator(value)) return undefined;
  const error = validator.errors?.[0];
  if (error === undefined) return "does not match its schema";
  const extra = error.keyword === "additionalProperties" ? ` (${String(error.params.additionalProperty)})` : "";
  return `${error.instancePath || "/"} ${error.message ?? error.keyword}${extra}`;
}

/** What every message of every version has. */
function envelopeProblem(value: Record<string, unknown>): string | undefined {
  if (typeof value.id !== "string") return "`id` is not a string";
  if (typeof value.timestamp !== "string") return "`timestamp` is not a string";
  if (!isObject(value.payload)) return "`payload` is not an object";
  if ("seq" in value && !Number.isSafeInteger(value.seq)) return "`seq` is not an integer";
  return undefined;
}
