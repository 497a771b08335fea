/**
 * registerPush and unregisterPush against a real notifyhub (`notifyhub serve` with a VAPID key):
 * the browser's side is injected (tests/support/fakePush.ts: a headless browser has no push
 * service to subscribe with), with subscriptions shaped as a browser makes them; the hub's key,
 * its answers and its refusals are real.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotifyhubClientError } from "../../src/errors.js";
import { registerPush, unregisterPush, type PushOptions } from "../../src/push.js";
import type { HubFetch } from "../../src/pushEnvironment.js";
import { PushErrorReason } from "../../src/pushHub.js";
import { FakePushBrowser, realBrowserKeys } from "../support/fakePush.js";
import { Hub, NOTIFYHUB, freePort, hubAvailable, mintToken } from "../support/hub.js";

if (!hubAvailable) {
  const reason = `${NOTIFYHUB} is missing (run \`make install\`)`;
  if (process.env.CI) throw new Error(`the push tests against a real hub cannot run under CI: ${reason}`);
  console.warn(`\n*** SKIPPING the push tests against a real hub: ${reason} ***\n`);
}

/** A VAPID key pair: the private value as the hub's setting takes it, the public point as it serves it. */
function vapidKeys(): { privateKey: string; publicKey: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const { d } = privateKey.export({ format: "jwk" });
  return { privateKey: d!, publicKey: new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(-65)) };
}

const nodeFetch: HubFetch = (url, init) => fetch(url, init);

async function failure(promise: Promise<unknown>): Promise<NotifyhubClientError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(NotifyhubClientError);
  return error as NotifyhubClientError;
}

describe.skipIf(!hubAvailable)("Web Push against a real notifyhub", () => {
  const vapid = vapidKeys();
  let hub: Hub;
  let unconfigured: Hub;

  beforeAll(async () => {
    hub = new Hub(await freePort(), { NOTIFYHUB_VAPID_PRIVATE_KEY: vapid.privateKey, NOTIFYHUB_VAPID_SUBJECT: "mailto:push-tests@example.com" });
    unconfigured = new Hub(await freePort());
    await Promise.all([hub.start(), unconfigured.start()]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([hub?.stop(), unconfigured?.stop()]);
  }, 30_000);

  function browserFor(): FakePushBrowser {
    const browser = new FakePushBrowser();
    browser.pushManager.keys = realBrowserKeys();
    return browser;
  }

  function options(browser: FakePushBrowser, token: PushOptions["token"], target: Hub = hub): PushOptions {
    return { hubUrl: target.base, token, serviceWorkerUrl: "/sw.js", environment: browser.environment({ fetch: nodeFetch }) };
  }

  it("subscribes with the hub's VAPID key, the hub keeps the subscription (201) and knows it again (200, same id)", async () => {
    const browser = browserFor();
    const token = await mintToken(randomUUID());
    const first = await registerPush(options(browser, token));
    expect(first).toEqual({ id: expect.any(String), created: true, endpoint: "https://push.example/send/1" });
    expect(new Uint8Array(browser.pushManager.subscription!.options.applicationServerKey!)).toEqual(vapid.publicKey);
    const again = await registerPush(options(browser, async () => token));
    expect(again).toEqual({ ...first, created: false });
  }, 30_000);

  it("unsubscribes: the hub forgets the endpoint, so posting it again is new to it (201, not 200)", async () => {
    const browser = browserFor();
    const token = await mintToken(randomUUID());
    const { id } = await registerPush(options(browser, token));
    expect(await unregisterPush(options(browser, token))).toBe(true);
    const subscription = browser.pushManager.subscription!;
    const posted = await fetch(`${hub.base}/api/v1/push/subscriptions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(subscription.toJSON()),
    });
    expect(posted.status).toBe(201);
    expect(((await posted.json()) as { id: string }).id).toBe(id); // the hub's id is made from the endpoint
  }, 30_000);

  it("refuses a token the hub did not sign with push_unauthorized, the browser's subscription kept for the next try", async () => {
    const browser = browserFor();
    const error = await failure(registerPush(options(browser, "not.a.jwt")));
    expect(error.reason).toBe(PushErrorReason.UNAUTHORIZED);
    expect(browser.pushManager.subscription).not.toBeNull();
    expect((await registerPush(options(browser, await mintToken(randomUUID())))).created).toBe(true);
  }, 30_000);

  it("refuses a subscription without the browser's keys with push_refused, naming the hub's reason", async () => {
    const browser = browserFor();
    browser.pushManager.keys = { p256dh: "", auth: "" };
    const error = await failure(registerPush(options(browser, await mintToken(randomUUID()))));
    expect(error.reason).toBe(PushErrorReason.REFUSED);
    expect(error.message).toMatch(/^the hub refused the subscription \(422: /);
  }, 30_000);

  it("says push_not_configured for a hub without a VAPID key, before subscribing", async () => {
    const browser = browserFor();
    const error = await failure(registerPush(options(browser, await mintToken(randomUUID()), unconfigured)));
    expect(error.reason).toBe(PushErrorReason.NOT_CONFIGURED);
    expect(browser.calls).not.toContain("subscribe userVisibleOnly=true");
  }, 30_000);
});
