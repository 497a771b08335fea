/**
 * A storm against real hubs (`notifyhub serve` child processes, Node's `ws`): a hub whose Redis is
 * unreachable closes every connection with 1013, then goes away altogether, and a working hub
 * comes up on the same port. The client, with the default `maxReconnectAttempts`, rides through
 * many more failures than that, connects to the new hub and receives its next message.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { createClient, type NotifyhubClient } from "../../src/client.js";
import type { WebSocketConstructor } from "../../src/environment.js";
import { DEFAULT_CLIENT_OPTIONS, type StateChange } from "../../src/options.js";
import { CloseCode, type ServerMessage } from "../../src/types.js";
import { Hub, NOTIFYHUB, freePort, hubAvailable, mintToken } from "../support/hub.js";
import { notification } from "../support/messages.js";

if (!hubAvailable) {
  const reason = `${NOTIFYHUB} is missing (run \`make install\`)`;
  if (process.env.CI) throw new Error(`real-hub tests cannot run under CI: ${reason}`);
  console.warn(`\n*** SKIPPING the real-hub storm test: ${reason} ***\n`);
}

/** A Redis URL nothing listens on: the hub starts, and refuses every connection with 1013. */
const UNREACHABLE_REDIS = { NOTIFYHUB_BACKEND: "redis", NOTIFYHUB_REDIS_URL: "redis://127.0.0.1:1/0" };

/** What every socket the client made was closed with, and whether it had opened. */
function recordingWebSocket(closes: { code: number; opened: boolean }[]): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      let opened = false;
      this.on("open", () => (opened = true));
      this.on("close", (code: number) => closes.push({ code, opened }));
    }
  };
}

const hubs: Hub[] = [];
const clients: NotifyhubClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((client) => client.disconnect());
  await Promise.all(hubs.splice(0).map((hub) => hub.stop()));
}, 30_000);

describe.skipIf(!hubAvailable)("a storm against real hubs", () => {
  it("rides out 1013 refusals and a hub that is gone, then connects to the hub that comes back", async () => {
    // A Redis outage followed by a redeploy: every open tab is connected again afterwards, without a reload.
    const port = await freePort();
    const storming = new Hub(port, UNREACHABLE_REDIS);
    hubs.push(storming);
    await storming.start();

    const user = randomUUID();
    const token = await mintToken(user);
    const closes: { code: number; opened: boolean }[] = [];
    const changes: StateChange[] = [];
    const received: ServerMessage[] = [];
    const client = createClient({
      url: storming.wsUrl,
      WebSocket: recordingWebSocket(closes),
      reconnectInterval: 20,
      maxReconnectInterval: 100,
      onlineTarget: null,
      visibilityTarget: null,
      logger: { warn: () => {}, error: console.error },
    });
    clients.push(client);
    client.onStateChange((change) => changes.push(change));
    client.subscribeAll((message) => received.push(message));
    client.connect(async () => token);

    // More 1013s than the default maxReconnectAttempts, each from a socket that opened.
    const enough = 2 * DEFAULT_CLIENT_OPTIONS.maxReconnectAttempts;
    await vi.waitFor(() => expect(closes.filter((c) => c.code === CloseCode.TRY_AGAIN_LATER).length).toBeGreaterThan(enough), {
      timeout: 15_000,
    });
    expect(changes.at(-1)).toMatchObject({ current: "reconnecting", code: CloseCode.TRY_AGAIN_LATER });

    // The hub goes away: handshakes now fail before opening, and the auth-check cannot be asked.
    await storming.stop();
    const before = closes.length;
    await vi.waitFor(() => expect(closes.slice(before).filter((c) => !c.opened).length).toBeGreaterThan(enough), {
      timeout: 15_000,
    });
    expect(client.state).toBe("reconnecting");

    const working = new Hub(port);
    hubs.push(working);
    await working.start();
    await vi.waitFor(() => expect(client.state).toBe("open"), { timeout: 10_000 });
    expect(changes.filter((change) => change.current === "closed")).toEqual([]);

    await working.publish({ user_ids: [user], message: { type: "notification", payload: notification } });
    await vi.waitFor(() => expect(received.map((m) => m.type)).toContain("notification"), { timeout: 5000 });
  }, 60_000);
});
