/** How long to wait before a reconnect attempt: exponential backoff with full jitter, capped. */

export interface BackoffOptions {
  /** The ceiling of the first attempt's delay, in ms (the client's `reconnectInterval`). */
  readonly base: number;
  /** No delay is longer than this, in ms (the client's `maxReconnectInterval`). */
  readonly cap: number;
  /** A number in [0, 1); `Math.random` unless a test injects one. */
  readonly random?: () => number;
}

/**
 * The largest delay attempt `attempt` (0 for the first reconnect) may wait:
 * `min(cap, base * 2^attempt)`.
 */
export function backoffCeiling(attempt: number, { base, cap }: BackoffOptions): number {
  // 2 ** attempt overflows to Infinity past 1023; min() then picks the cap, as wanted.
  return Math.min(cap, base * 2 ** Math.max(0, attempt));
}

/**
 * The delay before reconnect attempt `attempt`, in whole ms: uniformly random in
 * [0, backoffCeiling(attempt)) ("full jitter"), so that many clients dropped by one hub restart
 * do not come back in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  return Math.floor(random() * backoffCeiling(attempt, options));
}

/**
 * The delay before reconnect attempt `attempt` when the hub said how long to wait
 * (`retry_after`, in ms): the hint, bounded by `cap` so a hub cannot park a client for longer
 * than the client's own longest wait, plus the usual `backoffDelay`, so that every client the
 * hub turned away does not come back at the same instant. Never less than the bounded hint, never
 * more than twice `cap`.
 */
export function delayAfterHint(attempt: number, retryAfter: number, options: BackoffOptions): number {
  return Math.min(Math.max(0, retryAfter), options.cap) + backoffDelay(attempt, options);
}
