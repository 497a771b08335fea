/**
 * What the client does after its socket closed or its handshake was refused. Plain functions over
 * the generated close codes, with no I/O, so every rule is tested without a socket.
 *
 * Two kinds of failure, treated differently:
 * - **transient** (the hub is overloaded, restarting or down, the network is gone, a handshake
 *   failed while the token is fine or cannot be checked): more attempts cure it, so the client
 *   reconnects for as long as it takes, with capped, fully jittered backoff. A storm never leaves
 *   a browser disconnected for good.
 * - **refusals that more attempts cannot cure** (the hub's "do not come back" close codes, the
 *   auth-check refusing the token or the protocol version): the client stops. Only these count toward
 *   `maxReconnectAttempts`.
 */
import type { AuthCheckResult } from "./authCheck.js";
import { CloseCode, shouldReconnect } from "./types.js";

/** Why the client stopped (the `reason` of a change to `closed`) when the hub did not say. */
export const StopReason = {
  /** The app called `disconnect()`. */
  DISCONNECTED: "disconnected",
  /** The hub refused the token, and refused the next one too. */
  UNAUTHORIZED: "unauthorized",
  /** More refusals in a row than `maxReconnectAttempts` allows. */
  RECONNECT_ATTEMPTS_EXHAUSTED: "reconnect_attempts_exhausted",
  /** The hub speaks none of the protocol versions this client offers (`client.supportedProtocols` says which it does). */
  UNSUPPORTED_PROTOCOL: "unsupported_protocol",
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

export type CloseDecision =
  /**
   * Reconnect after a backoff delay; `retryAfter` (ms) is the hub's hint of how long to wait at
   * least, when its close reason carried one.
   */
  | { readonly action: "reconnect"; readonly retryAfter?: number }
  /** The handshake failed before the socket opened: ask the hub's auth-check why. */
  | { readonly action: "check-auth" }
  /** Stop in `closed` with this reason. */
  | { readonly action: "stop"; readonly reason: string };

export type AuthCheckDecision =
  /**
   * Reconnect after a backoff delay (every attempt asks `getToken` for a token first).
   * `refused`: the token was refused, and this attempt is the one with a fresh token.
   */
  | { readonly action: "reconnect"; readonly refused: boolean }
  /** Stop in `closed` with this reason. */
  | { readonly action: "stop"; readonly reason: StopReason };

const CLOSE_CODE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(CloseCode).map(([name, code]) => [code, name.toLowerCase()]),
);

/** The generated name of a close code in snake case (`4500` -> `"unauthorized"`), if it has one. */
export function closeCodeName(code: number): string | undefined {
  return CLOSE_CODE_NAMES.get(code);
}

/**
 * The hub's "retry after" hint in a close reason, in ms: `retry_after=<seconds>` (an integer or a
 * decimal, such as `backend unavailable; retry_after=2.5`), anywhere in the reason. Undefined
 * when there is none or it is not a non-negative number.
 */
export function parseRetryAfter(reason: string): number | undefined {
  const match = /(?:^|\W)retry_after=(\d+(?:\.\d+)?)/.exec(reason);
  return match === null ? undefined : Math.round(Number(match[1]) * 1000);
}

/**
 * Decide what follows a close.
 *
 * @param code the close code the socket reported (1006 when the connection dropped or the
 *   handshake was refused; a browser cannot see the HTTP status of a refusal).
 * @param reason the close frame's reason, possibly empty.
 * @param opened whether the socket ever opened. A socket that never opened was refused or could
 *   not reach the hub; only then is the auth-check worth asking.
 * @param canCheckAuth whether an auth-check URL and `fetch` are available.
 */
export function decideAfterClose(
  code: number,
  reason: string,
  opened: boolean,
  canCheckAuth: boolean,
): CloseDecision {
  if (!opened) return canCheckAuth ? { action: "check-auth" } : { action: "reconnect" };
  if (shouldReconnect(code)) {
    const retryAfter = parseRetryAfter(reason);
    return retryAfter === undefined ? { action: "reconnect" } : { action: "reconnect", retryAfter };
  }
  return { action: "stop", reason: reason || closeCodeName(code) || `close code ${code}` };
}

/**
 * Decide what follows the auth-check's answer after a handshake that never opened.
 *
 * "authorized" or "unknown" (the hub is down, overloaded, unreachable): a transient failure,
 * reconnect. "unsupported_protocol": the hub speaks another version; no attempt can cure that
 * (only a new build of the app), so stop at once, without counting. "unauthorized": a refusal. The first one earns one more attempt, with a fresh token
 * from `getToken` (an expired token is cured that way); a second in a row stops the client as
 * `unauthorized`, and any refusal beyond `maxReconnectAttempts` stops it as
 * `reconnect_attempts_exhausted`.
 *
 * @param refusals the refusals in a row since the hub last confirmed a connection, this one
 *   included.
 */
export function decideAfterAuthCheck(
  result: AuthCheckResult,
  refusals: number,
  maxReconnectAttempts: number,
): AuthCheckDecision {
  if (result === "unsupported_protocol") return { action: "stop", reason: StopReason.UNSUPPORTED_PROTOCOL };
  if (result !== "unauthorized") return { action: "reconnect", refused: false };
  if (refusals > maxReconnectAttempts) return { action: "stop", reason: StopReason.RECONNECT_ATTEMPTS_EXHAUSTED };
  if (refusals > 1) return { action: "stop", reason: StopReason.UNAUTHORIZED };
  return { action: "reconnect", refused: true };
}
