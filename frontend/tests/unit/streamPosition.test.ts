import { describe, expect, it } from "vitest";
import { classifySeq, positionAfter, positionOnEstablished, type StreamPosition } from "../../src/streamPosition.js";
import { established } from "../support/messages.js";

const at = (seq: number, exact = true, epoch = "e1"): StreamPosition => ({ epoch, seq, exact });
const joined = (position: StreamPosition, replayHead: number): StreamPosition => ({ ...position, replayHead });

describe("classifySeq", () => {
  it("calls a seq at or below the position a duplicate", () => {
    // A replay overlapping what was handled must not reach a handler twice.
    expect(classifySeq(at(5), 5)).toBe("duplicate");
    expect(classifySeq(at(5), 1)).toBe("duplicate");
    expect(classifySeq(at(5, false), 5)).toBe("duplicate");
  });

  it("expects exactly the next seq once the stream is joined", () => {
    expect(classifySeq(at(5), 6)).toBe("next");
    expect(classifySeq(at(5), 7)).toBe("gap");
  });

  it("lets the first message after joining without resuming jump ahead", () => {
    // The hub replays from the oldest kept message, which may be far beyond the acked seq.
    expect(classifySeq(at(0, false), 4001)).toBe("next");
    expect(classifySeq(positionAfter(at(0, false), 4001), 4003)).toBe("gap");
  });
});

describe("conflation in a replay", () => {
  it("takes seqs skipped up to the head it joined at as conflated away, not as a gap", () => {
    // A resuming tab gets only each book's latest progress: the seqs in between are superseded.
    const resumed = positionOnEstablished(at(5), established({ epoch: "e1", recovered: true, last_seq: 300 }).payload);
    expect(classifySeq(resumed, 40)).toBe("conflated");
    expect(classifySeq(positionAfter(resumed, 40), 300)).toBe("conflated");
    expect(classifySeq(positionAfter(resumed, 300), 301)).toBe("next"); // the first live message after the head
  });

  it("still reports a jump that skips a seq after the head as a gap", () => {
    // Messages sent after the tab joined are delivered whole: a hole there is a real loss.
    const resumed = positionOnEstablished(at(5), established({ epoch: "e1", recovered: true, last_seq: 300 }).payload);
    expect(classifySeq(positionAfter(resumed, 300), 302)).toBe("gap");
    expect(classifySeq(positionAfter(resumed, 299), 302)).toBe("gap");
  });

  it("keeps the head across handled messages and forgets the old one on the next connection", () => {
    const first = positionOnEstablished(at(5), established({ epoch: "e1", recovered: true, last_seq: 50 }).payload);
    expect(positionAfter(first, 6, "m6")).toEqual({ ...joined(at(6), 50), id: "m6" });
    const next = positionOnEstablished(positionAfter(first, 60), established({ epoch: "e1", recovered: true, last_seq: 70 }).payload);
    expect(next.replayHead).toBe(70);
  });
});

describe("positionOnEstablished", () => {
  it("keeps its own position when the hub resumed it", () => {
    const payload = established({ epoch: "e1", recovered: true, acked_seq: 2 }).payload;
    expect(positionOnEstablished(at(7, false), payload)).toEqual(joined(at(7), 0));
  });

  it("starts from the acked seq in a new epoch: old numbers mean nothing", () => {
    const payload = established({ epoch: "e2", recovered: false, acked_seq: 3 }).payload;
    expect(positionOnEstablished(at(7), payload)).toEqual(joined(at(3, false, "e2"), 0));
    expect(positionOnEstablished(undefined, payload)).toEqual(joined(at(3, false, "e2"), 0));
  });

  it("keeps what it handled in the same epoch when not resumed, so a replay of it is a duplicate", () => {
    const payload = established({ epoch: "e1", recovered: false, acked_seq: 3 }).payload;
    expect(positionOnEstablished(at(7), payload)).toEqual(joined(at(7, false), 0));
    expect(positionOnEstablished(at(1), payload)).toEqual(joined(at(3, false), 0));
  });
});
