/**
 * The client's place in the user's message stream, and what a message's `seq` means against it.
 * Plain functions: no socket, no timer.
 *
 * The hub numbers every message to a user 1, 2, 3, ... within an `epoch`, and sends each
 * connection every `seq` once and in order (README, "Delivery"). Against the last `seq` handled:
 *
 * - at or below it: a **duplicate** (say, a connection without `since` replays what this client
 *   already handled). It is dropped: handlers see each message once.
 * - the next one: what we expect.
 * - further ahead, within the replay (up to the stream's head when this connection joined):
 *   **conflated**. A type whose schema says `conflate-by` (`ocr_progress`, by `book_id`) is replayed
 *   as only the latest message per key; the seqs in between were superseded by later messages,
 *   which do arrive, and are never sent later. Handed over, as the next one.
 * - further ahead otherwise: a **gap**, which the hub promises never to leave. Should it happen
 *   anyway, the message is still handed over (the hub does not send it again, so holding it back
 *   would lose it for good) and the client logs a warning; the position moves to it.
 *
 * After a connection that did not resume the old position (`recovered: false`: a new device, a
 * new epoch, a position older than the history), the hub replays from the user's acknowledged
 * `seq` or from the oldest message it kept, whichever is later; so the first message after such a
 * connection may jump ahead without it being a gap.
 */
import type { ConnectionEstablishedPayload } from "./types.js";

export interface StreamPosition {
  readonly epoch: string;
  /** The last `seq` handled in `epoch`; nothing at or below it is handed to handlers again. */
  readonly seq: number;
  /** Whether the next message must be `seq + 1`; false right after joining the stream without resuming. */
  readonly exact: boolean;
  /**
   * The `id` of the message handled at `seq`, when it was one: sent with the resume position
   * (`since_id`) so the hub can tell a position it still holds from one it reissued after losing
   * writes.
   */
  readonly id?: string;
  /**
   * The stream's head (`last_seq`) when the current connection joined: the hub replays up to it
   * with conflation, so seqs up to it may be skipped without a gap.
   */
  readonly replayHead?: number;
}

export type SeqVerdict = "next" | "duplicate" | "conflated" | "gap";

/** What a message numbered `seq` is, against `position`. */
export function classifySeq(position: StreamPosition, seq: number): SeqVerdict {
  if (seq <= position.seq) return "duplicate";
  if (seq === position.seq + 1 || !position.exact) return "next";
  if (seq - 1 <= (position.replayHead ?? 0)) return "conflated"; // every seq skipped was in the replay
  return "gap";
}

/** The position once the message numbered `seq` (with this `id`) is handled. */
export function positionAfter(position: StreamPosition, seq: number, id?: string): StreamPosition {
  const after: StreamPosition = { epoch: position.epoch, seq, exact: true };
  return {
    ...after,
    ...(id === undefined ? {} : { id }),
    ...(position.replayHead === undefined ? {} : { replayHead: position.replayHead }),
  };
}

/**
 * The position a new connection starts from.
 *
 * Resumed (`recovered`): ours stands, and the hub replays exactly what follows it. Otherwise the
 * hub replays what follows the user's acknowledged `seq`; in the same epoch, what this client
 * handled already stays a duplicate; in another epoch our old numbers mean nothing.
 */
export function positionOnEstablished(
  previous: StreamPosition | undefined,
  payload: ConnectionEstablishedPayload,
): StreamPosition {
  const sameEpoch = previous !== undefined && previous.epoch === payload.epoch;
  const replayHead = payload.last_seq;
  if (payload.recovered && sameEpoch) return { ...previous, exact: true, replayHead };
  const handled = sameEpoch ? previous.seq : 0;
  return { epoch: payload.epoch, seq: Math.max(handled, payload.acked_seq), exact: false, replayHead };
}
