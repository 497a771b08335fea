import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFrame } from "../../src/frames.js";
import { SERVER_MESSAGE_TYPES } from "../../src/types.js";
import { SERVER_MESSAGE_VALIDATORS } from "../../src/validators.js";
import { repository } from "../support/hub.js";
import { established, message, notification, ocrProgress } from "../support/messages.js";

const SERVER_SCHEMAS = join(repository, "schemas", "server");

/** Every example of every server message schema, by file. */
function schemaExamples(): [string, unknown][] {
  return readdirSync(SERVER_SCHEMAS).flatMap((file) => {
    const schema = JSON.parse(readFileSync(join(SERVER_SCHEMAS, file), "utf8")) as { examples?: unknown[] };
    return (schema.examples ?? []).map((example): [string, unknown] => [file, example]);
  });
}

describe("parseFrame", () => {
  it("reads a message", () => {
    const frame = message("ocr_progress", ocrProgress, { seq: 3 });
    expect(parseFrame(JSON.stringify(frame), SERVER_MESSAGE_VALIDATORS)).toEqual({ kind: "message", message: frame });
  });

  it.each([
    ["not JSON", "{nope", /not JSON/],
    ["not an object", "[1,2]", /not an object/],
    ["no type", JSON.stringify({ payload: {} }), /string `type`/],
    ["binary", new ArrayBuffer(4), /not a text frame/],
  ])("refuses %s", (_, data, error) => {
    // Garbage from the wire is reported, never thrown into the app.
    const parsed = parseFrame(data);
    expect(parsed.kind).toBe("invalid");
    expect(parsed.kind === "invalid" && parsed.error).toMatch(error);
  });

  it("passes a type it does not know as unknown_type, with its seq and id, validating or not", () => {
    // A newer hub's type is not an error: the client ignores it but keeps counting the stream.
    const frame = { type: "achievement_unlocked", id: "x", timestamp: "t", seq: 7, payload: { points: 3 } };
    const expected = { kind: "unknown_type", type: "achievement_unlocked", seq: 7, id: "x" };
    expect(parseFrame(JSON.stringify(frame))).toEqual(expected);
    expect(parseFrame(JSON.stringify(frame), SERVER_MESSAGE_VALIDATORS)).toEqual(expected);
    expect(parseFrame(JSON.stringify({ type: "brand_new" }))).toEqual({ kind: "unknown_type", type: "brand_new" });
    expect(parseFrame(JSON.stringify({ type: "brand_new", id: "x", timestamp: "t" }), SERVER_MESSAGE_VALIDATORS)).toEqual({
      kind: "invalid",
      error: "brand_new: `payload` is not an object",
    });
  });

  it("keeps fields it does not know when not validating", () => {
    // A newer hub's optional field reaches the handler untouched; the known fields still read.
    const frame = { ...message("notification", notification), extra: 1, payload: { ...notification, icon: "star" } };
    expect(parseFrame(JSON.stringify(frame))).toEqual({ kind: "message", message: frame });
  });

  it.each([
    ["a payload field of the wrong type", { ...message("ocr_progress", ocrProgress), payload: { ...ocrProgress, total_pages: "120" } },
      "ocr_progress: /payload/total_pages must be integer"],
    ["a payload out of range", message("ocr_progress", { ...ocrProgress, progress: 101 }),
      "ocr_progress: /payload/progress must be <= 100"],
    ["a missing payload field", { ...message("notification", notification), payload: { title: "a", level: "info" } },
      "notification: /payload must have required property 'message'"],
    ["a bad enum value", message("notification", { ...notification, level: "loud" as "info" }),
      "notification: /payload/level must be equal to one of the allowed values"],
    ["an id that is not a uuid", { ...message("pong", { server_time: "2026-11-28T19:34:26Z" }), id: "x" },
      'pong: /id must match format "uuid"'],
    ["a timestamp without an offset", { ...message("pong", { server_time: "2026-11-28T19:34:26" }) },
      'pong: /payload/server_time must match format "date-time"'],
    ["a seq that is not an integer", message("notification", notification, { seq: 1.5 }),
      "notification: /seq must be integer"],
    ["a field the schema does not have", { ...message("notification", notification), payload: { ...notification, icon: "star" } },
      "notification: /payload must NOT have additional properties (icon)"],
  ])("validating, refuses %s, naming where", (_, frame, error) => {
    // Under validateFrames a hub bug shows up as the field it broke, not as undefined in the UI.
    expect(parseFrame(JSON.stringify(frame), SERVER_MESSAGE_VALIDATORS)).toEqual({ kind: "invalid", error });
  });

  it.each(schemaExamples())("validating, accepts the example in %s", (_, example) => {
    // The generated validators agree with the schemas' own examples.
    expect(parseFrame(JSON.stringify(example), SERVER_MESSAGE_VALIDATORS).kind).toBe("message");
  });

  it("has a generated validator for every server message type", () => {
    expect(Object.keys(SERVER_MESSAGE_VALIDATORS).sort()).toEqual([...SERVER_MESSAGE_TYPES].sort());
    expect(parseFrame(JSON.stringify(established()), SERVER_MESSAGE_VALIDATORS).kind).toBe("message");
  });
});

describe("the fake WebSocket's contract check", () => {
  it("refuses a frame the ClientFrame schema does not allow", async () => {
    // The unit tests would let a client bug through if the check accepted anything.
    const { FakeWebSocket } = await import("../support/fakeWebSocket.js");
    const socket = new FakeWebSocket("ws://hub.test/api/v1/ws");
    socket.open();
    socket.send(JSON.stringify({ type: "ack", seq: 3 }));
    expect(() => socket.send(JSON.stringify({ type: "ack", seq: 0 }))).toThrow(/schema refuses/);
    expect(() => socket.send(JSON.stringify({ type: "ping", extra: true }))).toThrow(/schema refuses/);
    expect(() => socket.send(JSON.stringify({ type: "subscribe" }))).toThrow(/schema refuses/);
    expect(socket.sentFrames).toEqual([{ type: "ack", seq: 3 }]);
  });
});
