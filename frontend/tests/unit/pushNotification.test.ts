/** What a push shows (envelope -> notification) and where its click goes, for every type the hub may push. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_GENERIC_TITLE,
  GENERIC_TAG,
  clickTarget,
  defaultNotificationFor,
  notificationForPush,
  parsePush,
  type PushMessage,
} from "../../src/pushNotification.js";
import { SERVER_MESSAGE_CATALOG, SERVER_MESSAGE_TYPES, type ServerMessageType } from "../../src/types.js";
import { exampleOf } from "../support/examples.js";
import { message } from "../support/messages.js";

const APP = "https://app.hailango.example/";

/** Every type whose schema sends it through Web Push when no device acknowledged it. */
const PUSHED_TYPES = SERVER_MESSAGE_TYPES.filter((type) => SERVER_MESSAGE_CATALOG[type].delivery.fallback?.channels.includes("push"));

function omitted(type: string, id = "6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6b"): string {
  return JSON.stringify({ type, id, timestamp: "2026-11-28T19:34:26.123456Z", seq: 4, payload_omitted: true });
}

describe("the default notification", () => {
  it("covers book_ready and review_reminder, the types pushed today", () => {
    // A schema that gains a push fallback fails here until the type has wording of its own.
    expect(PUSHED_TYPES).toEqual(expect.arrayContaining(["book_ready", "review_reminder"]));
  });

  it.each(PUSHED_TYPES.map((type) => [type]))("has wording of its own for %s, whole and without its payload", (type: ServerMessageType) => {
    const whole = notificationForPush(JSON.stringify(exampleOf(type)), APP);
    expect(whole.title).not.toBe(DEFAULT_GENERIC_TITLE);
    expect(whole.options.tag).toBe(exampleOf(type).id);
    expect(whole.options.data).toMatchObject({ source: "notifyhub", messageId: exampleOf(type).id, type });
    const reduced = notificationForPush(omitted(type), APP);
    expect(reduced.title).not.toBe(DEFAULT_GENERIC_TITLE);
    expect(reduced.options).toMatchObject({ tag: exampleOf(type).id, data: { link: APP, type } });
  });

  it("shows a book's title and opens its url", () => {
    const shown = notificationForPush(JSON.stringify(exampleOf("book_ready")), APP);
    expect(shown).toEqual({
      title: "Le Petit Prince",
      options: {
        body: "Your book is ready to open (120 pages).",
        tag: "6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6b",
        data: {
          source: "notifyhub",
          link: "https://app.hailango.example/books/b7e2a0c4-1d3f-4e5a-8b9c-0d1e2f3a4b5c",
          messageId: "6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6b",
          type: "book_ready",
        },
      },
    });
  });

  it("shows a review reminder's message, or how many reviews are due, and opens the app", () => {
    const withText = notificationForPush(JSON.stringify(exampleOf("review_reminder")), APP);
    expect(withText.title).toBe("12 words are waiting for review");
    expect(withText.options.data.link).toBe(APP);
    const counted = (count: number) => defaultNotificationFor(message("review_reminder", { due_count: count }))?.title;
    expect(counted(12)).toBe("12 reviews due");
    expect(counted(1)).toBe("1 review due");
  });

  it("shows a notification's title and message and opens its action_url", () => {
    const shown = notificationForPush(JSON.stringify(exampleOf("notification")), APP);
    expect(shown.title).toBe("Upload finished");
    expect(shown.options.body).toBe("Your book is being processed.");
    expect(shown.options.data.link).toBe("https://app.hailango.example/library");
  });

  it("says the rest is in the app when the hub left the payload out", () => {
    expect(notificationForPush(omitted("book_ready"), APP)).toMatchObject({ title: "A book is ready", options: { body: "Open the app to see it." } });
    expect(notificationForPush(omitted("review_reminder"), APP).title).toBe("Reviews are due");
  });
});

describe("a push that is not a message this build knows", () => {
  it.each([
    ["no data", null],
    ["text that is not JSON", "hello"],
    ["a JSON array", "[1,2]"],
    ["an envelope without an id", JSON.stringify({ type: "book_ready", payload: {} })],
    ["an empty string", ""],
  ])("with %s still shows one generic notification, all such pushes under one tag", (_, data) => {
    // The subscription promised the browser that every push is visible.
    expect(notificationForPush(data, APP)).toEqual({
      title: DEFAULT_GENERIC_TITLE,
      options: { tag: GENERIC_TAG, data: { source: "notifyhub", link: APP, messageId: null, type: null } },
    });
  });

  it("of a type this build does not know is shown generically, tagged with its id", () => {
    // A newer hub's type: a repeated push of it still replaces its notification.
    const data = JSON.stringify({ type: "streak_lost", id: "11111111-1111-4111-8111-111111111111", timestamp: "2026-11-28T19:34:26Z", payload: {} });
    expect(parsePush(data)).toEqual({ message: null, id: "11111111-1111-4111-8111-111111111111", type: "streak_lost" });
    expect(notificationForPush(data, APP, { genericTitle: "Hailango" })).toMatchObject({
      title: "Hailango",
      options: { tag: "11111111-1111-4111-8111-111111111111", data: { messageId: "11111111-1111-4111-8111-111111111111" } },
    });
  });

  it("with a payload that breaks its schema shows what it can, never throws", () => {
    const broken = JSON.stringify({ type: "book_ready", id: "b", timestamp: "t", payload: { title: 42, url: "javascript:alert(1)" } });
    expect(notificationForPush(broken, APP)).toMatchObject({ title: "A book is ready", options: { body: "Your book is ready to open.", data: { link: APP } } });
  });
});

describe("the app's own mapping", () => {
  const pushed = JSON.stringify(exampleOf("book_ready"));

  it("wins over the default, and the tag and data stay the package's", () => {
    const notificationFor = (received: PushMessage) =>
      received.type === "book_ready" ? { title: "Bereit!", body: "Jetzt lesen", link: "/library", icon: "/icon.png" } : undefined;
    expect(notificationForPush(pushed, APP, { notificationFor, badge: "/badge.png" })).toEqual({
      title: "Bereit!",
      options: {
        body: "Jetzt lesen",
        icon: "/icon.png",
        badge: "/badge.png",
        tag: "6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6b",
        data: { source: "notifyhub", link: "https://app.hailango.example/library", messageId: "6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6b", type: "book_ready" },
      },
    });
  });

  it("falls back to the default when it returns undefined or throws", () => {
    expect(notificationForPush(pushed, APP, { notificationFor: () => undefined }).title).toBe("Le Petit Prince");
    const failing = () => {
      throw new Error("bug in the app");
    };
    expect(notificationForPush(pushed, APP, { notificationFor: failing }).title).toBe("Le Petit Prince");
  });

  it("is not asked about junk", () => {
    let asked = 0;
    notificationForPush("junk", APP, { notificationFor: () => ((asked += 1), undefined) });
    expect(asked).toBe(0);
  });
});

describe("a click", () => {
  const data = (link: string) => notificationForPush(JSON.stringify(message("notification", { title: "t", message: "m", level: "info", action_url: link })), APP).options.data;

  it("goes to the link on the app's origin", () => {
    expect(clickTarget(data("https://app.hailango.example/books/1"), APP, false)).toBe("https://app.hailango.example/books/1");
  });

  it("goes to the app instead of another origin, unless other origins are allowed", () => {
    // A message cannot send the user off-site unless the app says it may.
    expect(clickTarget(data("https://elsewhere.example/x"), APP, false)).toBe(APP);
    expect(clickTarget(data("https://elsewhere.example/x"), APP, true)).toBe("https://elsewhere.example/x");
  });

  it("goes to the app for a link a window cannot open (the app's hailango: scheme)", () => {
    expect(clickTarget(data("hailango://books/1"), APP, true)).toBe(APP);
  });

  it("is left alone on a notification the package did not show", () => {
    expect(clickTarget({ url: "/mine" }, APP, false)).toBeUndefined();
    expect(clickTarget(null, APP, false)).toBeUndefined();
  });
});
