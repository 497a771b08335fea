import { describe, expect, it } from "vitest";
import { backoffCeiling, backoffDelay, delayAfterHint } from "../../src/backoff.js";

const defaults = { base: 1000, cap: 30_000 };

describe("backoff", () => {
  it("doubles the ceiling per attempt up to the cap", () => {
    // A user relies on retries slowing down, but never waiting more than the cap.
    const ceilings = Array.from({ length: 8 }, (_, attempt) => backoffCeiling(attempt, defaults));
    expect(ceilings).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("uses the full jitter range [0, ceiling)", () => {
    // Clients dropped together spread their reconnects over the whole window.
    expect(backoffDelay(3, { ...defaults, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...defaults, random: () => 0.5 })).toBe(4000);
    expect(backoffDelay(3, { ...defaults, random: () => 0.999999 })).toBe(7999);
  });

  it("stays within bounds for many random draws", () => {
    // Whatever the random source says, a delay is a whole number of ms within [0, ceiling).
    for (let attempt = 0; attempt < 12; attempt += 1) {
      for (let i = 0; i < 200; i += 1) {
        const delay = backoffDelay(attempt, defaults);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(backoffCeiling(attempt, defaults));
      }
    }
  });

  it("caps huge attempt numbers instead of overflowing", () => {
    // maxReconnectAttempts: Infinity must not produce NaN or Infinity delays.
    expect(backoffCeiling(5000, defaults)).toBe(30_000);
    expect(backoffDelay(5000, { ...defaults, random: () => 0.5 })).toBe(15_000);
  });

  it("waits at least a retry_after hint, plus full jitter", () => {
    // A hub's "come back in 2 s" is honoured, and its clients still spread out after it.
    expect(delayAfterHint(0, 2000, { ...defaults, random: () => 0 })).toBe(2000);
    expect(delayAfterHint(0, 2000, { ...defaults, random: () => 0.5 })).toBe(2500);
    expect(delayAfterHint(3, 2000, { ...defaults, random: () => 0.999999 })).toBe(9999);
  });

  it("bounds the hint by the cap, and the whole delay by twice the cap", () => {
    // A hub asking for an hour parks no tab for an hour.
    expect(delayAfterHint(0, 3_600_000, { ...defaults, random: () => 0 })).toBe(30_000);
    expect(delayAfterHint(50, 3_600_000, { ...defaults, random: () => 0.999999 })).toBe(59_999);
  });
});
