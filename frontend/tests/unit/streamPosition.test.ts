import { describe, expect, it } from "vitest";
import { classifySeq, positionAfter, positionOnEstablished, type StreamPosition } from "../../src/streamPosition.js";
import { established } from "../support/messages.js";

const at = (seq: number, exact = true, epoch = "e1"): StreamPosition => ({ epoch, seq, exact });

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

describe("positionOnEstablished", () => {
  it("keeps its own position when the hub resumed it", () => {
    const payload = established({ epoch: "e1", recovered: true, acked_seq: 2 }).payload;
    expect(positionOnEstablished(at(7, false), payload)).toEqual(at(7));
  });

  it("starts from the acked seq in a new epoch: old numbers mean nothing", () => {
    const payload = established({ epoch: "e2", recovered: false, acked_seq: 3 }).payload;
    expect(positionOnEstablished(at(7), payload)).toEqual(at(3, false, "e2"));
    expect(positionOnEstablished(undefined, payload)).toEqual(at(3, false, "e2"));
  });

  it("keeps what it handled in the same epoch when not resumed, so a replay of it is a duplicate", () => {
    const payload = established({ epoch: "e1", recovered: false, acked_seq: 3 }).payload;
    expect(positionOnEstablished(at(7), payload)).toEqual(at(7, false));
    expect(positionOnEstablished(at(1), payload)).toEqual(at(3, false));
  });
});
