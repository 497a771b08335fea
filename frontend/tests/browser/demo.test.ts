/**
 * The demo page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no
 * browser is ever downloaded) against a real hub: messages render, and after a hub restart the
 * page reconnects by itself and renders the next one; "Mark all read" clears the unread badge.
 * Saves test-results/demo.png.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hub, freePort, hubAvailable, mintToken } from "../support/hub.js";
import { notification, ocrProgress } from "../support/messages.js";

const CHROMIUM = "/usr/bin/chromium";
const frontend = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const config = join(frontend, "vite.demo.config.ts");
const results = join(frontend, "test-results");

const missing = [
  existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`,
  hubAvailable ? undefined : ".venv/bin/notifyhub is missing (make install)",
].filter((reason) => reason !== undefined);
if (missing.length > 0) {
  if (process.env.CI) throw new Error(`the browser test must run under CI: ${missing.join("; ")}`);
  console.warn(`\n*** SKIPPING the browser test: ${missing.join("; ")} ***\n`);
}

describe.skipIf(missing.length > 0)("the demo page in Chromium", () => {
  let hub: Hub;
  let server: PreviewServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The demo's operations view reads /api/v1/ws/stats from the page, as under `make demo`.
    hub = new Hub(await freePort(), { NOTIFYHUB_OPERATIONS_PUBLIC: "true" });
    await Promise.all([hub.start(), build({ configFile: config, logLevel: "warn" })]);
    const port = await freePort();
    server = await preview({
      configFile: config,
      logLevel: "silent", // its proxy logs every refused connection while the hub restarts, as it should
      preview: { host: "127.0.0.1", port, strictPort: true, proxy: { "/api": { target: hub.base, ws: true } } },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await hub?.stop();
  }, 30_000);

  const badge = (): ReturnType<Page["getByRole"]> => page.getByRole("status", { name: "connection state" });

  it("renders messages and comes back after a hub restart", async () => {
    // What a user sees: live progress and toasts, surviving a deploy without a reload.
    const user = "9c1d1f4e-8a51-4a43-9d4a-0f7b8c1d2e3f";
    const port = server.config.preview.port;
    await page.goto(`http://127.0.0.1:${port}/#token=${await mintToken(user)}`);
    await badge().filter({ hasText: "open" }).waitFor({ timeout: 15_000 });

    await hub.publish({ user_ids: [user], message: { type: "ocr_progress", payload: ocrProgress } });
    await hub.publish({ user_ids: [user], message: { type: "notification", payload: notification } });
    await page.getByText("45 / 120 pages").waitFor({ timeout: 5000 });
    await page.getByRole("alert").filter({ hasText: notification.message }).waitFor({ timeout: 5000 });
    const bar = page.getByLabel(`OCR progress of book ${ocrProgress.book_id}`);
    expect(await bar.evaluate((element) => (element as HTMLProgressElement).value)).toBe(37.5);
    const unread = page.getByLabel("unread messages");
    await unread.filter({ hasText: "2 unread" }).waitFor({ timeout: 5000 });
    await page.getByRole("button", { name: "Mark all read" }).click();
    await unread.filter({ hasText: "0 unread" }).waitFor({ timeout: 5000 });

    await hub.stop();
    await badge().filter({ hasText: "reconnecting" }).waitFor({ timeout: 10_000 });
    await hub.start();
    await badge().filter({ hasText: "open" }).waitFor({ timeout: 20_000 });

    const after = { title: "Back online", message: "Delivered after the restart", level: "info" as const };
    await hub.publish({ user_ids: [user], message: { type: "notification", payload: after } });
    await page.getByRole("alert").filter({ hasText: after.message }).waitFor({ timeout: 5000 });
    await unread.filter({ hasText: "1 unread" }).waitFor({ timeout: 5000 }); // a new stream after the restart
    await page.getByTestId("stat-connections").filter({ hasText: "1" }).waitFor({ timeout: 10_000 });

    mkdirSync(results, { recursive: true });
    await page.screenshot({ path: join(results, "demo.png"), fullPage: true });
  }, 90_000);
});
