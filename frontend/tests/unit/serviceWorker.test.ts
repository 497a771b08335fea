/** handleNotifyhubPush's listeners on a hand-driven worker scope; tests/browser/push.test.ts runs them in Chromium. */
import { describe, expect, it, vi } from "vitest";
import { NotifyhubClientError } from "../../src/errors.js";
import { decodeVapidKey } from "../../src/pushHub.js";
import { handleNotifyhubPush, type ServiceWorkerScopeLike, type WindowClientLike } from "../../src/serviceWorker.js";
import { exampleOf } from "../support/examples.js";
import { FakePushBrowser, FakeSubscription, vapidKey } from "../support/fakePush.js";

const APP = "https://app.hailango.example/";

/** An extendable event: `waitUntil` keeps what the listener hands it, for the test to await. */
class FakeExtendableEvent extends Event {
  readonly pending: Promise<unknown>[] = [];

  constructor(type: string, fields: object) {
    super(type);
    Object.assign(this, fields);
  }

  waitUntil(promise: Promise<unknown>): void {
    this.pending.push(promise);
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }
}

class FakeWindow implements WindowClientLike {
  focused = 0;

  constructor(readonly url: string) {}

  async focus(): Promise<unknown> {
    this.focused += 1;
    return this;
  }
}

class FakeScope extends EventTarget implements ServiceWorkerScopeLike {
  readonly browser = new FakePushBrowser();
  readonly shown: { title: string; options: unknown }[] = [];
  readonly windows: FakeWindow[] = [];
  readonly opened: string[] = [];
  readonly registration = {
    scope: APP,
    pushManager: this.browser.pushManager,
    showNotification: async (title: string, options: unknown) => {
      this.shown.push({ title, options });
    },
  };
  readonly clients = {
    matchAll: async () => this.windows,
    openWindow: async (url: string) => {
      this.opened.push(url);
      return null;
    },
  };

  async fire(type: string, fields: object): Promise<FakeExtendableEvent> {
    const event = new FakeExtendableEvent(type, fields);
    this.dispatchEvent(event);
    await event.settled();
    return event;
  }

  push(text: string | null): Promise<FakeExtendableEvent> {
    return this.fire("push", { data: text === null ? null : { text: () => text } });
  }

  async click(data: unknown): Promise<{ notification: { closed: boolean }; event: FakeExtendableEvent }> {
    const notification = {
      data,
      closed: false,
      close(): void {
        this.closed = true;
      },
    };
    return { notification, event: await this.fire("notificationclick", { notification }) };
  }
}

const logger = () => ({ warn: vi.fn(), error: vi.fn() });

describe("handleNotifyhubPush", () => {
  it("shows each push as a notification, a repeated message under the same tag", async () => {
    const scope = new FakeScope();
    handleNotifyhubPush({ scope, logger: logger() });
    const pushed = JSON.stringify(exampleOf("book_ready"));
    await scope.push(pushed);
    await scope.push(pushed);
    expect(scope.shown).toHaveLength(2);
    expect(scope.shown[0]).toEqual(scope.shown[1]);
    expect(scope.shown[0]).toMatchObject({ title: "Le Petit Prince", options: { tag: exampleOf("book_ready").id } });
  });

  it("shows a generic notification for a push it cannot read", async () => {
    const scope = new FakeScope();
    handleNotifyhubPush({ scope, logger: logger(), genericTitle: "Hailango" });
    await scope.push(null);
    expect(scope.shown).toEqual([{ title: "Hailango", options: expect.objectContaining({ tag: "notifyhub" }) }]);
  });

  it("on a click closes the notification and focuses a window already at the link", async () => {
    const scope = new FakeScope();
    handleNotifyhubPush({ scope, logger: logger() });
    await scope.push(JSON.stringify(exampleOf("notification")));
    const atLink = new FakeWindow("https://app.hailango.example/library");
    scope.windows.push(new FakeWindow(APP), atLink);
    const { notification } = await scope.click((scope.shown[0]!.options as { data: unknown }).data);
    expect(notification.closed).toBe(true);
    expect(atLink.focused).toBe(1);
    expect(scope.opened).toEqual([]);
  });

  it("on a click opens a window at the link when none is there", async () => {
    const scope = new FakeScope();
    handleNotifyhubPush({ scope, logger: logger() });
    scope.windows.push(new FakeWindow(APP));
    await scope.push(JSON.stringify(exampleOf("book_ready")));
    await scope.click((scope.shown[0]!.options as { data: unknown }).data);
    expect(scope.opened).toEqual(["https://app.hailango.example/books/b7e2a0c4-1d3f-4e5a-8b9c-0d1e2f3a4b5c"]);
  });

  it("leaves a click on the app's own notification alone", async () => {
    // The app's own notificationclick listener handles those.
    const scope = new FakeScope();
    handleNotifyhubPush({ scope, logger: logger() });
    const { notification, event } = await scope.click({ mine: true });
    expect(notification.closed).toBe(false);
    expect(event.pending).toEqual([]);
    expect(scope.opened).toEqual([]);
  });

  it("logs a notification that could not be shown instead of failing the event", async () => {
    const scope = new FakeScope();
    const log = logger();
    scope.registration.showNotification = async () => Promise.reject(new TypeError("no permission"));
    handleNotifyhubPush({ scope, logger: log });
    await scope.push("{}");
    expect(log.error).toHaveBeenCalledWith("notifyhub: showing a push failed", expect.any(TypeError));
  });

  it("with the hub given, subscribes again on pushsubscriptionchange with the old key and gives the hub the new subscription", async () => {
    // A browser that renewed the subscription keeps receiving the fallback without a visit to the app.
    const scope = new FakeScope();
    const { browser } = scope;
    handleNotifyhubPush({ scope, logger: logger(), fetch: browser.fetch, hub: { url: "https://hub.example", token: async () => "sw-jwt" } });
    const old = new FakeSubscription("https://push.example/send/old", decodeVapidKey(vapidKey(3)), browser.calls);
    await scope.fire("pushsubscriptionchange", { oldSubscription: old, newSubscription: null });
    expect(browser.calls).toEqual(["subscribe userVisibleOnly=true", "POST /api/v1/push/subscriptions", "DELETE /api/v1/push/subscriptions"]);
    expect(new Uint8Array(browser.pushManager.subscription!.options.applicationServerKey!)).toEqual(decodeVapidKey(vapidKey(3)));
    expect(browser.requests[0]).toMatchObject({ headers: { Authorization: "Bearer sw-jwt" }, body: { endpoint: "https://push.example/send/1" } });
    expect(browser.requests[1]!.body).toEqual({ endpoint: "https://push.example/send/old" });
  });

  it("without the hub, leaves pushsubscriptionchange alone", async () => {
    const scope = new FakeScope();
    handleNotifyhubPush({ scope, logger: logger() });
    const event = await scope.fire("pushsubscriptionchange", { oldSubscription: null, newSubscription: null });
    expect(event.pending).toEqual([]);
  });

  it("removes its listeners when disposed", async () => {
    const scope = new FakeScope();
    const dispose = handleNotifyhubPush({ scope, logger: logger() });
    dispose();
    await scope.push(JSON.stringify(exampleOf("book_ready")));
    expect(scope.shown).toEqual([]);
  });

  it("throws not_a_service_worker outside a service worker", () => {
    expect(() => handleNotifyhubPush()).toThrow(NotifyhubClientError);
    expect(() => handleNotifyhubPush()).toThrow("must be called in a service worker");
  });
});
