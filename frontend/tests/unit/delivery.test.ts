/**
 * The client's half of the delivery guarantee: each `seq` reaches the handlers once, messages are
 * acknowledged after the handlers ran (coalesced), and the read state that drives an unread badge.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_CLIENT_OPTIONS } from "../../src/options.js";
import type { ServerMessage } from "../../src/types.js";
import { FakeWebSocket } from "../support/fakeWebSocket.js";
import { HUB_URL, harness, settle, type Harness } from "../support/harness.js";
import { established, message, notification } from "../support/messages.js";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const ACK_DELAY = DEFAULT_CLIENT_OPTIONS.ackDelay;

interface Tab extends Harness {
  /** The seq of every message handed to a `notification` handler, in order. */
  readonly handled: number[];
}

/** A connected client (backoff without jitter: reconnects come at once) recording handled seqs. */
async function tab(options: Parameters<typeof harness>[0] = {}): Promise<Tab> {
  const h = harness({ random: () => 0, ...options });
  const handled: number[] = [];
  h.client.subscribe("notification", (_payload, whole) => handled.push(whole.seq ?? -1));
  h.client.connect("jwt");
  await settle();
  return { ...h, handled };
}

/** Open the newest socket and confirm it as the hub does. */
function confirm(overrides: Parameters<typeof established>[0] = {}): FakeWebSocket {
  const socket = FakeWebSocket.last;
  socket.open();
  socket.receive(established({ epoch: "e1", ...overrides }));
  return socket;
}

function send(socket: FakeWebSocket, ...seqs: number[]): void {
  for (const seq of seqs) socket.receive(message("notification", notification, { seq }));
}

/** The hub drops the socket; the client reconnects (no jitter: at once) and a new socket exists. */
async function drop(socket: FakeWebSocket): Promise<FakeWebSocket> {
  const count = FakeWebSocket.instances.length;
  socket.serverClose(1006);
  await vi.advanceTimersByTimeAsync(0);
  expect(FakeWebSocket.instances).toHaveLength(count + 1);
  return FakeWebSocket.last;
}

function framesOf(socket: FakeWebSocket, type: "ack" | "read"): unknown[] {
  return socket.sentFrames.filter((frame) => (frame as { type: string }).type === type);
}

describe("each message once", () => {
  it("drops a seq it already handled, with a debug line", async () => {
    // A notification handler never shows the same toast twice.
    const t = await tab();
    send(confirm(), 1, 2, 2, 1, 3);
    expect(t.handled).toEqual([1, 2, 3]);
    expect(t.logger.debug).toHaveBeenCalledTimes(2);
    expect(t.logger.debug.mock.calls[0]?.[0]).toMatch(/dropped a duplicate "notification" \(seq 2, already handled up to 2\)/);
    expect(t.logger.warn).not.toHaveBeenCalled();
  });

  it("drops what it handled when a connection without since replays it", async () => {
    // resume: false, nothing acknowledged yet: the hub replays 1..3 again; handlers see them once.
    const t = await tab({ resume: false, ack: "manual" });
    send(confirm(), 1, 2, 3);
    const second = await drop(FakeWebSocket.last);
    expect(second.url).toBe(HUB_URL);
    second.open();
    second.receive(established({ epoch: "e1", recovered: false, acked_seq: 0, last_seq: 3 }));
    send(second, 1, 2, 3, 4);
    expect(t.handled).toEqual([1, 2, 3, 4]);
  });

  it("starts over in a new epoch: the new stream's seq 1 is a new message", async () => {
    // A memory hub restarted: its numbers begin again, and the app is told (recovered: false).
    const t = await tab();
    send(confirm(), 1, 2, 3);
    const second = await drop(FakeWebSocket.last);
    expect(new URL(second.url).searchParams.get("since")).toBe("e1:3");
    second.open();
    second.receive(established({ epoch: "e2", recovered: false, acked_seq: 0, last_seq: 0 }));
    send(second, 1, 2);
    expect(t.handled).toEqual([1, 2, 3, 1, 2]);
    const third = await drop(second);
    expect(new URL(third.url).searchParams.get("since")).toBe("e2:2");
  });

  it("hands over a seq that jumps ahead, with a warning, and goes on from there", async () => {
    // The hub promises no gaps; if one happens anyway, losing the message too would be worse.
    const t = await tab();
    send(confirm(), 1, 4, 4, 5);
    expect(t.handled).toEqual([1, 4, 5]);
    expect(t.logger.warn).toHaveBeenCalledOnce();
    expect(t.logger.warn.mock.calls[0]?.[0]).toMatch(/seq jumped from 1 to 4/);
  });

  it("takes a first message far beyond the acked seq as the start when history was trimmed", async () => {
    // Not resumed: the hub replays from its oldest kept message; that is no gap.
    const t = await tab();
    send(confirm({ recovered: false, acked_seq: 0, last_seq: 5000 }), 4001, 4002);
    expect(t.handled).toEqual([4001, 4002]);
    expect(t.logger.warn).not.toHaveBeenCalled();
  });

  it("passes messages without seq (broadcasts, pongs, receipts) untouched", async () => {
    const t = await tab();
    const all: string[] = [];
    t.client.subscribeAll((m: ServerMessage) => all.push(m.type));
    const socket = confirm();
    socket.receive(message("notification", notification));
    socket.receive(message("notification", notification));
    expect(all).toEqual(["connection_established", "notification", "notification"]);
  });
});

describe("acknowledgements", () => {
  it("sends one cumulative ack per ackDelay for a burst of messages", async () => {
    // A thousand messages cost one frame, not a thousand (the hub rate-limits client frames).
    await tab();
    const socket = confirm();
    send(socket, 1, 2, 3);
    await vi.advanceTimersByTimeAsync(ACK_DELAY - 1);
    expect(framesOf(socket, "ack")).toEqual([]);
    send(socket, 4);
    await vi.advanceTimersByTimeAsync(1);
    expect(framesOf(socket, "ack")).toEqual([{ type: "ack", seq: 4 }]);
    send(socket, 5);
    await vi.advanceTimersByTimeAsync(ACK_DELAY);
    expect(framesOf(socket, "ack")).toEqual([{ type: "ack", seq: 4 }, { type: "ack", seq: 5 }]);
    await vi.advanceTimersByTimeAsync(10 * ACK_DELAY);
    expect(framesOf(socket, "ack")).toHaveLength(2);
  });

  it("acknowledges only after the handlers ran, even ones that throw", async () => {
    // An ack means "the app had it"; a buggy handler must not make the message come back forever.
    const t = await tab({ ackDelay: 0 });
    const socket = confirm();
    const acksSeenByHandler: unknown[][] = [];
    t.client.subscribe("notification", () => {
      vi.advanceTimersByTime(1000); // any ack timer started before the handlers would fire here
      acksSeenByHandler.push(framesOf(socket, "ack"));
      throw new Error("boom");
    });
    send(socket, 1);
    expect(acksSeenByHandler).toEqual([[]]);
    await vi.advanceTimersByTimeAsync(0);
    expect(framesOf(socket, "ack")).toEqual([{ type: "ack", seq: 1 }]);
    expect(t.logger.error).toHaveBeenCalledWith('notifyhub: a handler of "notification" threw', expect.any(Error));
    expect(t.client.readState.ackedSeq).toBe(1);
  });

  it("in manual mode acknowledges only what ack(seq) says, coalesced", async () => {
    const t = await tab({ ack: "manual" });
    const socket = confirm();
    send(socket, 1, 2, 3);
    await vi.advanceTimersByTimeAsync(10 * ACK_DELAY);
    expect(framesOf(socket, "ack")).toEqual([]);
    t.client.ack(1);
    t.client.ack(2);
    await vi.advanceTimersByTimeAsync(ACK_DELAY);
    expect(framesOf(socket, "ack")).toEqual([{ type: "ack", seq: 2 }]);
    t.client.ack(1); // below what was sent: nothing to say
    t.client.ack(9); // never received: the hub would refuse it
    await vi.advanceTimersByTimeAsync(ACK_DELAY);
    expect(framesOf(socket, "ack")).toEqual([{ type: "ack", seq: 2 }]);
    expect(t.logger.warn).toHaveBeenCalledWith("notifyhub: ack(9) ignored: past the last seq this client knows (3)");
    expect(() => t.client.ack(0)).toThrow(/positive integer/);
    expect(() => t.client.ack(1.5)).toThrow(/positive integer/);
  });

  it("sends the latest unsent ack after the next open, if the hub does not have it", async () => {
    // A tab that handled messages just before a drop does not get them again on a new device.
    await tab();
    const first = confirm();
    send(first, 1, 2);
    const second = await drop(first); // before the ack timer fired
    expect(framesOf(first, "ack")).toEqual([]);
    second.open();
    await vi.advanceTimersByTimeAsync(10 * ACK_DELAY);
    expect(framesOf(second, "ack")).toEqual([]); // not before the hub confirmed the stream
    second.receive(established({ epoch: "e1", recovered: true, acked_seq: 1, last_seq: 2 }));
    expect(framesOf(second, "ack")).toEqual([{ type: "ack", seq: 2 }]);
  });

  it("sends again an ack lost with its socket, and nothing the hub already has", async () => {
    await tab();
    const first = confirm();
    send(first, 1, 2);
    await vi.advanceTimersByTimeAsync(ACK_DELAY);
    expect(framesOf(first, "ack")).toEqual([{ type: "ack", seq: 2 }]);

    const second = await drop(first);
    second.open();
    second.receive(established({ epoch: "e1", recovered: true, acked_seq: 0, last_seq: 2 })); // lost
    expect(framesOf(second, "ack")).toEqual([{ type: "ack", seq: 2 }]);

    const third = await drop(second);
    third.open();
    third.receive(established({ epoch: "e1", recovered: true, acked_seq: 2, last_seq: 2 }));
    await vi.advanceTimersByTimeAsync(10 * ACK_DELAY);
    expect(framesOf(third, "ack")).toEqual([]);
  });

  it("forgets an unsent ack when the stream changed epoch", async () => {
    // seq 2 of the old stream is not seq 2 of the new one.
    await tab();
    const first = confirm();
    send(first, 1, 2);
    const second = await drop(first);
    second.open();
    second.receive(established({ epoch: "e2", recovered: false, acked_seq: 0, last_seq: 5 }));
    await vi.advanceTimersByTimeAsync(10 * ACK_DELAY);
    expect(framesOf(second, "ack")).toEqual([]);
  });
});

describe("read state", () => {
  it("reports the hub's cursors on connecting and counts unread messages", async () => {
    // The badge is right from the first render after connecting, and follows new messages.
    const t = await tab({ ack: "manual" });
    const states: number[] = [];
    t.client.onReadStateChange((state) => states.push(state.unread));
    expect(t.client.readState).toEqual({ epoch: "", lastSeq: 0, ackedSeq: 0, readSeq: 0, unread: 0 });
    const socket = confirm({ last_seq: 5, acked_seq: 2, read_seq: 3, recovered: false });
    expect(t.client.readState).toEqual({ epoch: "e1", lastSeq: 5, ackedSeq: 2, readSeq: 3, unread: 2 });
    send(socket, 3, 4, 5, 6);
    expect(t.client.readState).toMatchObject({ lastSeq: 6, unread: 3 });
    expect(states).toEqual([2, 3]);
  });

  it("markRead sends read at once and clears the badge; markRead() reads everything known", async () => {
    const t = await tab();
    const socket = confirm({ last_seq: 4, recovered: false });
    t.client.markRead(2);
    expect(framesOf(socket, "read")).toEqual([{ type: "read", seq: 2 }]);
    expect(t.client.readState).toMatchObject({ readSeq: 2, unread: 2 });
    t.client.markRead(1); // behind: nothing to say
    t.client.markRead(99); // never received
    expect(t.logger.warn).toHaveBeenCalledWith("notifyhub: markRead(99) ignored: past the last seq this client knows (4)");
    t.client.markRead();
    expect(framesOf(socket, "read")).toEqual([{ type: "read", seq: 2 }, { type: "read", seq: 4 }]);
    expect(t.client.readState.unread).toBe(0);
  });

  it("delivers read_receipt to subscribers and moves readSeq, so this tab clears its badge too", async () => {
    // Another tab read the messages: every tab of the user agrees.
    const t = await tab();
    const receipts: number[] = [];
    t.client.subscribe("read_receipt", (payload) => receipts.push(payload.read_seq));
    const socket = confirm({ last_seq: 3, recovered: false });
    socket.receive(message("read_receipt", { read_seq: 3 }));
    expect(receipts).toEqual([3]);
    expect(t.client.readState).toMatchObject({ readSeq: 3, unread: 0 });
    t.client.markRead(3); // the hub has it already
    expect(framesOf(socket, "read")).toEqual([]);
  });

  it("sends a markRead made while disconnected after the next open, unless the hub has it", async () => {
    const t = await tab();
    const first = confirm({ last_seq: 4, recovered: false });
    first.serverClose(1006);
    t.client.markRead(3);
    expect(t.client.readState.readSeq).toBe(3); // the badge clears at once anyway
    await vi.advanceTimersByTimeAsync(0);
    const second = FakeWebSocket.last;
    second.open();
    second.receive(established({ epoch: "e1", recovered: true, last_seq: 4, read_seq: 1 }));
    expect(framesOf(second, "read")).toEqual([{ type: "read", seq: 3 }]);
    expect(t.client.readState.readSeq).toBe(3);
  });

  it("starts over from the hub's numbers in a new epoch", async () => {
    const t = await tab();
    const first = confirm({ last_seq: 5, read_seq: 5, acked_seq: 5, recovered: false });
    const second = await drop(first);
    second.open();
    second.receive(established({ epoch: "e2", recovered: false, last_seq: 1, read_seq: 0, acked_seq: 0 }));
    expect(t.client.readState).toEqual({ epoch: "e2", lastSeq: 1, ackedSeq: 0, readSeq: 0, unread: 1 });
  });
});
