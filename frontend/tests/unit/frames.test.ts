import { describe, expect, it } from "vitest";
import { parseFrame } from "../../src/frames.js";
import { message, ocrProgress } from "../support/messages.js";

describe("parseFrame", () => {
  it("reads a message", () => {
    const frame = message("ocr_progress", ocrProgress, { seq: 3 });
    expect(parseFrame(JSON.stringify(frame), true)).toEqual({ ok: true, message: frame });
  });

  it.each([
    ["not JSON", "{nope", /not JSON/],
    ["not an object", "[1,2]", /not an object/],
    ["no type", JSON.stringify({ payload: {} }), /string `type`/],
    ["binary", new ArrayBuffer(4), /not a text frame/],
  ])("refuses %s", (_, data, error) => {
    // Garbage from the wire is reported, never thrown into the app.
    const parsed = parseFrame(data, false);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(error);
  });

  it("checks the envelope only when validating", () => {
    // Validation is a development aid; off, a newer hub's unknown type still reaches subscribeAll.
    const unknown = JSON.stringify({ type: "brand_new", id: "x", timestamp: "t", payload: {} });
    expect(parseFrame(unknown, false).ok).toBe(true);
    expect(parseFrame(unknown, true)).toEqual({ ok: false, error: 'unknown type "brand_new"' });
    const noPayload = JSON.stringify({ type: "pong", id: "x", timestamp: "t" });
    expect(parseFrame(noPayload, false).ok).toBe(true);
    expect(parseFrame(noPayload, true)).toEqual({ ok: false, error: "pong: `payload` is not an object" });
    const badSeq = JSON.stringify({ ...message("notification", { title: "a", message: "b", level: "info" }), seq: "1" });
    expect(parseFrame(badSeq, true)).toEqual({ ok: false, error: "notification: `seq` is not an integer" });
  });
});
