/**
 * The client's options with their defaults, its states, and how a token is given.
 */
import type {
  Clock,
  EventTargetLike,
  FetchLike,
  Logger,
  VisibilityTargetLike,
  WebSocketConstructor,
} from "./environment.js";

export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** Emitted on every real change of state, never twice for the same state. */
export interface StateChange {
  readonly previous: ConnectionState;
  readonly current: ConnectionState;
  /** The close code behind the change (from the hub, or the client's own), or null. */
  readonly code: number | null;
  /**
   * Why: the close frame's reason or the close code's name for a close, a `StopReason` when the
   * client stopped by itself, empty when there is nothing to say (e.g. on `open`).
   */
  readonly reason: string;
}

export type StateListener = (change: StateChange) => void;

/** A token, or an async function that returns a fresh one (called before every connect). */
export type TokenSource = string | (() => string | Promise<string>);

export interface ClientOptions {
  /** The hub's WebSocket URL. Default: `ws[s]://<this page's host>/api/v1/ws`. */
  readonly url?: string;
  /**
   * How the token travels. `"subprotocol"` (default): offered as `bearer.<jwt>` beside
   * `notifyhub.v1`, which keeps it out of URLs and logs. `"query"`: `?token=<jwt>`.
   */
  readonly tokenTransport?: "subprotocol" | "query";
  /**
   * Ceiling of the first reconnect delay, in ms; doubles with every failed attempt until the hub
   * confirms a connection again (full jitter: the delay is uniformly random below the ceiling).
   * Default 1000.
   */
  readonly reconnectInterval?: number;
  /**
   * No backoff delay exceeds this, in ms. It also bounds a `retry_after` hint from the hub: the
   * client waits the hint (at most this long) plus a jittered backoff delay. Default 30000.
   */
  readonly maxReconnectInterval?: number;
  /**
   * Refusals that more attempts cannot cure, in a row, after which the client gives up (`closed`,
   * reason `reconnect_attempts_exhausted`, and a local `error` message to `error` subscribers).
   * `Infinity` allowed. Default 5.
   *
   * Transient failures never count, whatever their number: 1013 "try again later" (and its
   * `retry_after` hint), 1001, 1011, 1012, 4000-4499, a dropped link, a hub that is down or
   * unreachable, a handshake refused while the auth-check says the token is fine or cannot be
   * asked, a failing `getToken`. After these the client reconnects for as long as it takes, with
   * capped backoff, so a storm never leaves a browser disconnected for good.
   *
   * What counts is the auth-check refusing the token (401). The first refusal is followed by one
   * more attempt with a token from a fresh `getToken` call (an expired token is cured that way);
   * a second refusal in a row stops the client as `unauthorized`, so today only 0 (stop at the
   * first refusal, without trying a fresh token) changes the outcome. The hub's "do not come back"
   * close codes (1000, 1008, 4500-4999) stop the client at once, without counting.
   */
  readonly maxReconnectAttempts?: number;
  /** ms between the client's `ping` frames. Default 30000. */
  readonly heartbeatInterval?: number;
  /** ms after a ping within which some frame must arrive, or the link is dead. Default 10000. */
  readonly heartbeatTimeout?: number;
  /**
   * Reconnect with `?since=<epoch>:<seq>` so the hub replays exactly what this client missed.
   * Default true. Without it, each connection gets every message the user has not acknowledged.
   */
  readonly resume?: boolean;
  /**
   * `"auto"` (default): after the handlers of a message ran, acknowledge it to the hub (a handler
   * that throws still counts: the message was handed over). `"manual"`: only `ack(seq)` does.
   * An acknowledged message is not replayed to the user's connections that open without `since`.
   */
  readonly ack?: "auto" | "manual";
  /** ms over which acknowledgements are coalesced into one cumulative `ack` frame. Default 200. */
  readonly ackDelay?: number;
  /**
   * For development: check every frame whole (envelope and payload) against its schema, with the
   * validators generated from `schemas/`; a frame that fails is logged, dropped and reported to
   * `error` subscribers. The validators (about 100 KB) are loaded with a dynamic `import()`
   * before the first socket opens, so an app that leaves this off never downloads them.
   * Default false.
   */
  readonly validateFrames?: boolean;
  /** Where to ask why a handshake failed; null turns the auth-check off. Default: `<url>/auth-check` over http(s). */
  readonly authCheckUrl?: string | null;
  /** Default: the global `WebSocket`. */
  readonly WebSocket?: WebSocketConstructor;
  /** For the auth-check; null turns it off. Default: the global `fetch`. */
  readonly fetch?: FetchLike | null;
  /** Default: the global timers and `Date.now`. */
  readonly clock?: Clock;
  /** Jitter source in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Fires `online`. Default `window`; null ignores it. */
  readonly onlineTarget?: EventTargetLike | null;
  /** Fires `visibilitychange`. Default `document`; null ignores it. */
  readonly visibilityTarget?: VisibilityTargetLike | null;
  /** Default `console`. */
  readonly logger?: Logger;
}

/** The defaults of the numeric and mode options, as documented on `ClientOptions`. */
export const DEFAULT_CLIENT_OPTIONS = {
  tokenTransport: "subprotocol",
  reconnectInterval: 1000,
  maxReconnectInterval: 30_000,
  maxReconnectAttempts: 5,
  heartbeatInterval: 30_000,
  heartbeatTimeout: 10_000,
  resume: true,
  ack: "auto",
  ackDelay: 200,
  validateFrames: false,
} as const satisfies ClientOptions;
