/* Generated from schemas/ by `make codegen`. Do not edit by hand. */

/*
 * One React hook per message type that services send, and per hub message whose schema
 * names one; the name is the schema's `x-hook-name`, else `use` and the type in PascalCase.
 */
import type { ServerMessageType } from "./protocol.js";
import { useProvidedSubscription, type TypedMessageHandler } from "./subscription.js";

/** The hook of each message type that has one. */
export const SUBSCRIPTION_HOOK_NAMES = {
  book_ready: "useBookReady",
  error: "useErrorNotification",
  learning_update: "useLearningUpdate",
  notification: "useNotification",
  ocr_progress: "useOCRProgress",
  review_reminder: "useReviewReminder",
} as const satisfies Partial<Record<ServerMessageType, string>>;

/** `book_ready`: A book has been processed and its lessons can be opened. */
export function useBookReady(handler: TypedMessageHandler<"book_ready">): void {
  useProvidedSubscription("book_ready", handler);
}

/** `error`: The hub could not act on a frame the client sent; the connection stays open. */
export function useErrorNotification(handler: TypedMessageHandler<"error">): void {
  useProvidedSubscription("error", handler);
}

/** `learning_update`: Statistics of a study session, sent when the session ends or advances. */
export function useLearningUpdate(handler: TypedMessageHandler<"learning_update">): void {
  useProvidedSubscription("learning_update", handler);
}

/** `notification`: A general notification for the user, shown as a toast. */
export function useNotification(handler: TypedMessageHandler<"notification">): void {
  useProvidedSubscription("notification", handler);
}

/** `ocr_progress`: Progress of the OCR run over an uploaded book. */
export function useOCRProgress(handler: TypedMessageHandler<"ocr_progress">): void {
  useProvidedSubscription("ocr_progress", handler);
}

/** `review_reminder`: Spaced-repetition reviews are due. */
export function useReviewReminder(handler: TypedMessageHandler<"review_reminder">): void {
  useProvidedSubscription("review_reminder", handler);
}
