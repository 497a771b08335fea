/* Generated from schemas/ by `make codegen`. Do not edit by hand. */

/**
 * Any frame the hub sends to a client.
 *
 * This interface was referenced by `Notifyhub`'s JSON-Schema
 * via the `definition` "ServerMessage".
 */
export type ServerMessage =
  | BookReadyMessage
  | ConnectionEstablishedMessage
  | ErrorMessage
  | LearningUpdateMessage
  | NotificationMessage
  | OcrProgressMessage
  | PongMessage
  | ReadReceiptMessage
  | ReviewReminderMessage;
/**
 * Why the hub could not act on a frame the client sent.
 */
export type ErrorCode =
  | "invalid_json"
  | "invalid_message"
  | "unknown_type"
  | "message_too_large"
  | "rate_limited"
  | "internal";
/**
 * How the toast is styled.
 */
export type NotificationLevel = "info" | "success" | "warning" | "error";
/**
 * Where the OCR run stands.
 */
export type OcrStatus = "pending" | "processing" | "completed" | "failed";
/**
 * Any frame a client may send to the hub.
 *
 * This interface was referenced by `Notifyhub`'s JSON-Schema
 * via the `definition` "ClientFrame".
 */
export type ClientFrame = AckFrame | PingFrame | ReadFrame;

/**
 * Entry point: every frame the hub sends (`ServerMessage`) and every frame a client may send (`ClientFrame`). The WebSocket subprotocol is `x-subprotocol`; a browser passes its token as a second offered subprotocol, `x-bearer-subprotocol-prefix` followed by the JWT.
 */
export interface Notifyhub {
  [k: string]: unknown | undefined;
}
/**
 * A book has been processed and its lessons can be opened.
 */
export interface BookReadyMessage {
  /**
   * The message type; selects the payload schema.
   */
  type: "book_ready";
  /**
   * Unique id of this message, stamped by the hub.
   */
  id: string;
  /**
   * When the hub accepted the message (UTC).
   */
  timestamp: string;
  /**
   * Position of this message in the user's stream: 1, 2, 3, ... with no holes within one epoch. Present on messages sent to a user; absent on broadcasts and on the hub's own replies.
   */
  seq?: number;
  payload: BookReadyPayload;
}
/**
 * The payload of a `book_ready` message.
 *
 * This interface was referenced by `BookReadyMessage`'s JSON-Schema
 * via the `definition` "BookReadyPayload".
 */
export interface BookReadyPayload {
  /**
   * The book that is ready.
   */
  book_id: string;
  /**
   * The book's title.
   */
  title: string;
  /**
   * Pages in the book.
   */
  total_pages: number;
  /**
   * Optional link that opens the book in the app. Only `http`, `https` and the app's `hailango` scheme (any case) are accepted, so it is safe in an `<a href>`.
   */
  url?: string;
}
/**
 * The first frame on every accepted connection: who the hub thinks you are and the limits it applies.
 */
export interface ConnectionEstablishedMessage {
  /**
   * The message type; selects the payload schema.
   */
  type: "connection_established";
  /**
   * Unique id of this message, stamped by the hub.
   */
  id: string;
  /**
   * When the hub accepted the message (UTC).
   */
  timestamp: string;
  payload: ConnectionEstablishedPayload;
}
/**
 * The payload of a `connection_established` message.
 *
 * This interface was referenced by `ConnectionEstablishedMessage`'s JSON-Schema
 * via the `definition` "ConnectionEstablishedPayload".
 */
export interface ConnectionEstablishedPayload {
  /**
   * Id of this connection, unique across hubs.
   */
  connection_id: string;
  /**
   * The authenticated user (the token's `user_id` claim).
   */
  user_id: string;
  /**
   * The hub's clock when the connection was accepted.
   */
  server_time: string;
  /**
   * How often the hub sends a protocol-level ping.
   */
  ping_interval_seconds: number;
  /**
   * The hub closes a connection from which nothing arrived for this long.
   */
  idle_timeout_seconds: number;
  /**
   * The largest frame the hub accepts from the client, after decompression.
   */
  max_message_bytes: number;
  /**
   * When the token expires; the hub closes the connection then with close code 4001.
   */
  token_expires_at: string;
  /**
   * Identity of the user's message stream. It changes when the hub loses the stream's history; `seq` values from another epoch mean nothing in this one.
   */
  epoch: string;
  /**
   * The highest `seq` in the user's stream when the connection opened (0: none yet). Replayed messages follow this frame.
   */
  last_seq: number;
  /**
   * True when the position in `since` was resumed exactly: every message after it is replayed. False when there was no `since`, or it was from another epoch or older than the kept history; the app should then refetch its state from its REST API.
   */
  recovered: boolean;
  /**
   * The highest `seq` any connection of the user has acknowledged.
   */
  acked_seq: number;
  /**
   * The highest `seq` the user has marked read.
   */
  read_seq: number;
}
/**
 * The hub could not act on a frame the client sent; the connection stays open.
 */
export interface ErrorMessage {
  /**
   * The message type; selects the payload schema.
   */
  type: "error";
  /**
   * Unique id of this message, stamped by the hub.
   */
  id: string;
  /**
   * When the hub accepted the message (UTC).
   */
  timestamp: string;
  payload: ErrorPayload;
}
/**
 * The payload of a `error` message.
 *
 * This interface was referenced by `ErrorMessage`'s JSON-Schema
 * via the `definition` "ErrorPayload".
 */
export interface ErrorPayload {
  code: ErrorCode;
  /**
   * What went wrong, for a developer.
   */
  message: string;
  /**
   * Optional machine-readable context, such as the failing field.
   */
  details?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * Statistics of a study session, sent when the session ends or advances.
 */
export interface LearningUpdateMessage {
  /**
   * The message type; selects the payload schema.
   */
  type: "learning_update";
  /**
   * Unique id of this message, stamped by the hub.
   */
  id: string;
  /**
   * When the hub accepted the message (UTC).
   */
  timestamp: string;
  /**
   * Position of this message in the user's stream: 1, 2, 3, ... with no holes within one epoch. Present on messages sent to a user; absent on broadcasts and on the hub's own replies.
   */
  seq?: number;
  payload: LearningUpdatePayload;
}
/**
 * The payload of a `learning_update` message.
 *
 * This interface was referenced by `LearningUpdateMessage`'s JSON-Schema
 * via the `definition` "LearningUpdatePayload".
 */
export interface LearningUpdatePayload {
  /**
   * The study session.
   */
  session_id: string;
  /**
   * Optional: the book studied in the session.
   */
  book_id?: string;
  /**
   * Words learned in the session.
   */
  words_learned: number;
  /**
   * Pages read in the session.
   */
  pages_read: number;
  /**
   * Time spent studying, in seconds.
   */
  study_seconds: number;
  /**
   * Share of correct answers, 0 to 1.
   */
  accuracy: number;
  /**
   * Consecutive days with a study session, this one included.
   */
  streak_days: number;
}
/**
 * A general notification for the user, shown as a toast.
 */
export interface NotificationMessage {
  /**
   * The message type; selects the payload schema.
   */
  type: "notification";
  /**
   * Unique id of this message, stamped by the hub.
   */
  id: string;
  /**
   * When the hub accepted the message (UTC).
   */
  timestamp: string;
  /**
   * Position of this message in the user's stream: 1, 2, 3, ... with no holes within one epoch. Present on messages sent to a user; absent on broadcasts and on the hub's own replies.
   */
  seq?: number;
  payload: NotificationPayload;
}
/**
 * The payload of a `notification` message.
 *
 * This interface was referenced by `NotificationMessage`'s JSON-Schema
 * via the `definition` "NotificationPayload".
 */
export interface NotificationPayload {
  /**
   * Short heading.
   */
  title: string;
  /**
   * Body text.
   */
  message: string;
  level: NotificationLevel;
  /**
   * Optional link the toast opens. Only `http`, `https` and the app's `hailango` scheme (any case) are accepted, so it is safe in an `<a href>`.
   */
  action_url?: string;
}
/**
 * Progress of the OCR run over an uploaded book.
 */
export interface OcrProgressMessage {
  /**
   * The message type; selects the payload schema.
   */
  type: "ocr_progress";
  /**
   * Unique id of this message, stamped by the hub.
   */
  id: string;
  /**
   * When the hub accepted the message (UTC).
   */
  timestamp: string;
  /**
   * Position of this message in the user's stream: 1, 2, 3, ... with no holes within one epoch. Present on messages sent to a user; absent on broadcasts and on the hub's own replies.
   */
  seq?: number;
  payload: OcrProgressPayload;
}
/**
 * The payload of a `ocr_progress` message.
 *
 * This interface was referenced by `OcrProgressMessage`'s JSON-Schema
 * via the `definition` "OcrProgressPayload".
 */
export interface OcrProgressPayload {
  /**
   * The book being processed.
   */
  book_id: string;
  /**
   * Pages in the book.
   */
  total_pages: number;
  /**
   * Pages done so far; never more than `total_pages` (checked by the hub).
   */
  processed_pages: number;
  /**
   * Percent complete, 0 to 100.
   */
  progress: number;
  status: OcrStatus;
  /**
   * Optional human-readable detail, such as the reason for a failure.
   */
  message?: string;
}
/**
 * The reply to a client `ping`.
 */
export interface PongMessage {
  /**
   * The message type; selects the payload schema.
   */
  type: "pong";
  /**
   * Unique id of this message, stamped by the hub.
   */
  id: string;
  /**
   * When the hub accepted the message (UTC).
   */
  timestamp: string;
  payload: PongPayload;
}
/**
 * The payload of a `pong` message.
 *
 * This interface was referenced by `PongMessage`'s JSON-Schema
 * via the `definition` "PongPayload".
 */
export interface PongPayload {
  /**
   * The hub's clock when it answered.
   */
  server_time: string;
}
/**
 * Another connection of the same user marked messages read up to `seq`: clear the badge for them.
 */
export interface ReadReceiptMessage {
  /**
   * The message type; selects the payload schema.
   */
  type: "read_receipt";
  /**
   * Unique id of this message, stamped by the hub.
   */
  id: string;
  /**
   * When the hub accepted the message (UTC).
   */
  timestamp: string;
  payload: ReadReceiptPayload;
}
/**
 * The payload of a `read_receipt` message.
 *
 * This interface was referenced by `ReadReceiptMessage`'s JSON-Schema
 * via the `definition` "ReadReceiptPayload".
 */
export interface ReadReceiptPayload {
  /**
   * Every message up to and including this `seq` is read.
   */
  read_seq: number;
}
/**
 * Spaced-repetition reviews are due.
 */
export interface ReviewReminderMessage {
  /**
   * The message type; selects the payload schema.
   */
  type: "review_reminder";
  /**
   * Unique id of this message, stamped by the hub.
   */
  id: string;
  /**
   * When the hub accepted the message (UTC).
   */
  timestamp: string;
  /**
   * Position of this message in the user's stream: 1, 2, 3, ... with no holes within one epoch. Present on messages sent to a user; absent on broadcasts and on the hub's own replies.
   */
  seq?: number;
  payload: ReviewReminderPayload;
}
/**
 * The payload of a `review_reminder` message.
 *
 * This interface was referenced by `ReviewReminderMessage`'s JSON-Schema
 * via the `definition` "ReviewReminderPayload".
 */
export interface ReviewReminderPayload {
  /**
   * How many reviews are due now.
   */
  due_count: number;
  /**
   * Optional: the book whose reviews are due; absent for reviews across books.
   */
  book_id?: string;
  /**
   * Optional text to show.
   */
  message?: string;
}
/**
 * Acknowledges every message of the user up to and including `seq` (cumulative, for all of the user's connections). Acknowledged messages are not replayed to a connection that opens without `since`.
 */
export interface AckFrame {
  /**
   * The frame type.
   */
  type: "ack";
  /**
   * The highest `seq` the client has handled.
   */
  seq: number;
}
/**
 * The client's application-level heartbeat; the hub answers with `pong`.
 */
export interface PingFrame {
  /**
   * The frame type.
   */
  type: "ping";
}
/**
 * Marks every message up to and including `seq` read; the hub sends `read_receipt` to the user's other connections.
 */
export interface ReadFrame {
  /**
   * The frame type.
   */
  type: "read";
  /**
   * The highest `seq` the user has read.
   */
  seq: number;
}
