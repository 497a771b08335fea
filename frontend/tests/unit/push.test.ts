/** registerPush, unregisterPush and pushState against a hand-driven browser and hub (tests/support/fakePush.ts). */
import { afterEach, describe, expect, it, vi } from "vitest";
import { NotifyhubClientError } from "../../src/errors.js";
import { WORKER_ACTIVATION_TIMEOUT_MS, pushState, registerPush, unregisterPush, type PushOptions } from "../../src/push.js";
import { PushErrorReason, decodeVapidKey } from "../../src/pushHub.js";
import { FakePushBrowser, FakeSubscription, vapidKey } from "../support/fakePush.js";

const HUB = "https://hub.example/";

function options(browser: FakePushBrowser, extra: Partial<PushOptions> = {}): PushOptions {
  return { hubUrl: HUB, token: "user-jwt", serviceWorkerUrl: "/sw.js", environment: browser.environment(), ...extra };
}

async function failure(promise: Promise<unknown>): Promise<NotifyhubClientError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(NotifyhubClientError);
  return error as NotifyhubClientError;
}

afterEach(() => vi.useRealTimers());

describe("registerPush", () => {
  it("asks permission first, then registers, fetches the key, subscribes visibly and posts the subscription with the user's token", async () => {
    // The prompt must come before any other await, while the click's user activation lasts.
    const browser = new FakePushBrowser();
    const registered = await registerPush(options(browser, { scope: "/app/" }));
    expect(browser.calls).toEqual([
      "requestPermission",
      'register /sw.js {"scope":"/app/","type":"classic"}',
      "GET /api/v1/push/vapid-public-key",
      "subscribe userVisibleOnly=true",
      "POST /api/v1/push/subscriptions",
    ]);
    expect(registered).toEqual({ id: "sub-1", created: true, endpoint: "https://push.example/send/1" });
    const post = browser.requests.at(-1)!;
    expect(post.url).toBe("https://hub.example/api/v1/push/subscriptions");
    expect(post.headers).toMatchObject({ Authorization: "Bearer user-jwt", "Content-Type": "application/json" });
    expect(post.body).toEqual({ endpoint: "https://push.example/send/1", expirationTime: null, keys: { p256dh: "BPublicKeyOfTheBrowser", auth: "AuthSecret" } });
    expect(new Uint8Array(browser.pushManager.subscription!.options.applicationServerKey!)).toEqual(decodeVapidKey(vapidKey(7)));
  });

  it("takes the token from an async getter, called when the subscription is posted", async () => {
    const browser = new FakePushBrowser();
    const getToken = vi.fn(async () => "fresh-jwt");
    await registerPush(options(browser, { token: getToken }));
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(browser.requests.at(-1)!.headers.Authorization).toBe("Bearer fresh-jwt");
  });

  it("reuses the browser's subscription made with the hub's key and posts it again (the hub answers 200, same id)", async () => {
    // Calling registerPush at every start-up keeps the hub's copy current without new subscriptions.
    const browser = new FakePushBrowser();
    browser.permission = "granted";
    await registerPush(options(browser));
    browser.answers.set("POST /api/v1/push/subscriptions", { status: 200, body: { id: "sub-1" } });
    browser.calls.length = 0;
    expect(await registerPush(options(browser))).toEqual({ id: "sub-1", created: false, endpoint: "https://push.example/send/1" });
    expect(browser.calls).not.toContain("subscribe userVisibleOnly=true");
    expect(browser.calls).not.toContain("requestPermission"); // granted already: nothing is asked
  });

  it("replaces a subscription made with another key: unsubscribes it, tells the hub to drop it, subscribes with the new key", async () => {
    // A hub whose VAPID key changed cannot push to subscriptions made with the old one.
    const browser = new FakePushBrowser();
    const stale = new FakeSubscription("https://push.example/send/old", decodeVapidKey(vapidKey(9)), browser.calls);
    browser.pushManager.subscription = stale;
    await registerPush(options(browser));
    expect(browser.calls.slice(3)).toEqual([
      "unsubscribe https://push.example/send/old",
      "DELETE /api/v1/push/subscriptions",
      "subscribe userVisibleOnly=true",
      "POST /api/v1/push/subscriptions",
    ]);
    expect(browser.requests.find((request) => request.method === "DELETE")!.body).toEqual({ endpoint: "https://push.example/send/old" });
    expect(stale.unsubscribed).toBe(true);
  });

  it("waits for a newly installed worker to activate before subscribing", async () => {
    // A push subscription needs an active worker; subscribing earlier fails in browsers.
    const browser = new FakePushBrowser();
    browser.activateAtOnce = false;
    const done = registerPush(options(browser));
    await vi.waitFor(() => expect(browser.registration).toBeDefined());
    const worker = browser.registration!.installing!;
    worker.moveTo("installed");
    await new Promise((resolve) => setImmediate(resolve)); // let registerPush go on, if it wrongly would
    expect(browser.calls).not.toContain("GET /api/v1/push/vapid-public-key");
    worker.moveTo("activated");
    await done;
    expect(browser.calls.at(-1)).toBe("POST /api/v1/push/subscriptions");
  });

  it("fails with push_worker_failed when the worker's install fails or never finishes", async () => {
    const browser = new FakePushBrowser();
    browser.activateAtOnce = false;
    const redundant = failure(registerPush(options(browser)));
    await vi.waitFor(() => expect(browser.registration).toBeDefined());
    browser.registration!.installing!.moveTo("redundant");
    expect((await redundant).reason).toBe(PushErrorReason.WORKER_FAILED);

    vi.useFakeTimers();
    const stuck = failure(registerPush(options(browser)));
    await vi.advanceTimersByTimeAsync(WORKER_ACTIVATION_TIMEOUT_MS);
    expect((await stuck).reason).toBe(PushErrorReason.WORKER_FAILED);
  });

  it.each([
    ["no service worker container", { serviceWorker: undefined }],
    ["no PushManager", { pushManager: false }],
    ["no Notification", { Notification: undefined }],
  ])("throws push_unsupported with %s, before asking anything", async (_, missing) => {
    const browser = new FakePushBrowser();
    const error = await failure(registerPush(options(browser, { environment: browser.environment(missing) })));
    expect(error.reason).toBe(PushErrorReason.UNSUPPORTED);
    expect(browser.calls).toEqual([]);
  });

  it("throws push_denied when the user blocks notifications, and push_dismissed when they close the prompt; nothing reaches the hub", async () => {
    const blocked = new FakePushBrowser();
    blocked.answer = "denied";
    expect((await failure(registerPush(options(blocked)))).reason).toBe(PushErrorReason.DENIED);
    expect(blocked.calls).toEqual(["requestPermission"]);

    const dismissed = new FakePushBrowser();
    dismissed.answer = "default";
    expect((await failure(registerPush(options(dismissed)))).reason).toBe(PushErrorReason.DISMISSED);
    expect(dismissed.requests).toEqual([]);
  });

  it("does not prompt again once the user blocked notifications", async () => {
    // Browsers ignore the request anyway; the error says why nothing happened.
    const browser = new FakePushBrowser();
    browser.permission = "denied";
    expect((await failure(registerPush(options(browser)))).reason).toBe(PushErrorReason.DENIED);
    expect(browser.calls).toEqual([]);
  });

  it("throws push_not_configured when the hub has no VAPID key (404), before subscribing", async () => {
    const browser = new FakePushBrowser();
    browser.answers.set("GET /api/v1/push/vapid-public-key", { status: 404, body: { error: "push_not_configured", detail: "no VAPID key" } });
    const error = await failure(registerPush(options(browser)));
    expect(error.reason).toBe(PushErrorReason.NOT_CONFIGURED);
    expect(error.message).toContain("no VAPID key");
    expect(browser.calls).not.toContain("subscribe userVisibleOnly=true");
  });

  it.each([
    ["not base64url", "%%%"],
    ["a compressed point", Buffer.from(new Uint8Array(33).fill(2)).toString("base64url")],
  ])("throws push_refused for a VAPID key that is %s", async (_, key) => {
    const browser = new FakePushBrowser();
    browser.answers.set("GET /api/v1/push/vapid-public-key", { status: 200, body: { public_key: key } });
    expect((await failure(registerPush(options(browser)))).reason).toBe(PushErrorReason.REFUSED);
  });

  it("throws push_unauthorized on 401 and push_refused with the hub's reason on 422", async () => {
    const browser = new FakePushBrowser();
    browser.answers.set("POST /api/v1/push/subscriptions", { status: 401, body: { error: "invalid_token", detail: "expired" } });
    expect((await failure(registerPush(options(browser)))).reason).toBe(PushErrorReason.UNAUTHORIZED);

    browser.answers.set("POST /api/v1/push/subscriptions", { status: 422, body: { error: "invalid_subscription", detail: "keys.auth: field required" } });
    const error = await failure(registerPush(options(browser)));
    expect(error.reason).toBe(PushErrorReason.REFUSED);
    expect(error.message).toBe("the hub refused the subscription (422: invalid_subscription: keys.auth: field required)");
  });

  it("throws push_unreachable, the network error as its cause, when the hub cannot be reached", async () => {
    const browser = new FakePushBrowser();
    const cause = new TypeError("Failed to fetch");
    browser.answers.set("GET /api/v1/push/vapid-public-key", cause);
    const error = await failure(registerPush(options(browser)));
    expect(error.reason).toBe(PushErrorReason.UNREACHABLE);
    expect(error.cause).toBe(cause);
  });

  it("throws push_subscribe_failed when the browser's push service refuses", async () => {
    const browser = new FakePushBrowser();
    browser.pushManager.failure = new DOMException("Registration failed - push service not available", "AbortError");
    const error = await failure(registerPush(options(browser)));
    expect(error.reason).toBe(PushErrorReason.SUBSCRIBE_FAILED);
    expect(browser.requests.filter((request) => request.method === "POST")).toEqual([]);
  });

  it("throws no_url without hubUrl outside a page", async () => {
    const browser = new FakePushBrowser();
    const { hubUrl: _, ...withoutHub } = options(browser);
    expect((await failure(registerPush(withoutHub))).reason).toBe("no_url");
  });
});

describe("unregisterPush", () => {
  it("unsubscribes the browser, then tells the hub to forget the endpoint", async () => {
    const browser = new FakePushBrowser();
    await registerPush(options(browser));
    browser.calls.length = 0;
    expect(await unregisterPush(options(browser))).toBe(true);
    expect(browser.calls).toEqual(["unsubscribe https://push.example/send/1", "DELETE /api/v1/push/subscriptions"]);
    expect(browser.requests.at(-1)).toMatchObject({ headers: { Authorization: "Bearer user-jwt" }, body: { endpoint: "https://push.example/send/1" } });
  });

  it("returns false, asking the hub nothing, when there is no subscription", async () => {
    const browser = new FakePushBrowser();
    expect(await unregisterPush(options(browser))).toBe(false);
    expect(browser.requests).toEqual([]);
  });

  it("leaves the browser unsubscribed when the hub refuses, and says so", async () => {
    // What the user asked for takes effect; the hub drops the endpoint when its push service reports it gone.
    const browser = new FakePushBrowser();
    await registerPush(options(browser));
    browser.answers.set("DELETE /api/v1/push/subscriptions", { status: 401 });
    expect((await failure(unregisterPush(options(browser)))).reason).toBe(PushErrorReason.UNAUTHORIZED);
    expect(browser.pushManager.subscription!.unsubscribed).toBe(true);
  });
});

describe("pushState", () => {
  it("tells unsupported, denied, prompt, unsubscribed and subscribed apart without asking anything", async () => {
    const browser = new FakePushBrowser();
    expect(await pushState({ environment: browser.environment({ pushManager: false }) })).toBe("unsupported");
    expect(await pushState({ environment: browser.environment() })).toBe("prompt");
    browser.permission = "denied";
    expect(await pushState({ environment: browser.environment() })).toBe("denied");
    browser.permission = "granted";
    expect(await pushState({ environment: browser.environment() })).toBe("unsubscribed");
    await registerPush(options(browser));
    expect(await pushState({ environment: browser.environment() })).toBe("subscribed");
    expect(browser.calls).not.toContain("requestPermission");
  });
});
