/**
 * The service worker entry in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core): the package is built (scripts/build.mjs) and served with a page and the app's
 * own sw.js (`import { handleNotifyhubPush } ...; handleNotifyhubPush()`) from a loopback server;
 * pushes are delivered through the DevTools protocol (`ServiceWorker.deliverPushMessage`) with
 * the envelope a real hub sent over its WebSocket, and the notifications read back with
 * `registration.getNotifications()`. Chromium has no push service of its own in headless mode, so
 * subscribing is tested against a real hub in tests/hub/push.test.ts.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page, type Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { Hub, freePort, hubAvailable, mintToken } from "../support/hub.js";

const CHROMIUM = "/usr/bin/chromium";
const frontend = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const missing = [
  existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`,
  hubAvailable ? undefined : ".venv/bin/notifyhub is missing (make install)",
].filter((reason) => reason !== undefined);
if (missing.length > 0) {
  if (process.env.CI) throw new Error(`the service worker's browser test must run under CI: ${missing.join("; ")}`);
  console.warn(`\n*** SKIPPING the service worker's browser test: ${missing.join("; ")} ***\n`);
}

/** The app's own service worker, as docs/client-and-hooks.md shows it (the package under /notifyhub/). */
const SW_JS = 'import { handleNotifyhubPush } from "./notifyhub/serviceWorker.js";\n\nhandleNotifyhubPush();\n';

/** How long a push may take to show, or a click to be handled, in a loaded two-core machine. */
const EVENT_TIMEOUT_MS = 10_000;

interface Shown {
  readonly title: string;
  readonly body: string;
  readonly tag: string;
  readonly data: { link: string; messageId: string | null; type: string | null; source: string };
}

/** GET only: sw.js, the built package under /notifyhub/, and a small HTML page at any other path. */
function staticServer(build: string): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const packaged = normalize(join(build, path.slice("/notifyhub/".length)));
    if (path === "/sw.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(SW_JS);
    } else if (path.startsWith("/notifyhub/") && packaged.startsWith(build + sep) && existsSync(packaged)) {
      response.writeHead(200, { "content-type": extname(packaged) === ".js" ? "text/javascript" : "application/octet-stream" });
      response.end(readFileSync(packaged));
    } else if (path.startsWith("/notifyhub/")) {
      response.writeHead(404).end();
    } else {
      response.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>${path}</title><p>${path}</p>\n`);
    }
  });
}

/** The text of the first `type` frame the hub sends a user's WebSocket after `publish` runs. */
async function frameFromHub(hub: Hub, userId: string, type: string, publish: () => Promise<unknown>): Promise<string> {
  const socket = new WebSocket(hub.wsUrl, ["notifyhub.v1", `bearer.${await mintToken(userId)}`]);
  try {
    const frames: string[] = [];
    const arrived = (wanted: string) =>
      new Promise<string>((resolve) => {
        const onMessage = (data: WebSocket.RawData): void => {
          const text = String(data);
          frames.push(text);
          if ((JSON.parse(text) as { type: string }).type === wanted) {
            socket.off("message", onMessage);
            resolve(text);
          }
        };
        socket.on("message", onMessage);
      });
    await arrived("connection_established");
    const frame = arrived(type);
    await publish();
    return await frame;
  } finally {
    socket.close();
  }
}

describe.skipIf(missing.length > 0)("the service worker entry in Chromium", () => {
  let build: string;
  let server: Server;
  let origin: string;
  let hub: Hub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let worker: Worker;
  let registrationId: string;

  beforeAll(async () => {
    // A build of its own: `npm pack` in the tarball test rebuilds dist/ meanwhile.
    mkdirSync(join(frontend, "test-results"), { recursive: true });
    build = mkdtempSync(join(frontend, "test-results", "push-build-"));
    hub = new Hub(await freePort());
    await Promise.all([
      promisify(execFile)(process.execPath, [join(frontend, "scripts", "build.mjs"), build], { cwd: frontend, timeout: 120_000 }),
      hub.start(),
    ]);
    server = staticServer(build);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    context = await browser.newContext();
    await context.grantPermissions(["notifications"], { origin }); // CDP Browser.grantPermissions
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    const registered = new Promise<string>((resolve) =>
      cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
        const ours = registrations.find((registration) => registration.scopeURL === `${origin}/` && !registration.isDeleted);
        if (ours !== undefined) resolve(ours.registrationId);
      }),
    );
    await cdp.send("ServiceWorker.enable");
    const workerStarted = context.waitForEvent("serviceworker");
    await page.goto(`${origin}/`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.register("/sw.js", { type: "module" });
      await navigator.serviceWorker.ready;
    });
    [registrationId, worker] = await Promise.all([registered, workerStarted]);
    await recordShows();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (build) rmSync(build, { recursive: true, force: true });
  }, 30_000);

  /**
   * What the hub sends over the WebSocket for a `book_ready` whose url is `/books/<slug>` of this
   * origin: a new message (a new id, so a new tag) for each test, since Chromium may let a
   * notification closed just before take a new one with the same tag along.
   */
  async function envelopeFromHub(slug: string): Promise<{ envelope: string; id: string; link: string }> {
    const userId = "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    const link = `${origin}/books/${slug}`;
    const payload = { book_id: "b7e2a0c4-1d3f-4e5a-8b9c-0d1e2f3a4b5c", title: "Le Petit Prince", total_pages: 120, url: link };
    const envelope = await frameFromHub(hub, userId, "book_ready", () => hub.publish({ user_ids: [userId], message: { type: "book_ready", payload } }));
    return { envelope, id: (JSON.parse(envelope) as { id: string }).id, link };
  }

  async function deliver(data: string): Promise<void> {
    await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data });
  }

  async function notifications(): Promise<Shown[]> {
    return page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return (await registration.getNotifications()).map(({ title, body, tag, data }) => ({ title, body, tag, data }) as Shown);
    });
  }

  /** The tags of the notifications shown so far, in order: recorded once Chromium has shown each. */
  async function recordShows(): Promise<void> {
    await worker.evaluate(() => {
      const scope = self as unknown as { registration: { showNotification(title: string, options: { tag: string }): Promise<void> }; shownTags: string[] };
      const show = scope.registration.showNotification.bind(scope.registration);
      scope.shownTags = [];
      scope.registration.showNotification = async (title, options) => {
        await show(title, options);
        scope.shownTags.push(options.tag);
      };
    });
  }

  /**
   * Wait until the worker has shown `count` notifications tagged `tag`, then read Chromium's list
   * of that tag. (No test closes a notification before another is shown: Chromium may drop a
   * notification shown while a close is still being processed.)
   */
  async function shownWith(tag: string, count = 1): Promise<Shown[]> {
    const shownTags = (): Promise<string[]> => worker.evaluate(() => (self as unknown as { shownTags: string[] }).shownTags);
    await vi.waitFor(async () => expect((await shownTags()).filter((shown) => shown === tag)).toHaveLength(count), { timeout: EVENT_TIMEOUT_MS });
    return (await notifications()).filter((shown) => shown.tag === tag);
  }

  it("shows the hub's envelope as a notification: the book's title, tagged with the message id, linking to the book", async () => {
    const { envelope, id, link } = await envelopeFromHub("shown");
    await deliver(envelope);
    expect(await shownWith(id)).toEqual([
      {
        title: "Le Petit Prince",
        body: "Your book is ready to open (120 pages).",
        tag: id,
        data: { source: "notifyhub", link, messageId: id, type: "book_ready" },
      },
    ]);
  }, 30_000);

  it("replaces the notification when the same message is pushed again, never doubles it", async () => {
    // The hub may push a message again (a retry); the user sees it once.
    const { envelope, id } = await envelopeFromHub("twice");
    await deliver(envelope);
    await deliver(envelope);
    expect((await shownWith(id, 2)).map(({ tag }) => tag)).toEqual([id]);
  }, 30_000);

  it("shows a generic notification for a push that is not an envelope", async () => {
    // The subscription promised Chromium that every push is visible.
    await deliver("not json");
    expect(await shownWith("notifyhub")).toEqual([
      { title: "New notification", body: "", tag: "notifyhub", data: { source: "notifyhub", link: `${origin}/`, messageId: null, type: null } },
    ]);
  }, 30_000);

  /**
   * Dispatch `notificationclick` for the notification tagged `tag` to the worker's own listeners,
   * recording what they ask of `clients`. Chromium lets a worker open or focus a window only while
   * it handles a click the user made, which nothing in headless Chromium can make; so the calls are
   * recorded (and Chromium's refusal of them is what the listener logs).
   */
  async function click(tag: string): Promise<{ opened: string[]; focused: string[]; left: string[] }> {
    return worker.evaluate(async (wanted) => {
      type Client = { url: string; focus(): Promise<unknown> };
      const scope = self as unknown as {
        registration: { getNotifications(): Promise<{ tag: string }[]> };
        clients: { openWindow(url: string): Promise<unknown>; matchAll(options: object): Promise<Client[]> };
        dispatchEvent(event: Event): boolean;
      };
      const opened: string[] = [];
      const focused: string[] = [];
      const openWindow = scope.clients.openWindow.bind(scope.clients);
      scope.clients.openWindow = (url) => (opened.push(url), openWindow(url));
      const matchAll = scope.clients.matchAll.bind(scope.clients);
      scope.clients.matchAll = async (options) =>
        (await matchAll(options)).map((client) => ({ url: client.url, focus: () => (focused.push(client.url), client.focus()) }));
      const notification = (await scope.registration.getNotifications()).find((shown) => shown.tag === wanted);
      const pending: Promise<unknown>[] = [];
      const event = Object.assign(new Event("notificationclick"), { notification, waitUntil: (work: Promise<unknown>) => pending.push(work) });
      scope.dispatchEvent(event);
      await Promise.all(pending);
      const left = (await scope.registration.getNotifications()).map((shown) => shown.tag);
      return { opened, focused, left };
    }, tag);
  }

  it("on a click closes the notification and opens a window at its book, or focuses the window already there", async () => {
    // Both shown before either click: see shownWith.
    const toOpen = await envelopeFromHub("to-open");
    const toFocus = await envelopeFromHub("to-focus");
    await deliver(toOpen.envelope);
    await deliver(toFocus.envelope);
    expect(await shownWith(toOpen.id)).toHaveLength(1);
    expect(await shownWith(toFocus.id)).toHaveLength(1);

    const opening = await click(toOpen.id);
    expect(opening).toMatchObject({ opened: [toOpen.link], focused: [] });
    expect(opening.left).not.toContain(toOpen.id);

    const tab = await context.newPage();
    await tab.goto(toFocus.link);
    const focusing = await click(toFocus.id);
    expect(focusing).toMatchObject({ opened: [], focused: [toFocus.link] });
    expect(focusing.left).not.toContain(toFocus.id);
    await tab.close();
  }, 30_000);
});
