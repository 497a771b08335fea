/* Generated from schemas/ by `make codegen`. Do not edit by hand. */

import type { ServerMessageType } from "./protocol.js";

/** A payload field as its schema describes it. */
export interface FieldDescription {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

/** After `afterSeconds` without an acknowledgement from any device of the user, the message also goes out through `channels`. */
export interface Fallback {
  readonly afterSeconds: number;
  readonly channels: readonly ("push" | "webhook")[];
}

/**
 * How the hub delivers a type. `durable`: a `seq`, kept in history, replayed on resume. `live`: only
 * to the connections open at the time, without `seq`. `conflateBy`: a payload field; a replay skips
 * a message when a later one of the same type has the same value there (its `seq` is then skipped).
 */
export interface DeliveryPolicy {
  readonly mode: "durable" | "live";
  readonly conflateBy: string | undefined;
  readonly fallback: Fallback | undefined;
}

/** A server message type as its schema file describes it. */
export interface MessageTypeDescription<T extends ServerMessageType = ServerMessageType> {
  readonly type: T;
  /** The schema's title (the generated type's name). */
  readonly title: string;
  readonly description: string;
  /** The schema file under schemas/, such as `server/book_ready.json`. */
  readonly schema: string;
  /** False for the hub's own messages (`x-origin: hub`), which services cannot publish. */
  readonly sentByServices: boolean;
  /** The React hook for this type, if it has one. */
  readonly hookName: string | undefined;
  /** How the hub delivers this type (its schema's `x-delivery`). */
  readonly delivery: DeliveryPolicy;
  readonly fields: readonly FieldDescription[];
}

/** Every server message type, described by its schema, so a page can show a type it has no view for. */
export const SERVER_MESSAGE_CATALOG: {
  readonly [T in ServerMessageType]: MessageTypeDescription<T>;
} = {
  book_ready: {
    type: "book_ready",
    title: "BookReadyMessage",
    description: "A book has been processed and its lessons can be opened.",
    schema: "server/book_ready.json",
    sentByServices: true,
    hookName: "useBookReady",
    delivery: { mode: "durable", conflateBy: undefined, fallback: { afterSeconds: 300, channels: ["push", "webhook"] } },
    fields: [
      { name: "book_id", description: "The book that is ready.", required: true },
      { name: "title", description: "The book's title.", required: true },
      { name: "total_pages", description: "Pages in the book.", required: true },
      { name: "url", description: "Optional link that opens the book in the app. Only `http`, `https` and the app's `hailango` scheme (any case) are accepted, so it is safe in an `<a href>`.", required: false },
    ],
  },
  connection_established: {
    type: "connection_established",
    title: "ConnectionEstablishedMessage",
    description: "The first frame on every accepted connection: who the hub thinks you are and the limits it applies.",
    schema: "server/connection_established.json",
    sentByServices: false,
    hookName: undefined,
    delivery: { mode: "durable", conflateBy: undefined, fallback: undefined },
    fields: [
      { name: "connection_id", description: "Id of this connection, unique across hubs.", required: true },
      { name: "user_id", description: "The authenticated user (the token's `user_id` claim).", required: true },
      { name: "server_time", description: "The hub's clock when the connection was accepted.", required: true },
      { name: "ping_interval_seconds", description: "How often the hub sends a protocol-level ping.", required: true },
      { name: "idle_timeout_seconds", description: "The hub closes a connection from which nothing arrived for this long.", required: true },
      { name: "max_message_bytes", description: "The largest frame the hub accepts from the client, after decompression.", required: true },
      { name: "token_expires_at", description: "When the token expires; the hub closes the connection then with close code 4001.", required: true },
      { name: "epoch", description: "Identity of the user's message stream. It changes when the hub loses the stream's history; `seq` values from another epoch mean nothing in this one.", required: true },
      { name: "last_seq", description: "The highest `seq` in the user's stream when the connection opened (0: none yet). Replayed messages follow this frame.", required: true },
      { name: "recovered", description: "True when the position in `since` was resumed exactly: every message after it is replayed. False when there was no `since`, or it was from another epoch or older than the kept history; the app should then refetch its state from its REST API.", required: true },
      { name: "acked_seq", description: "The highest `seq` any connection of the user has acknowledged.", required: true },
      { name: "read_seq", description: "The highest `seq` the user has marked read.", required: true },
    ],
  },
  error: {
    type: "error",
    title: "ErrorMessage",
    description: "The hub could not act on a frame the client sent; the connection stays open.",
    schema: "server/error.json",
    sentByServices: false,
    hookName: "useErrorNotification",
    delivery: { mode: "durable", conflateBy: undefined, fallback: undefined },
    fields: [
      { name: "code", description: "", required: true },
      { name: "message", description: "What went wrong, for a developer.", required: true },
      { name: "details", description: "Optional machine-readable context, such as the failing field.", required: false },
    ],
  },
  learning_update: {
    type: "learning_update",
    title: "LearningUpdateMessage",
    description: "Statistics of a study session, sent when the session ends or advances.",
    schema: "server/learning_update.json",
    sentByServices: true,
    hookName: "useLearningUpdate",
    delivery: { mode: "durable", conflateBy: undefined, fallback: undefined },
    fields: [
      { name: "session_id", description: "The study session.", required: true },
      { name: "book_id", description: "Optional: the book studied in the session.", required: false },
      { name: "words_learned", description: "Words learned in the session.", required: true },
      { name: "pages_read", description: "Pages read in the session.", required: true },
      { name: "study_seconds", description: "Time spent studying, in seconds.", required: true },
      { name: "accuracy", description: "Share of correct answers, 0 to 1.", required: true },
      { name: "streak_days", description: "Consecutive days with a study session, this one included.", required: true },
    ],
  },
  notification: {
    type: "notification",
    title: "NotificationMessage",
    description: "A general notification for the user, shown as a toast.",
    schema: "server/notification.json",
    sentByServices: true,
    hookName: "useNotification",
    delivery: { mode: "durable", conflateBy: undefined, fallback: undefined },
    fields: [
      { name: "title", description: "Short heading.", required: true },
      { name: "message", description: "Body text.", required: true },
      { name: "level", description: "How the toast is styled.", required: true },
      { name: "action_url", description: "Optional link the toast opens. Only `http`, `https` and the app's `hailango` scheme (any case) are accepted, so it is safe in an `<a href>`.", required: false },
    ],
  },
  ocr_progress: {
    type: "ocr_progress",
    title: "OcrProgressMessage",
    description: "Progress of the OCR run over an uploaded book.",
    schema: "server/ocr_progress.json",
    sentByServices: true,
    hookName: "useOCRProgress",
    delivery: { mode: "durable", conflateBy: "book_id", fallback: undefined },
    fields: [
      { name: "book_id", description: "The book being processed.", required: true },
      { name: "total_pages", description: "Pages in the book.", required: true },
      { name: "processed_pages", description: "Pages done so far; never more than `total_pages` (checked by the hub).", required: true },
      { name: "progress", description: "Percent complete, 0 to 100.", required: true },
      { name: "status", description: "Where the OCR run stands.", required: true },
      { name: "message", description: "Optional human-readable detail, such as the reason for a failure.", required: false },
    ],
  },
  pong: {
    type: "pong",
    title: "PongMessage",
    description: "The reply to a client `ping`.",
    schema: "server/pong.json",
    sentByServices: false,
    hookName: undefined,
    delivery: { mode: "durable", conflateBy: undefined, fallback: undefined },
    fields: [
      { name: "server_time", description: "The hub's clock when it answered.", required: true },
    ],
  },
  read_receipt: {
    type: "read_receipt",
    title: "ReadReceiptMessage",
    description: "Another connection of the same user marked messages read up to `seq`: clear the badge for them.",
    schema: "server/read_receipt.json",
    sentByServices: false,
    hookName: undefined,
    delivery: { mode: "durable", conflateBy: undefined, fallback: undefined },
    fields: [
      { name: "read_seq", description: "Every message up to and including this `seq` is read.", required: true },
    ],
  },
  review_reminder: {
    type: "review_reminder",
    title: "ReviewReminderMessage",
    description: "Spaced-repetition reviews are due.",
    schema: "server/review_reminder.json",
    sentByServices: true,
    hookName: "useReviewReminder",
    delivery: { mode: "durable", conflateBy: undefined, fallback: { afterSeconds: 300, channels: ["push", "webhook"] } },
    fields: [
      { name: "due_count", description: "How many reviews are due now.", required: true },
      { name: "book_id", description: "Optional: the book whose reviews are due; absent for reviews across books.", required: false },
      { name: "message", description: "Optional text to show.", required: false },
    ],
  },
};
