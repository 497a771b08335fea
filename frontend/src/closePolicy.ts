/**
 * What the client does after its socket closed. Plain functions over the generated close codes,
 * with no I/O, so every rule is tested without a socket.
 */
import { CloseCode, shouldReconnect } from "./types.js";

/** Why the client stopped (the `reason` of a change to `closed`) when the hub did not say. */
export const StopReason = {
  /** The app called `disconnect()`. */
  DISCONNECTED: "disconnected",
  /** The hub refused the token, and refused the next one too. */
  UNAUTHORIZED: "unauthorized",
  /** `maxReconnectAttempts` reconnects in a row failed. */
  RECONNECT_ATTEMPTS_EXHAUSTED: "reconnect_attempts_exhausted",
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

export type CloseDecision =
  /** Reconnect after a backoff delay. */
  | { readonly action: "reconnect" }
  /** The handshake failed before the socket opened: ask the hub's auth-check why. */
  | { readonly action: "check-auth" }
  /** Stop in `closed` with this reason. */
  | { readonly action: "stop"; readonly reason: string };

const CLOSE_CODE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(CloseCode).map(([name, code]) => [code, name.toLowerCase()]),
);

/** The generated name of a close code in snake case (`4500` -> `"unauthorized"`), if it has one. */
export function closeCodeName(code: number): string | undefined {
  return CLOSE_CODE_NAMES.get(code);
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
  if (shouldReconnect(code)) return { action: "reconnect" };
  return { action: "stop", reason: reason || closeCodeName(code) || `close code ${code}` };
}
