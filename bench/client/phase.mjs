// One measured phase: which message (its index n) goes to which user, and the check of every delivery.
// No I/O: the pool feeds it frames; it counts what was lost, duplicated, reordered or misrouted.
import { latencySummary } from "./stats.mjs";

const BROADCAST = -1;
let phaseCounter = 0;

export class Phase {
  /** targets[n] is the user index message n goes to, or BROADCAST; connections are the receivers. */
  constructor(targets, connections = []) {
    this.id = ++phaseCounter;
    this.targets = Int32Array.from(targets);
    this.positionInUser = new Int32Array(targets.length);
    this.sentAt = new Float64Array(targets.length);
    this.perUser = new Map();
    targets.forEach((user, n) => {
      const position = this.perUser.get(user) ?? 0;
      this.positionInUser[n] = position;
      this.perUser.set(user, position + 1);
    });
    this.expected = 0;
    this.counts = { delivered: 0, duplicates: 0, reordered: 0, misrouted: 0, stale: 0, seqErrors: 0 };
    this.latencies = [];
    this.firstSentAt = null;
    this.lastReceivedAt = null;
    this.received = 0;
    this.onComplete = null;
    this.connections = [];
    this.expect(connections);
  }

  /** Count on these connections receiving their share; safe to call again for the same connection. */
  expect(connections) {
    for (const connection of connections) {
      if (connection.phaseId === this.id) continue;
      connection.phaseId = this.id;
      this.connections.push(connection);
      connection.expectedCount = this.perUser.get(BROADCAST) ?? this.perUser.get(connection.user) ?? 0;
      connection.nextPosition = 0;
      connection.lastSeq = null;
      this.expected += connection.expectedCount;
    }
  }

  /** Only the messages flagged in `published` went out (a time budget ran out): expect just those.
   * Each user's published messages are the first of its own (one publisher owns each user), so
   * positions stay valid; connections keep what they already received, their expected counts shrink. */
  keepOnly(published) {
    if (published.every((flag) => flag === 1)) return;
    this.perUser = new Map();
    this.targets.forEach((user, n) => {
      if (published[n]) this.perUser.set(user, (this.perUser.get(user) ?? 0) + 1);
    });
    this.published = published.reduce((sum, flag) => sum + flag, 0);
    this.expected = 0;
    for (const connection of this.connections) {
      connection.expectedCount = this.perUser.get(BROADCAST) ?? this.perUser.get(connection.user) ?? 0;
      this.expected += connection.expectedCount;
    }
  }

  static broadcast(messages, connections) {
    return new Phase(new Array(messages).fill(BROADCAST), connections);
  }

  text(n) {
    return `${this.id}:${n}`;
  }

  /** Messages `indices` (an iterable of n) are being published at time now. */
  markSent(indices, now) {
    for (const n of indices) this.sentAt[n] = now;
    this.firstSentAt ??= now;
  }

  /** Record one notification ({phaseId, n, seq}) received on connection at time now. */
  receive(connection, { phaseId, n, seq }, now) {
    this.received += 1;
    if (phaseId !== this.id) return void (this.counts.stale += 1);
    this.expect([connection]);
    this.checkSeq(connection, seq);
    const target = this.targets[n];
    if (target !== BROADCAST && target !== connection.user) return void (this.counts.misrouted += 1);
    const position = target === BROADCAST ? n : this.positionInUser[n];
    if (position < connection.nextPosition) return void (this.counts.duplicates += 1);
    if (position > connection.nextPosition) this.counts.reordered += 1;
    connection.nextPosition = position + 1;
    this.latencies.push(now - this.sentAt[n]);
    this.counts.delivered += 1;
    this.lastReceivedAt = now;
    if (this.received >= this.expected && this.onComplete) this.onComplete();
  }

  checkSeq(connection, seq) {
    if (seq === undefined) return;
    if (connection.lastSeq !== null && seq !== connection.lastSeq + 1) this.counts.seqErrors += 1;
    connection.lastSeq = seq;
  }

  /** Resolves when every expected frame arrived, or after timeoutMs (then the result shows what is lost). */
  completion(timeoutMs) {
    if (this.received >= this.expected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.onComplete = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  result(extra = {}) {
    const lost = this.expected - this.counts.delivered;
    return {
      messages: this.published ?? this.targets.length,
      expected: this.expected,
      ...this.counts,
      lost,
      seconds: this.lastReceivedAt === null ? null : (this.lastReceivedAt - this.firstSentAt) / 1000,
      latencyMs: latencySummary(this.latencies),
      ...extra,
    };
  }
}
