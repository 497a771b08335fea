/**
 * The generated validators are loaded on demand: only under `validateFrames`, before the first
 * socket opens, and a failed load leaves the client working with frames unchecked.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ClientOptions } from "../../src/options.js";
import { FakeWebSocket } from "../support/fakeWebSocket.js";
import { HUB_URL } from "../support/harness.js";
import { established, message, notification } from "../support/messages.js";

const VALIDATORS = "../../src/validators.js";

/** How often the client imported the validators module in this test. */
let imports = 0;

beforeEach(() => {
  vi.useFakeTimers();
  vi.resetModules();
  imports = 0;
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.doUnmock(VALIDATORS);
  vi.useRealTimers();
});

/** A client from freshly imported modules (so the validators module's mock applies), its socket made. */
async function connectedClient(options: Partial<ClientOptions>) {
  const { createClient } = await import("../../src/client.js");
  const logger = { debug: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const client = createClient({ url: HUB_URL, WebSocket: FakeWebSocket, logger, fetch: null, onlineTarget: null, visibilityTarget: null, ...options });
  const socket = FakeWebSocket.next();
  client.connect("jwt-1");
  await socket;
  return { client, logger };
}

describe("loading the validators", () => {
  it.each([false, true])("imports them only under validateFrames (%s), before the socket opens", async (validateFrames) => {
    // An app without the option never downloads the validators' chunk.
    vi.doMock(VALIDATORS, async (original) => {
      imports += 1;
      return original();
    });
    const { client } = await connectedClient({ validateFrames });
    expect(imports).toBe(validateFrames ? 1 : 0);
    expect(FakeWebSocket.instances).toHaveLength(1);
    client.disconnect();
  });

  it("connects and hands frames over unchecked, with an error logged, when they cannot be loaded", async () => {
    // A development aid that fails to load (a missing chunk) must not keep the app offline.
    vi.doMock(VALIDATORS, () => {
      throw new Error("failed to fetch the chunk");
    });
    const { client, logger } = await connectedClient({ validateFrames: true });
    expect(logger.error).toHaveBeenCalledWith(
      "notifyhub: cannot load the frame validators (validateFrames); frames go unchecked",
      expect.anything(),
    );
    const handler = vi.fn();
    client.subscribe("notification", handler);
    const socket = FakeWebSocket.last;
    socket.open();
    socket.receive(established());
    socket.receive(message("notification", { ...notification, level: "loud" as "info" }));
    expect(client.state).toBe("open");
    expect(handler).toHaveBeenCalledOnce();
    client.disconnect();
  });
});
