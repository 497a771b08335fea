/** Hooks over the provider's client. */
import { useCallback, useContext, useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import type { NotifyhubClient } from "../client.js";
import type { ConnectionState, TokenSource } from "../options.js";
import { NotifyhubClientError } from "../errors.js";
import type { ReadState } from "../readState.js";
import type { MessageHandler, MessageHandlers, ServerMessageType } from "../types.js";
import { WebSocketContext, type WebSocketContextValue } from "./context.js";

function useContextValue(): WebSocketContextValue {
  const value = useContext(WebSocketContext);
  if (value === null) {
    throw new NotifyhubClientError("no_provider", "notifyhub hooks must be used inside <WebSocketProvider>");
  }
  return value;
}

/** The provider's client, for what the hooks do not cover. */
export function useWebSocketClient(): NotifyhubClient {
  return useContextValue().client;
}

/** The client's state; re-renders on every change. */
export function useConnectionState(): ConnectionState {
  const client = useWebSocketClient();
  const subscribe = useCallback((onChange: () => void) => client.onStateChange(onChange), [client]);
  return useSyncExternalStore(subscribe, () => client.state, () => client.state);
}

export interface UseWebSocketResult {
  readonly state: ConnectionState;
  /** True in `open`: the hub confirmed the connection. */
  readonly connected: boolean;
  /** Connect with the given token source, or the provider's. */
  readonly connect: (token?: TokenSource) => void;
  readonly disconnect: () => void;
  /** The client's `subscribe`; call it in an effect and return its result as the cleanup. */
  readonly subscribe: NotifyhubClient["subscribe"];
}

export function useWebSocket(): UseWebSocketResult {
  const { client, token } = useContextValue();
  const state = useConnectionState();
  return useMemo(
    () => ({
      state,
      connected: state === "open",
      connect: (override?: TokenSource) => client.connect(override ?? token),
      disconnect: () => client.disconnect(),
      subscribe: (type, handler) => client.subscribe(type, handler),
    }),
    [client, token, state],
  );
}

export interface UseReadStateResult extends ReadState {
  /**
   * Mark every message up to `seq` read (default: every message known, `lastSeq`). `readSeq`
   * and `unread` change at once here, and on the user's other tabs when their `read_receipt` arrives.
   */
  readonly markRead: (seq?: number) => void;
}

/**
 * The user's read state (`lastSeq`, `ackedSeq`, `readSeq`, `unread`), for an unread badge that
 * every tab clears together; re-renders on every change. All zero until the first connection.
 */
export function useReadState(): UseReadStateResult {
  const client = useWebSocketClient();
  const subscribe = useCallback((onChange: () => void) => client.onReadStateChange(onChange), [client]);
  const state = useSyncExternalStore(subscribe, () => client.readState, () => client.readState);
  return useMemo(() => ({ ...state, markRead: (seq?: number) => client.markRead(seq) }), [client, state]);
}

/** A ref that always holds the latest value, so effects can call the latest handler without depending on it. */
function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}

/**
 * Call `handler` for every message of `type` while mounted. The subscription is made once per
 * client and type: a new handler function on each render is picked up without resubscribing.
 */
export function useWebSocketSubscription<T extends ServerMessageType>(type: T, handler: MessageHandler<T>): void {
  const client = useWebSocketClient();
  const latest = useLatest(handler);
  useEffect(() => client.subscribe(type, (payload, message) => latest.current(payload, message)), [client, type, latest]);
}

/**
 * Several subscriptions at once: `useWebSocketSubscriptions({ book_ready: ..., notification: ... })`.
 * It resubscribes only when the set of types changes, not when the handlers do.
 */
export function useWebSocketSubscriptions(handlers: MessageHandlers): void {
  const client = useWebSocketClient();
  const latest = useLatest(handlers);
  const types = (Object.keys(handlers) as ServerMessageType[]).sort().join(",");
  useEffect(() => {
    if (types === "") return undefined;
    const unsubscribes = (types.split(",") as ServerMessageType[]).map((type) =>
      client.subscribe(type, (payload, message) => {
        const handler = latest.current[type] as MessageHandler<typeof type> | undefined;
        handler?.(payload, message);
      }),
    );
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }, [client, types, latest]);
}
