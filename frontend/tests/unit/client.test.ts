import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getWebSocketClient } from "../../src/shared.js";
import { CloseCode, type PayloadOf } from "../../src/types.js";
import { FakeWebSocket } from "../support/fakeWebSocket.js";
import { HUB_URL, harness, settle } from "../support/harness.js";
import { bookReady, established, message, notification, ocrProgress } from "../support/messages.js";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** connect() and let the token resolve: one socket exists, not yet open. */
async function connected(h = harness(), token: Parameters<typeof h.client.connect>[0] = "jwt-1") {
  h.client.connect(token);
  await settle();
  return h;
}

/** connect() under `validateFrames`: the socket is made once the validators' import resolved. */
async function connectedValidating(validateFrames = true) {
  const h = harness({ validateFrames });
  const socket = FakeWebSocket.next();
  h.client.connect("jwt-1");
  await socket;
  return h;
}

/** Open the newest socket and confirm it the way the hub does. */
function confirm(socket = FakeWebSocket.last, overrides: Parameters<typeof established>[0] = {}): FakeWebSocket {
  socket.open();
  socket.receive(established(overrides));
  return socket;
}

/** Assert that the next socket opens exactly `delay` ms from now, and not a ms earlier. */
async function nextSocketAfter(delay: number): Promise<FakeWebSocket> {
  const before = FakeWebSocket.instances.length;
  await vi.advanceTimersByTimeAsync(delay - 1);
  expect(FakeWebSocket.instances, `a socket opened before ${delay} ms`).toHaveLength(before);
  await vi.advanceTimersByTimeAsync(1);
  expect(FakeWebSocket.instances, `no socket opened at ${delay} ms`).toHaveLength(before + 1);
  return FakeWebSocket.last;
}

describe("connecting", () => {
  it("offers the token as a bearer subprotocol beside notifyhub.v1", async () => {
    // Browsers cannot set headers; the token must not end up in URLs by default.
    await connected();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(FakeWebSocket.last.url).toBe(HUB_URL);
    expect(FakeWebSocket.last.protocols).toEqual(["notifyhub.v1", "bearer.jwt-1"]);
  });

  it("puts the token in ?token= in query mode", async () => {
    // Hubs behind proxies that strip subprotocols can still be reached.
    await connected(harness({ tokenTransport: "query" }));
    expect(FakeWebSocket.last.url).toBe(`${HUB_URL}?token=jwt-1`);
    expect(FakeWebSocket.last.protocols).toEqual(["notifyhub.v1"]);
  });

  it("is open only once the hub confirms, with one event per real change", async () => {
    // The UI's badge says "connected" only when the hub knows who we are.
    const h = await connected();
    FakeWebSocket.last.open();
    expect(h.client.state).toBe("connecting");
    FakeWebSocket.last.receive(established());
    expect(h.client.state).toBe("open");
    FakeWebSocket.last.receive(established()); // no change, no event
    expect(h.changes).toEqual([
      { previous: "idle", current: "connecting", code: null, reason: "" },
      { previous: "connecting", current: "open", code: null, reason: "" },
    ]);
  });

  it("opens no socket when disconnect() follows connect() at once", async () => {
    // React strict mode runs effect, cleanup, effect: that must make one socket, not two.
    const h = harness();
    h.client.connect("jwt-1");
    h.client.disconnect();
    h.client.connect("jwt-1");
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(h.client.state).toBe("connecting");
  });

  it("needs a token source the first time", () => {
    expect(() => harness().client.connect()).toThrow(/needs a token/);
  });

  it("shares one client through getWebSocketClient()", () => {
    // Apps that import the client in many places get the same connection.
    expect(getWebSocketClient({ url: HUB_URL })).toBe(getWebSocketClient());
  });
});

describe("receiving", () => {
  it("gives each subscriber the payload of its type, and every message to subscribeAll", async () => {
    // The app reads fields straight off the payload, typed by the message type.
    const h = await connected();
    const progress: PayloadOf<"ocr_progress">[] = [];
    const all: string[] = [];
    h.client.subscribe("ocr_progress", (payload, whole) => {
      progress.push(payload);
      expect(whole.type).toBe("ocr_progress");
    });
    h.client.subscribeAll((whole) => all.push(whole.type));
    confirm().receive(message("ocr_progress", ocrProgress, { seq: 1 }));
    FakeWebSocket.last.receive(message("book_ready", bookReady, { seq: 2 }));
    expect(progress).toEqual([ocrProgress]);
    expect(all).toEqual(["connection_established", "ocr_progress", "book_ready"]);
  });

  it("stops calling a handler once unsubscribed", async () => {
    // Components that unmount stop receiving.
    const h = await connected();
    const handler = vi.fn();
    const unsubscribe = h.client.subscribe("notification", handler);
    const socket = confirm();
    socket.receive(message("notification", notification));
    unsubscribe();
    socket.receive(message("notification", notification));
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("keeps calling the other handlers when one throws", async () => {
    // One buggy component cannot silence notifications for the rest of the page.
    const h = await connected();
    const before = vi.fn();
    const after = vi.fn();
    const all = vi.fn();
    h.client.subscribe("notification", before);
    h.client.subscribe("notification", () => {
      throw new Error("boom");
    });
    h.client.subscribe("notification", after);
    h.client.subscribeAll(all);
    confirm().receive(message("notification", notification));
    expect(before).toHaveBeenCalledOnce();
    expect(after).toHaveBeenCalledOnce();
    expect(all).toHaveBeenCalledTimes(2); // connection_established and the notification
    expect(h.logger.error).toHaveBeenCalledWith('notifyhub: a handler of "notification" threw', expect.any(Error));
    expect(h.client.state).toBe("open");
  });

  it("logs and skips a frame that does not parse", async () => {
    // A corrupt frame costs one message, not the connection.
    const h = await connected();
    const handler = vi.fn();
    h.client.subscribeAll(handler);
    const socket = confirm();
    socket.receiveRaw("{not json");
    socket.receiveRaw(JSON.stringify({ no: "type" }));
    socket.receive(message("notification", notification));
    expect(handler.mock.calls.map(([m]) => m.type)).toEqual(["connection_established", "notification"]);
    expect(h.logger.warn).toHaveBeenCalledTimes(2);
    expect(h.logger.warn.mock.calls[0]?.[0]).toMatch(/skipped a frame \(not JSON/);
  });

  it("drops a frame that breaks its schema under validateFrames, and reports it to error subscribers", async () => {
    // In development, a hub bug deep in a payload is reported, never thrown into the app nor handed over.
    const h = await connectedValidating();
    const handler = vi.fn();
    const errors: PayloadOf<"error">[] = [];
    h.client.subscribe("notification", handler);
    h.client.subscribe("error", (payload) => errors.push(payload));
    const socket = confirm();
    expect(() => socket.receive(message("notification", { ...notification, level: "loud" as "info" }))).not.toThrow();
    expect(handler).not.toHaveBeenCalled();
    const error = "notification: /payload/level must be equal to one of the allowed values";
    expect(errors).toEqual([
      { code: "invalid_message", message: `skipped a frame: ${error}`, details: { error, local: true, reason: "invalid_frame" } },
    ]);
    expect(h.logger.warn.mock.calls[0]?.[0]).toBe(`notifyhub: skipped a frame (${error})`);
    socket.receive(message("notification", notification));
    expect(handler).toHaveBeenCalledOnce();
    expect(h.client.state).toBe("open");
  });
});

describe("forward compatibility", () => {
  it("ignores a message type it does not know, logging it once, and the known handlers still get theirs", async () => {
    // A hub that gained a message type breaks no tab already deployed.
    const h = await connected();
    const handler = vi.fn();
    const all = vi.fn();
    h.client.subscribe("notification", handler);
    h.client.subscribeAll(all);
    const socket = confirm();
    const unknown = { type: "achievement_unlocked", id: "a1", timestamp: "2026-11-28T19:34:26Z", payload: { points: 5 } };
    expect(() => {
      socket.receive(unknown);
      socket.receive(message("notification", notification));
      socket.receive({ ...unknown, id: "a2" });
    }).not.toThrow();
    expect(handler).toHaveBeenCalledExactlyOnceWith(notification, expect.objectContaining({ type: "notification" }));
    expect(all.mock.calls.map(([m]) => m.type)).toEqual(["connection_established", "notification"]);
    expect(h.logger.warn).toHaveBeenCalledExactlyOnceWith(
      'notifyhub: ignoring messages of type "achievement_unlocked", which this client does not know (a newer hub?)',
    );
    expect(h.logger.error).not.toHaveBeenCalled();
  });

  it("counts and acknowledges an unknown type's seq, so it is not replayed and the next seq is no gap", async () => {
    // The user's stream stays whole even through types this build cannot show.
    const h = await connected();
    const socket = confirm();
    socket.receive({ type: "achievement_unlocked", id: "a1", timestamp: "2026-11-28T19:34:26Z", seq: 1, payload: {} });
    socket.receive(message("notification", notification, { seq: 2 }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(socket.sentFrames).toContainEqual({ type: "ack", seq: 2 });
    expect(h.client.readState).toMatchObject({ lastSeq: 2, ackedSeq: 2 });
    expect(h.logger.warn.mock.calls.some(([line]) => /seq jumped/.test(String(line)))).toBe(false);
  });

  it.each([false, true])("hands over a known type carrying fields it does not know (validateFrames: %s only)", async (validateFrames) => {
    // A hub that gained an optional field breaks no deployed tab; the development check names the field.
    const h = await connectedValidating(validateFrames);
    const handler = vi.fn();
    h.client.subscribe("notification", handler);
    const newer = { ...message("notification", notification), payload: { ...notification, icon: "star" } };
    expect(() => confirm().receive(newer)).not.toThrow();
    expect(handler).toHaveBeenCalledTimes(validateFrames ? 0 : 1);
    if (!validateFrames) expect(handler.mock.calls[0]?.[0]).toMatchObject(notification);
  });
});

describe("reconnecting", () => {
  it("waits full-jitter backoff delays, calling getToken before every attempt", async () => {
    // An expired token is replaced without the app's help, and retries slow down.
    let n = 0;
    const getToken = vi.fn(async () => `jwt-${++n}`);
    const h = await connected(harness({ random: () => 0.5 }), getToken);
    confirm().serverClose(CloseCode.SERVICE_RESTART, "restarting");
    expect(h.changes.at(-1)).toEqual({ previous: "open", current: "reconnecting", code: 1012, reason: "restarting" });

    const delays = [500, 1000, 2000, 4000];
    for (const [i, delay] of delays.entries()) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(FakeWebSocket.instances).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(FakeWebSocket.instances).toHaveLength(i + 2);
      expect(FakeWebSocket.last.protocols).toEqual(["notifyhub.v1", `bearer.jwt-${i + 2}`]);
      if (i < delays.length - 1) FakeWebSocket.last.serverClose(1006);
    }
    expect(getToken).toHaveBeenCalledTimes(5);
    confirm();
    expect(h.client.state).toBe("open");
  });

  it("grows the backoff through failures and resets it on connection_established, not on open", async () => {
    // A hub that accepts and drops at once is not hammered; a confirmed connection starts afresh.
    await connected(harness({ random: () => 0.5 }));
    confirm().serverClose(1006);
    await nextSocketAfter(500);
    FakeWebSocket.last.open(); // opened, never confirmed: the backoff keeps growing
    FakeWebSocket.last.serverClose(CloseCode.TRY_AGAIN_LATER);
    await nextSocketAfter(1000);
    FakeWebSocket.last.serverClose(1006);
    await nextSocketAfter(2000);
    confirm().serverClose(1006); // confirmed: the backoff starts again
    await nextSocketAfter(500);
  });

  it("keeps retrying with maxReconnectAttempts: Infinity", async () => {
    const h = await connected(harness({ maxReconnectAttempts: Infinity }));
    confirm().serverClose(1006);
    for (let i = 0; i < 40; i += 1) {
      await vi.advanceTimersByTimeAsync(30_000);
      FakeWebSocket.last.serverClose(1006);
    }
    expect(h.client.state).toBe("reconnecting");
    expect(FakeWebSocket.instances).toHaveLength(41);
  });

  it.each([
    [CloseCode.UNAUTHORIZED, "unauthorized"],
    [CloseCode.CONNECTION_REVOKED, "connection_revoked"],
    [CloseCode.NORMAL_CLOSURE, "normal_closure"],
  ])("stops after close code %i", async (code, reason) => {
    // The hub's "do not come back" codes are obeyed: no hammering with refused credentials.
    const h = await connected();
    confirm().serverClose(code);
    expect(h.changes.at(-1)).toEqual({ previous: "open", current: "closed", code, reason });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("reconnects after 4001 with a fresh token", async () => {
    // A token that expires while connected is renewed without the app noticing.
    const getToken = vi.fn().mockResolvedValueOnce("old").mockResolvedValueOnce("new");
    await connected(harness(), getToken);
    confirm().serverClose(CloseCode.TOKEN_EXPIRED, "token expired");
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.last.protocols).toEqual(["notifyhub.v1", "bearer.new"]);
  });

  it("retries with backoff when getToken fails", async () => {
    // A flaky token endpoint delays the connection; it does not kill it.
    const getToken = vi.fn().mockRejectedValueOnce(new Error("token service down")).mockResolvedValue("jwt");
    const h = await connected(harness(), getToken);
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(h.client.state).toBe("reconnecting");
    expect(h.logger.warn).toHaveBeenCalledWith("notifyhub: getToken failed; retrying with backoff", expect.any(Error));
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("resumes with ?since=<epoch>:<last seq handled>&since_id=<its message id>", async () => {
    // After a drop, the hub replays exactly what this tab missed: no gap, no duplicate. The id
    // lets the hub tell its own position from a seq it reissued after losing writes.
    await connected(harness({ random: () => 0 }));
    const socket = confirm(FakeWebSocket.last, { epoch: "e1", acked_seq: 4 });
    socket.receive(message("notification", notification, { seq: 5 }));
    const sixth = message("notification", notification, { seq: 6 });
    socket.receive(sixth);
    socket.receive(message("pong", { server_time: "t" })); // no seq: position unchanged
    socket.serverClose(1006);
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.last.url).toBe(`${HUB_URL}?since=e1%3A6&since_id=${sixth.id}`);

    // Not recovered (e.g. a new epoch after a hub restart): continue from the acked seq.
    confirm(FakeWebSocket.last, { epoch: "e2", recovered: false, acked_seq: 2 });
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.last.url).toBe(`${HUB_URL}?since=e2%3A2`);

    // Recovered: our own position stands.
    confirm(FakeWebSocket.last, { epoch: "e2", recovered: true, acked_seq: 0 });
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.last.url).toBe(`${HUB_URL}?since=e2%3A2`);
  });
});

describe("storms", () => {
  it("survives 50 consecutive 1013 closes, backing off up to the cap, then connects", async () => {
    // An overloaded hub that turns everyone away for minutes never leaves a browser offline for good.
    const h = await connected(harness({ random: () => 0.5 }));
    confirm().serverClose(CloseCode.TRY_AGAIN_LATER, "backend unavailable");
    for (let i = 0; i < 50; i += 1) {
      await nextSocketAfter(Math.min(500 * 2 ** i, 15_000)); // half the ceiling, capped at 30 s
      FakeWebSocket.last.open();
      FakeWebSocket.last.serverClose(CloseCode.TRY_AGAIN_LATER, "backend unavailable");
      expect(h.client.state).toBe("reconnecting");
    }
    await nextSocketAfter(15_000);
    confirm();
    expect(h.client.state).toBe("open");
    expect(FakeWebSocket.instances).toHaveLength(52);
    expect(h.changes.filter((change) => change.current === "closed")).toEqual([]);
  });

  it.each([
    ["the token is fine (the hub refused for load, 429)", async () => ({ status: 204 })],
    ["the hub is unreachable", async () => Promise.reject(new TypeError("fetch failed"))],
    ["the auth-check fails (502 from a proxy)", async () => ({ status: 502 })],
  ])("survives 50 failed opens when %s, then connects", async (_, answer) => {
    // A hub that is down or refusing handshakes for a while is reached once it comes back.
    const h = harness({ maxReconnectAttempts: 3 });
    h.fetch.mockImplementation(answer);
    await connected(h);
    for (let i = 0; i < 50; i += 1) {
      FakeWebSocket.last.refuseHandshake();
      await vi.advanceTimersByTimeAsync(30_000);
      expect(h.client.state).toBe("reconnecting");
    }
    expect(h.fetch).toHaveBeenCalledTimes(50);
    expect(FakeWebSocket.instances).toHaveLength(51);
    confirm();
    expect(h.client.state).toBe("open");
  });

  it("survives 50 failed opens with no auth-check at all", async () => {
    const h = await connected(harness({ fetch: null, maxReconnectAttempts: 1 }));
    for (let i = 0; i < 50; i += 1) {
      FakeWebSocket.last.refuseHandshake();
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(FakeWebSocket.instances).toHaveLength(51);
    expect(h.client.state).toBe("reconnecting");
  });

  it("keeps trying while getToken fails, for as long as it fails", async () => {
    // A token service outage delays the connection; it does not end it.
    const getToken = vi.fn<() => Promise<string>>().mockRejectedValue(new Error("token service down"));
    const h = await connected(harness({ maxReconnectAttempts: 2 }), getToken);
    await vi.advanceTimersByTimeAsync(20 * 30_000);
    expect(getToken.mock.calls.length).toBeGreaterThan(20);
    expect(h.client.state).toBe("reconnecting");
    getToken.mockResolvedValue("jwt");
    await vi.advanceTimersByTimeAsync(30_000);
    confirm();
    expect(h.client.state).toBe("open");
  });

  it("waits at least the hub's retry_after before the next attempt, plus jitter", async () => {
    // A hub that says "come back in 2.5 s" is not hit before then, and not by everyone at once.
    const h = await connected(harness({ random: () => 0 }));
    confirm().serverClose(CloseCode.TRY_AGAIN_LATER, "backend unavailable; retry_after=2.5");
    expect(h.changes.at(-1)).toMatchObject({ current: "reconnecting", code: 1013 });
    await nextSocketAfter(2500); // no jitter drawn: exactly the hint

    const jittered = await connected(harness({ random: () => 0.5 }));
    confirm().serverClose(CloseCode.TRY_AGAIN_LATER, "retry_after=4");
    await nextSocketAfter(4000 + 500); // the hint plus half the first backoff ceiling
    expect(jittered.client.state).toBe("reconnecting");
  });

  it("bounds a retry_after hint by maxReconnectInterval", async () => {
    // A hub bug asking for an hour does not park the tab for an hour.
    await connected(harness({ random: () => 0, maxReconnectInterval: 10_000 }));
    confirm().serverClose(CloseCode.TRY_AGAIN_LATER, "retry_after=3600");
    await nextSocketAfter(10_000);
  });

  it("does not cut a retry_after wait short when the browser comes online", async () => {
    // The hub asked for time; a flapping network does not turn into a burst on a struggling hub.
    const h = await connected(harness({ random: () => 0 }));
    confirm().serverClose(CloseCode.TRY_AGAIN_LATER, "retry_after=5");
    await vi.advanceTimersByTimeAsync(1000);
    h.window.dispatchEvent(new Event("online"));
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(1);
    await nextSocketAfter(4000);
    // A later drop without a hint: waking up reconnects at once again.
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverClose(1006);
    h.window.dispatchEvent(new Event("online"));
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(3);
  });
});

describe("disconnect", () => {
  it("closes with 1000, never reconnects and leaves no listener or timer behind", async () => {
    // Logging out really ends the connection and everything the client set up.
    const h = await connected();
    const socket = confirm();
    expect(vi.getTimerCount()).toBeGreaterThan(0); // the heartbeat
    h.client.disconnect();
    expect(socket.closedByClient).toEqual({ code: 1000, reason: "disconnected" });
    expect(h.changes.at(-1)).toEqual({ previous: "open", current: "closed", code: 1000, reason: "disconnected" });
    expect(socket.listenerCount()).toBe(1); // only the no-op "error" listener Node's ws needs
    expect(vi.getTimerCount()).toBe(0);
    h.window.dispatchEvent(new Event("online"));
    h.document.show();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("cancels a pending reconnect", async () => {
    const h = await connected();
    confirm().serverClose(1006);
    h.client.disconnect();
    expect(h.changes.at(-1)).toMatchObject({ previous: "reconnecting", current: "closed" });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("can connect again afterwards", async () => {
    const h = await connected();
    confirm();
    h.client.disconnect();
    h.client.connect();
    await settle();
    confirm();
    expect(h.client.state).toBe("open");
    expect(FakeWebSocket.instances).toHaveLength(2);
  });
});

describe("heartbeat", () => {
  it("pings every heartbeatInterval and stays open while frames arrive", async () => {
    // An idle but healthy connection is kept, and the hub sees activity.
    const h = await connected(harness({ heartbeatInterval: 1000, heartbeatTimeout: 500 }));
    const socket = confirm();
    for (let i = 0; i < 3; i += 1) {
      await vi.advanceTimersByTimeAsync(1000);
      socket.receive(message("pong", { server_time: "t" }));
    }
    expect(socket.sentFrames).toEqual([{ type: "ping" }, { type: "ping" }, { type: "ping" }]);
    expect(h.client.state).toBe("open");
  });

  it("closes a silent link with 4002 and reconnects", async () => {
    // A connection that died without a close frame (Wi-Fi dropped) is noticed and replaced.
    const h = await connected(harness({ heartbeatInterval: 1000, heartbeatTimeout: 500, random: () => 0 }));
    const socket = confirm();
    await vi.advanceTimersByTimeAsync(1499);
    expect(h.client.state).toBe("open");
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.closedByClient).toEqual({ code: CloseCode.HEARTBEAT_TIMEOUT, reason: "heartbeat timeout" });
    expect(h.changes.at(-1)).toEqual({
      previous: "open",
      current: "reconnecting",
      code: CloseCode.HEARTBEAT_TIMEOUT,
      reason: "heartbeat timeout",
    });
    await vi.advanceTimersByTimeAsync(1); // a 0 ms timer set during a fake tick fires 1 ms later
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it("counts any frame, not only pong, as life", async () => {
    const h = await connected(harness({ heartbeatInterval: 1000, heartbeatTimeout: 500 }));
    const socket = confirm();
    await vi.advanceTimersByTimeAsync(1000);
    socket.receive(message("notification", notification));
    await vi.advanceTimersByTimeAsync(900);
    expect(h.client.state).toBe("open");
  });
});

describe("the browser around the client", () => {
  it("reconnects at once when the browser comes back online", async () => {
    // Users back from a tunnel see their notifications without waiting out a 30 s backoff.
    const h = await connected(harness({ random: () => 0.99 }));
    confirm().serverClose(1006);
    expect(FakeWebSocket.instances).toHaveLength(1);
    h.window.dispatchEvent(new Event("online"));
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60_000); // the cancelled timer does not open a third
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it("reconnects at once when the tab becomes visible, not when it hides", async () => {
    const h = await connected(harness({ random: () => 0.99 }));
    confirm().serverClose(1006);
    h.document.hide();
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(1);
    h.document.show();
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it("probes an open link when the tab becomes visible", async () => {
    // A laptop waking from sleep finds out within heartbeatTimeout that its socket is dead.
    const h = await connected(harness({ heartbeatTimeout: 500 }));
    const socket = confirm();
    h.document.show();
    expect(socket.sentFrames).toEqual([{ type: "ping" }]);
    await vi.advanceTimersByTimeAsync(500);
    expect(h.client.state).toBe("reconnecting");
  });
});

describe("refused handshakes", () => {
  it("asks the auth-check, gets one more token on 401, then stops as unauthorized", async () => {
    // Bad credentials never make the client hammer the hub.
    let n = 0;
    const getToken = vi.fn(async () => `bad-${++n}`);
    const h = harness();
    h.fetch.mockResolvedValue({ status: 401 });
    await connected(h, getToken);
    FakeWebSocket.last.refuseHandshake();
    await settle();
    expect(h.fetch).toHaveBeenCalledWith("http://hub.test/api/v1/ws/auth-check?protocols=notifyhub.v1", {
      method: "GET",
      headers: { Authorization: "Bearer bad-1" },
    });
    expect(h.client.state).toBe("reconnecting");

    await vi.advanceTimersByTimeAsync(1000);
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(FakeWebSocket.last.protocols).toEqual(["notifyhub.v1", "bearer.bad-2"]);
    FakeWebSocket.last.refuseHandshake();
    await settle();
    expect(h.changes.at(-1)).toEqual({
      previous: "reconnecting",
      current: "closed",
      code: CloseCode.UNAUTHORIZED,
      reason: "unauthorized",
    });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it("stops at the first refusal with maxReconnectAttempts: 0 and tells error subscribers", async () => {
    // An app that wants no second try with bad credentials gets a clear end state.
    const h = harness({ maxReconnectAttempts: 0 });
    h.fetch.mockResolvedValue({ status: 401 });
    const errors: PayloadOf<"error">[] = [];
    h.client.subscribe("error", (payload) => errors.push(payload));
    await connected(h);
    FakeWebSocket.last.refuseHandshake();
    await settle();
    expect(h.changes.at(-1)).toEqual({
      previous: "reconnecting",
      current: "closed",
      code: CloseCode.UNAUTHORIZED,
      reason: "reconnect_attempts_exhausted",
    });
    expect(errors).toEqual([
      {
        code: "internal",
        message: "gave up reconnecting after 1 refusals in a row",
        details: { refusals: 1, local: true, reason: "reconnect_attempts_exhausted" },
      },
    ]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("counts refusals until a confirmed connection, not across it, and not transient failures", async () => {
    // A hub outage between two refusals does not earn bad credentials a third try.
    const h = harness();
    await connected(h);
    h.fetch.mockResolvedValueOnce({ status: 401 });
    FakeWebSocket.last.refuseHandshake(); // refusal 1
    await vi.advanceTimersByTimeAsync(30_000);
    h.fetch.mockRejectedValueOnce(new TypeError("fetch failed"));
    FakeWebSocket.last.refuseHandshake(); // the hub is down: transient
    await vi.advanceTimersByTimeAsync(30_000);
    confirm().serverClose(CloseCode.SERVICE_RESTART); // confirmed: the count starts again
    await vi.advanceTimersByTimeAsync(30_000);
    h.fetch.mockResolvedValueOnce({ status: 401 });
    FakeWebSocket.last.refuseHandshake(); // refusal 1 again
    await settle();
    expect(h.client.state).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(30_000);
    h.fetch.mockResolvedValueOnce({ status: 204 });
    FakeWebSocket.last.refuseHandshake(); // transient
    await vi.advanceTimersByTimeAsync(30_000);
    h.fetch.mockResolvedValueOnce({ status: 401 });
    FakeWebSocket.last.refuseHandshake(); // refusal 2 in a row
    await settle();
    expect(h.changes.at(-1)).toMatchObject({ current: "closed", reason: "unauthorized" });
  });

  it("connects when the second token is accepted", async () => {
    const h = harness();
    h.fetch.mockResolvedValueOnce({ status: 401 });
    await connected(h, vi.fn().mockResolvedValueOnce("expired").mockResolvedValue("fresh"));
    FakeWebSocket.last.refuseHandshake();
    await vi.advanceTimersByTimeAsync(1000);
    confirm();
    expect(h.client.state).toBe("open");
  });

  it("retries, without counting, when the token is fine (429, hub down)", async () => {
    // Only the hub's 401 counts as bad credentials.
    const h = await connected(harness({ maxReconnectAttempts: 3 }));
    for (let i = 0; i < 3; i += 1) {
      FakeWebSocket.last.refuseHandshake();
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(h.fetch).toHaveBeenCalledTimes(3);
    expect(FakeWebSocket.instances).toHaveLength(4);
    expect(h.client.state).toBe("reconnecting");
  });

  it("stops as unsupported_protocol when the hub speaks another version, and says which", async () => {
    // A tab of an older build stops quietly instead of hammering a hub it cannot talk to.
    const h = harness();
    const supported = ["notifyhub.v2"];
    h.fetch.mockResolvedValue({
      status: 400,
      json: async () => ({ error: "unsupported_subprotocol", detail: "this hub speaks 'notifyhub.v2'", supported }),
    });
    const errors: PayloadOf<"error">[] = [];
    h.client.subscribe("error", (payload) => errors.push(payload));
    await connected(h);
    FakeWebSocket.last.refuseHandshake();
    await settle();
    expect(h.changes.at(-1)).toEqual({ previous: "reconnecting", current: "closed", code: null, reason: "unsupported_protocol" });
    expect(h.client.supportedProtocols).toEqual(supported);
    expect(errors).toEqual([
      {
        code: "internal",
        message: "the hub speaks notifyhub.v2, this client notifyhub.v1; not reconnecting",
        details: { supported, offered: ["notifyhub.v1"], local: true, reason: "unsupported_protocol" },
      },
    ]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("retries without asking when there is no fetch", async () => {
    const h = await connected(harness({ fetch: null }));
    FakeWebSocket.last.refuseHandshake();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(h.fetch).not.toHaveBeenCalled();
  });
});
