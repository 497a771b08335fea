/**
 * Sends one of the cumulative cursors the hub keeps for the user: `ack` (handled up to `seq`) or
 * `read` (read up to `seq`).
 *
 * - `advance(seq)` raises the cursor. Only the highest `seq` matters, so with a `delay` the frame
 *   goes out at most once per `delay` ms: the first advance starts the timer, later ones only
 *   raise the `seq` it will send. A burst of a thousand messages costs one `ack`, far below the
 *   hub's client frame rate limit. With `delay: null` each advance is sent at once.
 * - Frames go out only on a connection the hub confirmed (`established` until its `scope` runs),
 *   never on a socket whose stream is not known yet.
 * - A `seq` not sent while there was no connection (or sent, but lost with the socket: the hub
 *   reports its own value on the next connection) waits. On the next `established` it is sent
 *   once, if it belongs to the same epoch and is above what the hub has; otherwise it is dropped.
 */
import type { Disposers } from "./disposers.js";
import type { Clock } from "./environment.js";
import type { AckFrame, ReadFrame } from "./types.js";

export interface CursorSenderOptions {
  readonly type: "ack" | "read";
  readonly clock: Clock;
  /** ms over which advances are coalesced into one frame; null sends each advance at once. */
  readonly delay: number | null;
  /** Send the frame on the current socket; false when it could not be sent. */
  readonly send: (frame: AckFrame | ReadFrame) => boolean;
}

export class CursorSender {
  readonly #options: CursorSenderOptions;
  /** The epoch the seqs below belong to. */
  #epoch: string | undefined;
  /** The highest seq the hub should have. */
  #wanted = 0;
  /** The highest seq the hub is known to have: reported on connecting, or sent since. */
  #known = 0;
  /** The confirmed connection's scope; undefined while there is none. */
  #scope: Disposers | undefined;
  #cancelTimer: (() => void) | undefined;

  constructor(options: CursorSenderOptions) {
    this.#options = options;
  }

  /** The highest seq asked for in the current epoch (sent or not). */
  get seq(): number {
    return this.#wanted;
  }

  /**
   * A connection is confirmed: the hub has `hubSeq` for this cursor in `epoch`. Until `scope`
   * runs (the socket is dropped), frames go out on it; a seq still waiting is sent now.
   */
  established(epoch: string, hubSeq: number, scope: Disposers): void {
    if (epoch !== this.#epoch) {
      this.#epoch = epoch;
      this.#wanted = 0; // seqs of another epoch mean nothing in this one
    }
    this.#known = hubSeq;
    this.#scope = scope;
    scope.add(() => {
      this.#scope = undefined;
      this.#cancelTimer = undefined; // the scope cancels the timer itself
    });
    this.#flush();
  }

  /** The hub has `seq` already (another tab marked it read): nothing up to it needs sending. */
  reported(seq: number): void {
    this.#known = Math.max(this.#known, seq);
    this.#wanted = Math.max(this.#wanted, seq);
  }

  /** Raise the cursor to `seq` (a lower or equal seq changes nothing). */
  advance(seq: number): void {
    if (seq <= this.#wanted) return;
    this.#wanted = seq;
    const { delay, clock } = this.#options;
    if (this.#scope === undefined) return; // waits for the next connection
    if (delay === null) {
      this.#flush();
    } else {
      this.#cancelTimer ??= this.#scope.timeout(clock, delay, () => {
        this.#cancelTimer = undefined;
        this.#flush();
      });
    }
  }

  #flush(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    if (this.#scope === undefined || this.#wanted <= this.#known) return;
    if (this.#options.send({ type: this.#options.type, seq: this.#wanted })) this.#known = this.#wanted;
  }
}
