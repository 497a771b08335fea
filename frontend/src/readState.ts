/**
 * The user's read state as this client knows it: how far the stream goes, and how far it was
 * acknowledged and read, by any tab or device. What an unread badge is drawn from.
 *
 * The hub reports all three on every connection (`connection_established`: `last_seq`,
 * `acked_seq`, `read_seq`); after that, messages raise `lastSeq`, this client's `ack` and
 * `markRead` raise `ackedSeq` and `readSeq`, and a `read_receipt` (another tab read) raises
 * `readSeq`. Like the hub's cursors, they only move forward within an epoch; a new epoch (the
 * stream was lost) starts over from what the hub reports.
 */
import type { ConnectionEstablishedPayload } from "./types.js";

export interface ReadState {
  /** The stream's epoch; "" before the first connection. */
  readonly epoch: string;
  /** The highest `seq` known: the stream's head when this client connected, or a later message. */
  readonly lastSeq: number;
  /** Every message up to this `seq` was acknowledged (handled) by some client of the user. */
  readonly ackedSeq: number;
  /** Every message up to this `seq` was read, on some tab or device of the user. */
  readonly readSeq: number;
  /** `lastSeq - readSeq`: messages (of any type sent to the user) not read yet. */
  readonly unread: number;
}

export const INITIAL_READ_STATE: ReadState = { epoch: "", lastSeq: 0, ackedSeq: 0, readSeq: 0, unread: 0 };

type Cursors = Partial<Pick<ReadState, "lastSeq" | "ackedSeq" | "readSeq">>;

function make(epoch: string, lastSeq: number, ackedSeq: number, readSeq: number): ReadState {
  return { epoch, lastSeq, ackedSeq, readSeq, unread: Math.max(0, lastSeq - readSeq) };
}

/** The state after a connection reported the stream: the hub's values, or ours where further (same epoch). */
export function readStateOnEstablished(state: ReadState, payload: ConnectionEstablishedPayload): ReadState {
  const same = state.epoch === payload.epoch;
  const next = make(
    payload.epoch,
    same ? Math.max(state.lastSeq, payload.last_seq) : payload.last_seq,
    same ? Math.max(state.ackedSeq, payload.acked_seq) : payload.acked_seq,
    same ? Math.max(state.readSeq, payload.read_seq) : payload.read_seq,
  );
  return sameState(state, next) ? state : next;
}

/** The state with cursors moved forward; the very same object when nothing moved. */
export function readStateWith(state: ReadState, cursors: Cursors): ReadState {
  const next = make(
    state.epoch,
    Math.max(state.lastSeq, cursors.lastSeq ?? 0),
    Math.max(state.ackedSeq, cursors.ackedSeq ?? 0),
    Math.max(state.readSeq, cursors.readSeq ?? 0),
  );
  return sameState(state, next) ? state : next;
}

function sameState(a: ReadState, b: ReadState): boolean {
  return a.epoch === b.epoch && a.lastSeq === b.lastSeq && a.ackedSeq === b.ackedSeq && a.readSeq === b.readSeq;
}

export type ReadStateListener = (state: ReadState) => void;

/** Holds the current `ReadState` and tells listeners of every change (a new object each time). */
export class ReadStateStore {
  #state = INITIAL_READ_STATE;
  readonly #listeners = new Set<ReadStateListener>();
  readonly #onListenerError: (error: unknown) => void;

  /** `onListenerError` gets what a listener threw; the other listeners still run. */
  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  get current(): ReadState {
    return this.#state;
  }

  /** Listen to changes; returns the function that stops listening. */
  subscribe(listener: ReadStateListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  update(change: (state: ReadState) => ReadState): void {
    const next = change(this.#state);
    if (next === this.#state) return;
    this.#state = next;
    for (const listener of [...this.#listeners]) {
      try {
        listener(next);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
