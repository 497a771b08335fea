/** The one error class the package throws. Connection failures are never thrown: they are states. */
export class NotifyhubClientError extends Error {
  /** A stable, machine-readable reason, e.g. `"no_url"`. */
  readonly reason: string;

  /** `options.cause`: the error behind this one (a failed `fetch`, a rejected browser call). */
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NotifyhubClientError";
    this.reason = reason;
  }
}
