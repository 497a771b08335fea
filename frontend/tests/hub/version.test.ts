/**
 * A client built for another protocol version against a real notifyhub: the hub refuses the
 * handshake, its auth-check names the versions it speaks, and the client stops in
 * `closed: unsupported_protocol` instead of reconnecting.
 *
 * The generated `SUBPROTOCOL` is replaced for this file only, which is what a tab of an older build
 * of the app is: the same client, generated from older schemas.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { createClient } from "../../src/client.js";
import type { StateChange } from "../../src/options.js";
import { SUBPROTOCOL, type PayloadOf } from "../../src/types.js";
import { Hub, NOTIFYHUB, freePort, hubAvailable, mintToken } from "../support/hub.js";

const { OLD_VERSION } = vi.hoisted(() => ({ OLD_VERSION: "notifyhub.v0" }));

vi.mock("../../../generated/typescript/protocol.js", async (original) => ({
  ...(await original<object>()),
  SUBPROTOCOL: OLD_VERSION,
}));

if (!hubAvailable) {
  const reason = `${NOTIFYHUB} is missing (run \`make install\`)`;
  if (process.env.CI) throw new Error(`real-hub tests cannot run under CI: ${reason}`);
  console.warn(`\n*** SKIPPING the real-hub version test: ${reason} ***\n`);
}

describe.skipIf(!hubAvailable)("a client of another protocol version against a real notifyhub", () => {
  let hub: Hub;

  beforeAll(async () => {
    hub = new Hub(await freePort());
    await hub.start();
  }, 30_000);

  afterAll(async () => {
    await hub?.stop();
  }, 20_000);

  it("stops as unsupported_protocol with the hub's versions, after one handshake", async () => {
    // A deployed tab the hub no longer speaks to says so and stays quiet, instead of reconnecting forever.
    expect(SUBPROTOCOL as string).toBe(OLD_VERSION);
    const actual = await vi.importActual<{ SUBPROTOCOL: string }>("../../../generated/typescript/protocol.js");
    const hubVersions = [actual.SUBPROTOCOL];
    const opened = vi.fn();
    const Counting = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        opened(protocols);
      }
    };
    const errors: PayloadOf<"error">[] = [];
    const changes: StateChange[] = [];
    const client = createClient({
      url: hub.wsUrl,
      WebSocket: Counting,
      reconnectInterval: 50,
      onlineTarget: null,
      visibilityTarget: null,
      logger: { warn: () => {}, error: () => {} },
    });
    client.subscribe("error", (payload) => errors.push(payload));
    client.onStateChange((change) => changes.push(change));
    client.connect(await mintToken(randomUUID()));

    await vi.waitFor(() => expect(client.state).toBe("closed"), { timeout: 10_000 });
    expect(changes.at(-1)).toEqual({ previous: "reconnecting", current: "closed", code: null, reason: "unsupported_protocol" });
    expect(client.supportedProtocols).toEqual(hubVersions);
    expect(errors[0]?.details).toMatchObject({ reason: "unsupported_protocol", supported: hubVersions, offered: [OLD_VERSION] });
    expect(opened).toHaveBeenCalledTimes(1);
    expect(opened.mock.calls[0]?.[0]?.[0]).toBe(OLD_VERSION);
  }, 20_000);
});
