/**
 * What the client takes from its surroundings: the WebSocket constructor, timers, `fetch`, the
 * online and visibility events, and a logger. Each is an option so that tests (and Node) can pass
 * their own; the defaults are the browser's globals, looked up when used, not when imported.
 */

/** A close event as the client reads it. */
export interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
}

/** A message event as the client reads it. */
export interface MessageEventLike {
  readonly data: unknown;
}

/** The part of the browser's WebSocket the client uses; Node's `ws` has it too. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "error", listener: (event: unknown) => void): void;
  addEventListener(type: "message", listener: (event: MessageEventLike) => void): void;
  addEventListener(type: "close", listener: (event: CloseEventLike) => void): void;
  removeEventListener(type: "open" | "error", listener: (event: unknown) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: "close", listener: (event: CloseEventLike) => void): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** `WebSocket.OPEN`, which a constructor passed in may not carry as a static. */
export const WEBSOCKET_OPEN = 1;

/** Timers. Vitest's fake timers replace the globals, which the default reads at each call. */
export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds since the epoch, for the timestamps of messages the client makes itself. */
  now(): number;
}

export const globalClock: Clock = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export type FetchLike = (
  url: string,
  init: { method: "GET"; headers: Record<string, string> },
) => Promise<{ readonly status: number; json?(): Promise<unknown> }>;

/** Fires `online` (the browser's `window`). */
export interface EventTargetLike {
  addEventListener(type: string, listener: (event: unknown) => void): void;
  removeEventListener(type: string, listener: (event: unknown) => void): void;
}

/** Fires `visibilitychange` and says whether the page is visible (the browser's `document`). */
export interface VisibilityTargetLike extends EventTargetLike {
  readonly visibilityState: string;
}

export interface Logger {
  /** For what is expected but worth tracing (a duplicate dropped); optional. */
  debug?(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export function defaultWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
}

export function defaultFetch(): FetchLike | undefined {
  const fetch = (globalThis as { fetch?: FetchLike }).fetch;
  return fetch === undefined ? undefined : (url, init) => fetch(url, init);
}

export function defaultOnlineTarget(): EventTargetLike | undefined {
  return (globalThis as { window?: EventTargetLike }).window;
}

export function defaultVisibilityTarget(): VisibilityTargetLike | undefined {
  return (globalThis as { document?: VisibilityTargetLike }).document;
}

/** The hub's WebSocket on the page's own origin (`ws[s]://<host>/api/v1/ws`), outside a browser undefined. */
export function defaultUrl(): string | undefined {
  const location = (globalThis as { location?: { protocol: string; host: string } }).location;
  if (location === undefined || !location.host) return undefined;
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/ws`;
}
