import { describe, expect, it } from "vitest";
import { SERVER_MESSAGE_CATALOG } from "../../src/types.js";

describe("SERVER_MESSAGE_CATALOG delivery", () => {
  it("states each type's delivery policy as its schema does", () => {
    // A page can tell which types are replayed conflated, and which fall back to push and webhook.
    expect(SERVER_MESSAGE_CATALOG.ocr_progress.delivery).toEqual({ mode: "durable", conflateBy: "book_id", fallback: undefined });
    const fallback = { afterSeconds: 300, channels: ["push", "webhook"] };
    expect(SERVER_MESSAGE_CATALOG.book_ready.delivery).toEqual({ mode: "durable", conflateBy: undefined, fallback });
    expect(SERVER_MESSAGE_CATALOG.review_reminder.delivery).toEqual({ mode: "durable", conflateBy: undefined, fallback });
    expect(SERVER_MESSAGE_CATALOG.notification.delivery).toEqual({ mode: "durable", conflateBy: undefined, fallback: undefined });
  });
});
