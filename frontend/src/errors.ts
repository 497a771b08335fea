/** The one error class the package throws. Connection failures are never thrown: they are states. */
export class NotifyhubClientError extends Error {
  /** A stable, machine-readable reason, e.g. `"no_url"`. */
  readonly reason: string;

  constructor(reason: string, message: string) {
    super(message);
    this.name = "NotifyhubClientError";
    this.reason = reason;
  }
}
