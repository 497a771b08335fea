/**
 * The protocol types, re-exported from `generated/typescript` (made from `schemas/` by
 * `make codegen`), and the few helper types the client builds on them.
 *
 * This is the only module of the plain client that imports the generated code statically (the
 * React bindings also re-export the generated hooks, and validators.ts, loaded on demand, the
 * generated validators); nothing in the package declares a message shape of its own.
 */
import {
  SERVER_MESSAGE_TYPES,
  type ErrorMessage,
  type PayloadOf,
  type ServerMessage,
  type ServerMessageMap,
  type ServerMessageType,
} from "../../generated/typescript/index.js";

export * from "../../generated/typescript/index.js";
// Only the validators' types: their code is the separate, lazily loaded `validators` entry point.
export type { FrameValidator, ValidationError } from "../../generated/typescript/validators.js";

/** The message whose `type` is T. */
export type MessageOf<T extends ServerMessageType> = ServerMessageMap[T];

/**
 * Receives the payload of each message of type T, its type narrowed by the `type` literal, and
 * the whole message (for `id`, `timestamp` and `seq`).
 */
export type MessageHandler<T extends ServerMessageType> = (
  payload: PayloadOf<T>,
  message: MessageOf<T>,
) => void;

/** Receives every message, whatever its type. */
export type AnyMessageHandler = (message: ServerMessage) => void;

/** One handler per message type, each optional; for `useWebSocketSubscriptions`. */
export type MessageHandlers = { [T in ServerMessageType]?: MessageHandler<T> };

const KNOWN_TYPES: ReadonlySet<string> = new Set(SERVER_MESSAGE_TYPES);

/** Whether `type` is a message type of this protocol version. */
export function isServerMessageType(type: string): type is ServerMessageType {
  return KNOWN_TYPES.has(type);
}

/**
 * An `error` message made by the client itself (it never came from the hub), such as the one sent
 * to `error` subscribers when reconnect attempts run out. `details.local` is true on these.
 */
export type LocalErrorMessage = ErrorMessage & {
  payload: { details: { local: true; reason: string } };
};
