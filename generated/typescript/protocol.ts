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

/** The WebSocket subprotocol the hub speaks: `notifyhub.v` and the major protocol version. */
export const SUBPROTOCOL = "notifyhub.v1";

/** The protocol version these types describe (major.minor.patch). */
export const PROTOCOL_VERSION = "1.3.0";

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

/** Why the hub refused an HTTP request (the `error` of the refusal's JSON body). */
export const RefusalReason = {
  /** 401: No token in the Authorization header, a `bearer.` subprotocol offer or the `token` query parameter. */
  MISSING_TOKEN: "missing_token",
  /** 401: The token is not a well-formed JWT. */
  MALFORMED_TOKEN: "malformed_token",
  /** 401: The token's signature does not verify with the hub's key. */
  INVALID_SIGNATURE: "invalid_signature",
  /** 401: The token is signed with an algorithm outside `NOTIFYHUB_JWT_ALGORITHMS` (`none` is never allowed). */
  DISALLOWED_ALGORITHM: "disallowed_algorithm",
  /** 401: The token's `exp` has passed (beyond `NOTIFYHUB_JWT_LEEWAY_SECONDS`). */
  TOKEN_EXPIRED: "token_expired",
  /** 401: The token's `nbf` or `iat` is in the future (beyond `NOTIFYHUB_JWT_LEEWAY_SECONDS`). */
  TOKEN_NOT_YET_VALID: "token_not_yet_valid",
  /** 401: The token lacks a required claim (`user_id`, `email`, `exp`, or `aud`/`iss` when configured); `detail` names it. */
  MISSING_CLAIM: "missing_claim",
  /** 401: A claim has the wrong type or is out of range (a `user_id` that is not a UUID, an `exp` that is not a number a date can hold); `detail` names it. */
  INVALID_CLAIM: "invalid_claim",
  /** 401: The token's `aud` is not `NOTIFYHUB_JWT_AUDIENCE`. */
  INVALID_AUDIENCE: "invalid_audience",
  /** 401: The token's `iss` is not `NOTIFYHUB_JWT_ISSUER`. */
  INVALID_ISSUER: "invalid_issuer",
  /** 401: The hub has no `NOTIFYHUB_JWT_SECRET`, so it accepts no token. */
  NOT_CONFIGURED: "not_configured",
  /** 400: Several `bearer.` subprotocol offers, or a token in more than one of the Authorization header, the subprotocol and the `token` query parameter. */
  AMBIGUOUS_TOKEN: "ambiguous_token",
  /** 401: The service API needs `Authorization: Bearer <key>` with one of `NOTIFYHUB_SERVICE_KEYS`. */
  INVALID_SERVICE_KEY: "invalid_service_key",
  /** 401: An operations endpoint (metrics, stats, presence) needs the operations key. */
  OPERATIONS_KEY_REQUIRED: "operations_key_required",
  /** 403: A browser origin not in `NOTIFYHUB_ALLOWED_ORIGINS`. */
  ORIGIN_NOT_ALLOWED: "origin_not_allowed",
  /** 429: The user already holds `NOTIFYHUB_MAX_CONNECTIONS_PER_USER` connections. */
  TOO_MANY_CONNECTIONS: "too_many_connections",
  /** 400: Subprotocols were offered, but no protocol version the hub speaks (`notifyhub.v<major>`); the answer's `supported` lists those it does. */
  UNSUPPORTED_SUBPROTOCOL: "unsupported_subprotocol",
  /** 400: The `since` query parameter is not a stream position the hub can read, or `since_id` is not a message id. */
  INVALID_SINCE: "invalid_since",
  /** 400: The idempotency key is empty, too long or has characters it may not have. */
  INVALID_IDEMPOTENCY_KEY: "invalid_idempotency_key",
  /** 400: The request is not HTTP/1.1 (a WebSocket upgrade needs HTTP/1.1). */
  UNSUPPORTED_HTTP_VERSION: "unsupported_http_version",
  /** 400: A WebSocket upgrade that announces a body (`Content-Length` or `Transfer-Encoding`); a handshake is a GET without one (RFC 6455 section 4.1). */
  INVALID_UPGRADE: "invalid_upgrade",
  /** 408: The request head or body did not arrive within its time limit. */
  REQUEST_TIMEOUT: "request_timeout",
  /** 413: The request body is larger than the route accepts (`NOTIFYHUB_MAX_PUBLISH_BYTES` for the service API, `NOTIFYHUB_PUSH_MAX_BODY_BYTES` for push subscriptions). */
  BODY_TOO_LARGE: "body_too_large",
  /** 414: The request target (path and query) is longer than the hub reads. */
  REQUEST_TARGET_TOO_LARGE: "request_target_too_large",
  /** 422: The body is not valid against its schema; `errors` names each failing field by JSON pointer. */
  INVALID_MESSAGE: "invalid_message",
  /** 422: The idempotency key was already used for a different request. */
  IDEMPOTENCY_KEY_REUSED: "idempotency_key_reused",
  /** 431: The request head has more bytes or more header fields than the hub reads. */
  REQUEST_HEAD_TOO_LARGE: "request_head_too_large",
  /** 503: The backend (Redis) is unreachable; nothing was sent. */
  BACKEND_UNAVAILABLE: "backend_unavailable",
  /** 503: The hub is at its connection or memory limit; try again later. */
  SERVER_BUSY: "server_busy",
  /** 504: The backend did not answer in time: the message may or may not have been sent. */
  OUTCOME_UNKNOWN: "outcome_unknown",
  /** 500: The app runs under a server without notifyhub's WebSocket transport; run `notifyhub serve`. */
  UNSUPPORTED_SERVER: "unsupported_server",
  /** 404: Web Push is off on this hub: it has no `NOTIFYHUB_VAPID_PRIVATE_KEY`, so it has no public key to give and sends no pushes. */
  PUSH_NOT_CONFIGURED: "push_not_configured",
  /** 409: The user already has `NOTIFYHUB_MAX_PUSH_SUBSCRIPTIONS_PER_USER` push subscriptions; removing one (or one expiring) makes room. */
  TOO_MANY_PUSH_SUBSCRIPTIONS: "too_many_push_subscriptions",
} as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];

/** The HTTP status each refusal reason always comes with. */
export const REFUSAL_STATUS: Readonly<Record<RefusalReason, number>> = {
  [RefusalReason.MISSING_TOKEN]: 401,
  [RefusalReason.MALFORMED_TOKEN]: 401,
  [RefusalReason.INVALID_SIGNATURE]: 401,
  [RefusalReason.DISALLOWED_ALGORITHM]: 401,
  [RefusalReason.TOKEN_EXPIRED]: 401,
  [RefusalReason.TOKEN_NOT_YET_VALID]: 401,
  [RefusalReason.MISSING_CLAIM]: 401,
  [RefusalReason.INVALID_CLAIM]: 401,
  [RefusalReason.INVALID_AUDIENCE]: 401,
  [RefusalReason.INVALID_ISSUER]: 401,
  [RefusalReason.NOT_CONFIGURED]: 401,
  [RefusalReason.AMBIGUOUS_TOKEN]: 400,
  [RefusalReason.INVALID_SERVICE_KEY]: 401,
  [RefusalReason.OPERATIONS_KEY_REQUIRED]: 401,
  [RefusalReason.ORIGIN_NOT_ALLOWED]: 403,
  [RefusalReason.TOO_MANY_CONNECTIONS]: 429,
  [RefusalReason.UNSUPPORTED_SUBPROTOCOL]: 400,
  [RefusalReason.INVALID_SINCE]: 400,
  [RefusalReason.INVALID_IDEMPOTENCY_KEY]: 400,
  [RefusalReason.UNSUPPORTED_HTTP_VERSION]: 400,
  [RefusalReason.INVALID_UPGRADE]: 400,
  [RefusalReason.REQUEST_TIMEOUT]: 408,
  [RefusalReason.BODY_TOO_LARGE]: 413,
  [RefusalReason.REQUEST_TARGET_TOO_LARGE]: 414,
  [RefusalReason.INVALID_MESSAGE]: 422,
  [RefusalReason.IDEMPOTENCY_KEY_REUSED]: 422,
  [RefusalReason.REQUEST_HEAD_TOO_LARGE]: 431,
  [RefusalReason.BACKEND_UNAVAILABLE]: 503,
  [RefusalReason.SERVER_BUSY]: 503,
  [RefusalReason.OUTCOME_UNKNOWN]: 504,
  [RefusalReason.UNSUPPORTED_SERVER]: 500,
  [RefusalReason.PUSH_NOT_CONFIGURED]: 404,
  [RefusalReason.TOO_MANY_PUSH_SUBSCRIPTIONS]: 409,
};

const KNOWN_REFUSAL_REASONS: ReadonlySet<string> = new Set(Object.values(RefusalReason));

/** Whether `error` (from a refusal body) is a reason this protocol version knows. */
export function isRefusalReason(error: unknown): error is RefusalReason {
  return typeof error === "string" && KNOWN_REFUSAL_REASONS.has(error);
}

/** Every `type` the hub sends. */
export const SERVER_MESSAGE_TYPES = [
  "book_ready",
  "connection_established",
  "error",
  "learning_update",
  "notification",
  "ocr_progress",
  "pong",
  "read_receipt",
  "review_reminder",
] as const;

/** Each server message type by its `type` string. */
export interface ServerMessageMap {
  book_ready: BookReadyMessage;
  connection_established: ConnectionEstablishedMessage;
  error: ErrorMessage;
  learning_update: LearningUpdateMessage;
  notification: NotificationMessage;
  ocr_progress: OcrProgressMessage;
  pong: PongMessage;
  read_receipt: ReadReceiptMessage;
  review_reminder: ReviewReminderMessage;
}

export type ServerMessageType = ServerMessage["type"];
/** The payload type of the message whose `type` is T. */
export type PayloadOf<T extends ServerMessageType> = ServerMessageMap[T]["payload"];
