/** Gives its children a notifyhub client and keeps it connected while mounted. */
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { createClient, type NotifyhubClient } from "../client.js";
import type { ClientOptions, TokenSource } from "../options.js";
import { provideSubscriptionHook } from "../../../generated/typescript/subscription.js";
import { WebSocketContext, type WebSocketContextValue } from "./context.js";
import { useWebSocketSubscription } from "./hooks.js";

// The generated per-type hooks (useBookReady, ...) subscribe through this; it runs wherever a
// provider can be rendered, so they work wherever hooks may be used at all.
provideSubscriptionHook(useWebSocketSubscription);

export interface WebSocketProviderProps {
  /** The hub's WebSocket URL; defaults as `ClientOptions.url` does. Ignored when `client` is given. */
  readonly url?: string;
  /** A fixed token. */
  readonly token?: string;
  /** Returns a fresh token; called before every (re)connect. Wins over `token`. */
  readonly getToken?: () => string | Promise<string>;
  /** Connect on mount and disconnect on unmount. Default true. */
  readonly autoConnect?: boolean;
  /** Options for the client the provider creates (read once, on mount). Ignored when `client` is given. */
  readonly options?: Omit<ClientOptions, "url">;
  /** Use this client (e.g. `getWebSocketClient()`) instead of creating one. */
  readonly client?: NotifyhubClient;
  readonly children?: ReactNode;
}

/**
 * Connects on mount when `autoConnect` (and a token or getToken) is given, and disconnects on
 * unmount. Under React 19 strict mode the mount effect runs, is cleaned up and runs again at once;
 * the client opens its socket only after the token resolves, so the first attempt is cancelled
 * before it opens anything and one socket results.
 *
 * A new `token` or `getToken` prop does not reconnect: the next (re)connect uses it.
 */
export function WebSocketProvider(props: WebSocketProviderProps): ReactNode {
  const { url, token, getToken, autoConnect = true, options, client: given, children } = props;
  // The initializer may run twice in strict mode; a client has no side effects until connect().
  const [created] = useState(() => given ?? createClient({ ...options, ...(url === undefined ? {} : { url }) }));
  const client = given ?? created;

  // The client always asks the latest props for a token.
  const latest = useRef({ token, getToken });
  useEffect(() => {
    latest.current = { token, getToken };
  });
  const hasToken = token !== undefined || getToken !== undefined;
  const tokenSource = useMemo<TokenSource | undefined>(
    () => (hasToken ? () => latestToken(latest.current) : undefined),
    [hasToken],
  );

  useEffect(() => {
    if (!autoConnect || tokenSource === undefined) return undefined;
    client.connect(tokenSource);
    return () => client.disconnect();
  }, [client, autoConnect, tokenSource]);

  const value = useMemo<WebSocketContextValue>(() => ({ client, token: tokenSource }), [client, tokenSource]);
  return <WebSocketContext.Provider value={value}>{children}</WebSocketContext.Provider>;
}

function latestToken({ token, getToken }: { token: string | undefined; getToken: (() => string | Promise<string>) | undefined }): string | Promise<string> {
  if (getToken !== undefined) return getToken();
  return token ?? "";
}
