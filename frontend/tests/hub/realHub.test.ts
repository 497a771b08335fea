/**
 * The client against a real notifyhub (`notifyhub serve` as a child process, Node's `ws` as the
 * WebSocket): every message type arrives typed, a user gets nothing meant for another, a hub
 * restart is survived without help, and a refused token ends in `closed: unauthorized`.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { createClient, type NotifyhubClient } from "../../src/client.js";
import type { ClientOptions, StateChange, TokenSource } from "../../src/options.js";
import {
  CloseCode,
  SERVER_MESSAGE_TYPES,
  type MessageOf,
  type ServerMessage,
  type ServerMessageType,
} from "../../src/types.js";
import { SERVICE_MESSAGE_TYPES, exampleOf } from "../support/examples.js";
import { Hub, NOTIFYHUB, freePort, hubAvailable, mintToken } from "../support/hub.js";
import { bookReady, notification } from "../support/messages.js";

if (!hubAvailable) {
  const reason = `${NOTIFYHUB} is missing (run \`make install\`)`;
  if (process.env.CI) throw new Error(`real-hub tests cannot run under CI: ${reason}`);
  console.warn(`\n*** SKIPPING the real-hub tests: ${reason} ***\n`);
}

interface Connected {
  readonly client: NotifyhubClient;
  readonly received: ServerMessage[];
  readonly changes: StateChange[];
}

describe.skipIf(!hubAvailable)("against a real notifyhub", () => {
  let hub: Hub;
  const clients: NotifyhubClient[] = [];

  beforeAll(async () => {
    hub = new Hub(await freePort());
    await hub.start();
  }, 30_000);

  afterEach(() => {
    clients.splice(0).forEach((client) => client.disconnect());
  });

  afterAll(async () => {
    await hub?.stop();
  }, 20_000);

  function connect(token: TokenSource, options: Partial<ClientOptions> = {}): Connected {
    const received: ServerMessage[] = [];
    const changes: StateChange[] = [];
    const client = createClient({
      url: hub.wsUrl,
      WebSocket,
      validateFrames: true,
      reconnectInterval: 100,
      maxReconnectInterval: 1000,
      onlineTarget: null,
      visibilityTarget: null,
      logger: { warn: () => {}, error: console.error },
      ...options,
    });
    client.subscribeAll((message) => received.push(message));
    client.onStateChange((change) => changes.push(change));
    client.connect(token);
    clients.push(client);
    return { client, received, changes };
  }

  async function opened(...connections: Connected[]): Promise<void> {
    await vi.waitFor(() => connections.forEach(({ client }) => expect(client.state).toBe("open")), { timeout: 10_000 });
  }

  function types(received: ServerMessage[]): string[] {
    return received.map((message) => message.type);
  }

  it("receives every message type, typed, and nothing meant for another user", async () => {
    // What the app relies on: each published message reaches its user's tabs, and only theirs.
    // The types and payloads are the generated catalog's and their schemas' examples.
    const alice = randomUUID();
    const bob = randomUUID();
    const [aliceToken, bobToken] = await Promise.all([mintToken(alice), mintToken(bob)]);
    const tab1 = connect(aliceToken, { heartbeatInterval: 200 });
    const tab2 = connect(aliceToken);
    const other = connect(bobToken, { tokenTransport: "query" });
    const handled = new Map<ServerMessageType, [unknown, ServerMessage][]>();
    const handle = <T extends ServerMessageType>(type: T): void => {
      handled.set(type, []);
      tab1.client.subscribe(type, (payload, message: MessageOf<T>) => handled.get(type)?.push([payload, message]));
    };
    SERVER_MESSAGE_TYPES.forEach(handle);
    await opened(tab1, tab2, other);

    const sent = SERVICE_MESSAGE_TYPES.map((type) => ({ type, payload: exampleOf(type).payload }));
    for (const message of sent) {
      expect((await hub.publish({ user_ids: [alice], message })).connections).toBe(2);
    }
    const broadcast = { ...notification, title: "Maintenance tonight" };
    await hub.publish({ broadcast: true, message: { type: "notification", payload: broadcast } });

    const last = sent.length;
    await vi.waitFor(() => expect(tab2.received.filter((m) => "seq" in m && m.seq === last)).toHaveLength(1), { timeout: 5000 });
    expect(tab2.client.send({ type: "read", seq: last })).toBe(true); // tab1 gets read_receipt
    expect(tab1.client.send({ type: "ack", seq: 999 })).toBe(true); // past the last seq: an error
    await vi.waitFor(
      () => expect(new Set(types(tab1.received))).toEqual(new Set(SERVER_MESSAGE_TYPES)),
      { timeout: 5000 },
    );

    // Each type's handler got exactly its own messages, the payload as published.
    for (const type of SERVER_MESSAGE_TYPES) {
      const calls = handled.get(type) ?? [];
      expect(calls.length, type).toBeGreaterThan(0);
      calls.forEach(([payload, message]) => expect([message.type, payload]).toEqual([type, message.payload]));
    }
    for (const { type, payload } of sent) {
      expect(handled.get(type)?.[0]?.[0], type).toEqual(payload);
    }
    const published = tab1.received.filter((m) => "seq" in m && m.seq !== undefined);
    expect(published.map((m) => [m.type, m.payload, "seq" in m ? m.seq : undefined])).toEqual(
      sent.map((message, index) => [message.type, message.payload, index + 1]),
    );
    const receipt = tab1.received.find((m) => m.type === "read_receipt");
    expect(receipt?.payload).toEqual({ read_seq: last });
    const error = tab1.received.find((m) => m.type === "error");
    expect(error?.payload).toMatchObject({ code: "invalid_message" });

    // Bob saw his own connection and the broadcast, nothing of Alice's.
    expect(types(other.received).filter((type) => type !== "pong")).toEqual(["connection_established", "notification"]);
    expect(other.received[1]?.payload).toEqual(broadcast);
  }, 30_000);

  it("reconnects by itself when the hub restarts, and receives the next message", async () => {
    // A deploy restarts the hub; users keep getting notifications without reloading.
    const user = randomUUID();
    const token = await mintToken(user);
    const getToken = vi.fn(async () => token);
    const tab = connect(getToken, { maxReconnectAttempts: 30 });
    await opened(tab);
    const epochOf = (message: ServerMessage | undefined): string | undefined =>
      message?.type === "connection_established" ? message.payload.epoch : undefined;
    const firstEpoch = epochOf(tab.received[0]);

    await hub.stop();
    expect(tab.changes.at(-1)).toMatchObject({ previous: "open", current: "reconnecting", code: CloseCode.SERVICE_RESTART });
    await hub.start();
    await opened(tab);
    expect(getToken.mock.calls.length).toBeGreaterThanOrEqual(2);

    await hub.publish({ user_ids: [user], message: { type: "book_ready", payload: bookReady } });
    await vi.waitFor(() => expect(types(tab.received)).toContain("book_ready"), { timeout: 5000 });
    const established = tab.received.filter((m) => m.type === "connection_established");
    expect(established).toHaveLength(2);
    // The restarted memory hub lost the stream: a new epoch, and the client says so honestly.
    expect(established[1]?.payload).toMatchObject({ recovered: false });
    expect(epochOf(established[1])).not.toBe(firstEpoch);
  }, 60_000);

  it("asks the auth-check after a refused handshake and stops as unauthorized", async () => {
    // A bad token costs the hub two handshakes and two auth-checks, then the client stops.
    const getToken = vi.fn(async () => "not-a-jwt");
    const tab = connect(getToken);
    await vi.waitFor(() => expect(tab.client.state).toBe("closed"), { timeout: 10_000 });
    expect(tab.changes.at(-1)).toEqual({
      previous: "reconnecting",
      current: "closed",
      code: CloseCode.UNAUTHORIZED,
      reason: "unauthorized",
    });
    expect(getToken).toHaveBeenCalledTimes(2);
  }, 20_000);
});
