/**
 * The operations console (`/console/`, served by the hub itself) in headless Chromium (Debian's
 * /usr/bin/chromium, driven by playwright-core) against a real hub and a real WebSocket client:
 * a wrong key is refused, the right one shows the hub and the connected user, the user's lookup
 * shows the connection, the send form shows the service API's 422 next to the field and then
 * delivers to the client, and "Disconnect" closes the client with 4501.
 * Saves test-results/console.png and test-results/console-user.png (docs/images/ holds copies).
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Hub, SERVICE_KEY, freePort, hubAvailable, mintToken } from "../support/hub.js";

const CHROMIUM = "/usr/bin/chromium";
const results = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test-results");

const missing = [
  existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`,
  hubAvailable ? undefined : ".venv/bin/notifyhub is missing (make install)",
].filter((reason) => reason !== undefined);
if (missing.length > 0) {
  if (process.env.CI) throw new Error(`the console's browser test must run under CI: ${missing.join("; ")}`);
  console.warn(`\n*** SKIPPING the console's browser test: ${missing.join("; ")} ***\n`);
}

interface Learner {
  socket: WebSocket;
  connectionId: string;
  messages: { type: string; payload: Record<string, unknown> }[];
  closed: Promise<number>;
  next(type: string): Promise<{ type: string; payload: Record<string, unknown> }>;
}

/** A learner's tab: a real WebSocket client of the hub, keeping what it receives. */
async function learner(hub: Hub, userId: string): Promise<Learner> {
  const socket = new WebSocket(hub.wsUrl, ["notifyhub.v1", `bearer.${await mintToken(userId)}`]);
  const messages: Learner["messages"] = [];
  const waiting: (() => void)[] = [];
  socket.on("message", (data) => {
    messages.push(JSON.parse(String(data)));
    waiting.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  const next = async (type: string) => {
    for (;;) {
      const found = messages.find((message) => message.type === type);
      if (found) return found;
      await new Promise<void>((wake) => waiting.push(wake));
    }
  };
  const established = await next("connection_established");
  return { socket, connectionId: String(established.payload.connection_id), messages, closed, next };
}

describe.skipIf(missing.length > 0)("the operations console in Chromium", () => {
  let hub: Hub;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    hub = new Hub(await freePort(), { NOTIFYHUB_CONSOLE_SAMPLE_SECONDS: "1" });
    await hub.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  }, 30_000);

  it("refuses a wrong key", async () => {
    // Nothing of the hub's traffic or users shows without a key it accepts.
    await page.goto(`${hub.base}/console/`);
    await page.getByLabel("Operations or service key").fill("not-the-key");
    await page.getByRole("button", { name: "Open" }).click();
    await page.getByRole("alert").filter({ hasText: "refused this key (401)" }).waitFor({ timeout: 5000 });
    expect(await page.locator("#console").isHidden()).toBe(true);
    const direct = await fetch(`${hub.base}/api/v1/console/hubs`);
    expect(direct.status).toBe(401);
  }, 30_000);

  it("shows the hub and a connected user, sends to them, and disconnects them", async () => {
    const userId = "5b7a4c2e-1f3d-4e6a-9b8c-7d6e5f4a3b2c";
    const tab = await learner(hub, userId);

    await page.getByLabel("Operations or service key").fill(SERVICE_KEY);
    await page.getByRole("button", { name: "Open" }).click();
    await page.getByLabel("totals").filter({ hasText: "1 users, 1 connections on 1 hub(s)" }).waitFor({ timeout: 5000 });
    expect(await page.getByRole("table", { name: "hubs" }).locator("tbody tr").count()).toBe(1);

    await page.getByLabel("User id", { exact: true }).fill(userId);
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByLabel("presence").filter({ hasText: "online: 1 connection(s)" }).waitFor({ timeout: 5000 });
    await page.getByRole("table", { name: "connections" }).getByText(tab.connectionId).waitFor({ timeout: 5000 });

    // The form is built from the OpenAPI document; the service API's 422 lands next to the field.
    await page.getByLabel("type", { exact: true }).selectOption("notification");
    await page.getByLabel("message", { exact: true }).fill("Your review session is ready");
    await page.getByRole("button", { name: "Send" }).click();
    const titleError = page.locator('[data-error-for="/message/payload/title"]');
    await titleError.filter({ hasText: "Field required" }).waitFor({ timeout: 5000 });
    expect(tab.messages.filter((message) => message.type === "notification")).toEqual([]);

    await page.getByLabel("title", { exact: true }).fill("From the console");
    await page.getByRole("button", { name: "Send" }).click();
    const delivered = await tab.next("notification");
    expect(delivered.payload).toEqual({ title: "From the console", message: "Your review session is ready", level: "info" });
    await page.getByRole("status").filter({ hasText: "reached 1 connection(s)" }).waitFor({ timeout: 5000 });
    expect(await titleError.textContent()).toBe("");
    await page.getByRole("table", { name: "stream" }).getByText("notification").waitFor({ timeout: 5000 });
    await page.getByLabel("stream cursors").filter({ hasText: "last seq 1" }).waitFor({ timeout: 5000 });

    // The charts pick the message up at the next sample.
    await page.locator("#chart-messages .legend").filter({ hasText: "notification" }).waitFor({ timeout: 10_000 });
    mkdirSync(results, { recursive: true });
    await page.screenshot({ path: join(results, "console.png"), fullPage: true });

    await page.getByRole("button", { name: "Disconnect all connections (4501)" }).click();
    expect(await tab.closed).toBe(4501);
    await page.getByRole("status").filter({ hasText: "closed with 4501: 1 connection(s)" }).waitFor({ timeout: 5000 });
    await page.getByLabel("presence").filter({ hasText: "offline" }).waitFor({ timeout: 5000 });
    await page.locator("#user").screenshot({ path: join(results, "console-user.png") });
  }, 60_000);
});
