/* Generated from schemas/ by `make codegen`. Do not edit by hand. */

import type {
  BookReadyMessage,
  ConnectionEstablishedMessage,
  ErrorMessage,
  LearningUpdateMessage,
  NotificationMessage,
  OcrProgressMessage,
  PongMessage,
  ReadReceiptMessage,
  ReviewReminderMessage,
  ServerMessage,
} from "./messages.js";

/** The WebSocket subprotocol the hub speaks. */
export const SUBPROTOCOL = "notifyhub.v1";

/** A browser offers `bearer.<jwt>` beside SUBPROTOCOL to pass its token. */
export const BEARER_SUBPROTOCOL_PREFIX = "bearer.";

/** WebSocket close codes the hub uses. */
export const CloseCode = {
  /** The side that closed is done; the client does not reconnect by itself. */
  NORMAL_CLOSURE: 1000,
  /** The peer is going away (a tab closing, a server stopping without restart). */
  GOING_AWAY: 1001,
  /** The connection broke a rule the hub will not relax; reconnecting would fail the same way. */
  POLICY_VIOLATION: 1008,
  /** The client sent a frame larger than `max_message_bytes` (after decompression). */
  MESSAGE_TOO_BIG: 1009,
  /** The hub hit an unexpected condition; reconnect with backoff. */
  INTERNAL_ERROR: 1011,
  /** The hub is restarting; reconnect with backoff. */
  SERVICE_RESTART: 1012,
  /** The hub is overloaded; reconnect with backoff. */
  TRY_AGAIN_LATER: 1013,
  /** The client did not read fast enough and its outgoing queue filled; reconnect. */
  SLOW_CONSUMER: 4000,
  /** The token expired while connected; reconnect with a fresh token. */
  TOKEN_EXPIRED: 4001,
  /** Nothing arrived from the client within the idle timeout; reconnect. */
  HEARTBEAT_TIMEOUT: 4002,
  /** A write to the client did not complete within the write timeout; reconnect. */
  WRITE_TIMEOUT: 4003,
  /** The hub could not continue the connection's stream without a gap; reconnect with `since` to resume or resynchronise. */
  RESYNC: 4004,
  /** The credentials are no longer accepted; get new ones before connecting again. */
  UNAUTHORIZED: 4500,
  /** A service ended this connection on purpose; do not reconnect automatically. */
  CONNECTION_REVOKED: 4501,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Known close codes after which a client reconnects with backoff. */
export const RECONNECT_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.GOING_AWAY,
  CloseCode.MESSAGE_TOO_BIG,
  CloseCode.INTERNAL_ERROR,
  CloseCode.SERVICE_RESTART,
  CloseCode.TRY_AGAIN_LATER,
  CloseCode.SLOW_CONSUMER,
  CloseCode.TOKEN_EXPIRED,
  CloseCode.HEARTBEAT_TIMEOUT,
  CloseCode.WRITE_TIMEOUT,
  CloseCode.RESYNC,
]);

const KNOWN_CLOSE_CODES: ReadonlySet<number> = new Set(Object.values(CloseCode));

/** Whether a client should reconnect after the socket closed with `code`. */
export function shouldReconnect(code: number): boolean {
  if (RECONNECT_CLOSE_CODES.has(code) || (code >= 4000 && code <= 4499)) return true;
  if ((code >= 4500 && code <= 4999) || KNOWN_CLOSE_CODES.has(code)) return false;
  return true;
}

/** Why the hub could not act on a frame a client sent. */
export const ErrorCodes = [
  "invalid_json",
  "invalid_message",
  "unknown_type",
  "message_too_large",
  "rate_limited",
  "internal",
] as const;

/** Every `type` the hub sends. */
export const SERVER_MESSAGE_TYPES = [
  "connection_established",
  "ocr_progress",
  "book_ready",
  "review_reminder",
  "learning_update",
  "notification",
  "error",
  "pong",
  "read_receipt",
] as const;

/** Each server message type by its `type` string. */
export interface ServerMessageMap {
  connection_established: ConnectionEstablishedMessage;
  ocr_progress: OcrProgressMessage;
  book_ready: BookReadyMessage;
  review_reminder: ReviewReminderMessage;
  learning_update: LearningUpdateMessage;
  notification: NotificationMessage;
  error: ErrorMessage;
  pong: PongMessage;
  read_receipt: ReadReceiptMessage;
}

export type ServerMessageType = ServerMessage["type"];
/** The payload type of the message whose `type` is T. */
export type PayloadOf<T extends ServerMessageType> = ServerMessageMap[T]["payload"];
