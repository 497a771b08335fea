/* Generated from schemas/ by `make codegen`. Do not edit by hand. */

import type { PayloadOf, ServerMessageMap, ServerMessageType } from "./protocol.js";

/** Receives each message of type T: its payload, and the whole message (`id`, `timestamp`, `seq`). */
export type TypedMessageHandler<T extends ServerMessageType> = (
  payload: PayloadOf<T>,
  message: ServerMessageMap[T],
) => void;

/** A React hook that calls `handler` for every message of `type` while the component is mounted. */
export type SubscriptionHook = <T extends ServerMessageType>(
  type: T,
  handler: TypedMessageHandler<T>,
) => void;

let provided: SubscriptionHook = () => {
  throw new Error("notifyhub hooks must be used inside <WebSocketProvider>");
};

/**
 * Makes every generated hook (hooks.ts) subscribe through `hook`. The React bindings call it
 * when the provider's module loads, so this code needs neither React nor the client.
 */
export function provideSubscriptionHook(hook: SubscriptionHook): void {
  provided = hook;
}

/** Subscribes through the provided hook; what every generated hook calls. */
export function useProvidedSubscription<T extends ServerMessageType>(
  type: T,
  handler: TypedMessageHandler<T>,
): void {
  provided(type, handler);
}
