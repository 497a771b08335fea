/**
 * The delivery guarantee end to end: the client against real hubs (`notifyhub serve` child
 * processes, Node's `ws`). A message sent while the user was offline arrives on connect and, once
 * acknowledged, not on a new device; markRead in one tab reaches the user's other tabs; and over
 * Redis, a client whose hub goes away resumes by itself and its handler sees exactly 1..N.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { createClient, type NotifyhubClient } from "../../src/client.js";
import type { ClientOptions, ConnectionState, TokenSource } from "../../src/options.js";
import type { ReadState } from "../../src/readState.js";
import type { MessageOf, ServerMessageType } from "../../src/types.js";
import { Hub, NOTIFYHUB, freePort, hubAvailable, mintToken } from "../support/hub.js";
import { notification, ocrProgress } from "../support/messages.js";
import { REDIS_URL, deletePrefix, redisAnswers, redisRequired, uniquePrefix } from "../support/redis.js";

if (!hubAvailable) {
  const reason = `${NOTIFYHUB} is missing (run \`make install\`)`;
  if (process.env.CI) throw new Error(`real-hub tests cannot run under CI: ${reason}`);
  console.warn(`\n*** SKIPPING the real-hub delivery tests: ${reason} ***\n`);
}
const redisReachable = hubAvailable && (await redisAnswers());
if (hubAvailable && !redisReachable) {
  const reason = `no Redis answers at ${REDIS_URL}`;
  if (redisRequired) throw new Error(`the Redis real-hub test must run under CI: ${reason}`);
  console.warn(`\n*** SKIPPING the Redis real-hub test: ${reason} ***\n`);
}

const EVENT_TIMEOUT_MS = 15_000;

interface Tab {
  readonly client: NotifyhubClient;
  /** The seq of every `notification` handed to the handler, in order. */
  readonly seqs: number[];
  readonly established: MessageOf<"connection_established">[];
  readonly debug: ReturnType<typeof vi.fn>;
}

const clients: NotifyhubClient[] = [];
afterEach(() => {
  clients.splice(0).forEach((client) => client.disconnect());
});

function open(url: string, token: TokenSource, options: Partial<ClientOptions> = {}): Tab {
  const debug = vi.fn();
  const client = createClient({
    url,
    WebSocket,
    validateFrames: true,
    reconnectInterval: 100,
    maxReconnectInterval: 500,
    maxReconnectAttempts: Infinity,
    onlineTarget: null,
    visibilityTarget: null,
    logger: { debug, warn: () => {}, error: console.error },
    ...options,
  });
  const seqs: number[] = [];
  const established: MessageOf<"connection_established">[] = [];
  client.subscribe("notification", (_payload, message) => seqs.push(message.seq ?? -1));
  client.subscribe("connection_established", (_payload, message) => established.push(message));
  client.connect(token);
  clients.push(client);
  return { client, seqs, established, debug };
}

/** Resolves with the next message of `type` the client's handlers get. */
function next<T extends ServerMessageType>(client: NotifyhubClient, type: T): Promise<MessageOf<T>> {
  return withTimeout(`a ${type} message`, new Promise((resolve) => {
    const stop = client.subscribe(type, (_payload, message) => {
      stop();
      resolve(message);
    });
  }));
}

/** Resolves once the client is in `state` (at once if it is). */
function reaches(client: NotifyhubClient, state: ConnectionState): Promise<void> {
  return withTimeout(`state ${state}`, new Promise((resolve) => {
    if (client.state === state) return resolve();
    const stop = client.onStateChange(({ current }) => {
      if (current === state) {
        stop();
        resolve();
      }
    });
  }));
}

/** Resolves once `holds(readState)` is true (at once if it is). */
function readStateReaches(client: NotifyhubClient, holds: (state: ReadState) => boolean): Promise<void> {
  return withTimeout("a read state", new Promise((resolve) => {
    if (holds(client.readState)) return resolve();
    const stop = client.onReadStateChange((state) => {
      if (holds(state)) {
        stop();
        resolve();
      }
    });
  }));
}

/** Resolves once the handler of `tab` has seen `seq` (at once if it has). */
function handled(tab: Tab, seq: number): Promise<void> {
  return withTimeout(`seq ${seq}`, new Promise((resolve) => {
    if (tab.seqs.includes(seq)) return resolve();
    const stop = tab.client.subscribe("notification", () => {
      if (tab.seqs.includes(seq)) { // `open`'s handler, subscribed first, has recorded it
        stop();
        resolve();
      }
    });
  }));
}

/** The hub answers a client's frames in order: once the pong is back, every earlier frame was processed. */
async function fence(client: NotifyhubClient): Promise<void> {
  const pong = next(client, "pong");
  expect(client.send({ type: "ping" })).toBe(true);
  await pong;
}

function withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), EVENT_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

async function publishTo(hub: Hub, userIds: string[], count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await hub.publish({ user_ids: userIds, message: { type: "notification", payload: notification } });
  }
}

describe.skipIf(!hubAvailable)("delivery against a real notifyhub", () => {
  let hub: Hub;

  beforeAll(async () => {
    hub = new Hub(await freePort());
    await hub.start();
  }, 30_000);

  afterAll(async () => {
    await hub?.stop();
  }, 20_000);

  it("delivers what was sent while offline; once acknowledged, a new device does not get it", async () => {
    // A message is never lost to a closed tab, and a handled one does not come back on the phone.
    const user = randomUUID();
    const token = await mintToken(user);
    expect((await hub.publish({ user_ids: [user], message: { type: "notification", payload: notification } })).connections).toBe(0);

    const laptop = open(hub.wsUrl, token);
    expect((await next(laptop.client, "notification")).seq).toBe(1);
    await readStateReaches(laptop.client, (state) => state.ackedSeq === 1); // the automatic ack went out
    await fence(laptop.client);

    const phone = open(hub.wsUrl, token); // a new device: no `since`
    const first = next(phone.client, "notification");
    await reaches(phone.client, "open");
    expect(phone.established[0]?.payload).toMatchObject({ last_seq: 1, acked_seq: 1, recovered: false });
    await publishTo(hub, [user], 1);
    expect((await first).seq).toBe(2); // a replayed seq 1 would have come first
    expect(phone.seqs).toEqual([2]);
  }, 30_000);

  it("markRead in one tab clears the badge in the user's other tabs", async () => {
    // Reading in one tab shows as read everywhere, through the hub's read_receipt.
    const user = randomUUID();
    const token = await mintToken(user);
    const reader = open(hub.wsUrl, token);
    const other = open(hub.wsUrl, token);
    await Promise.all([reaches(reader.client, "open"), reaches(other.client, "open")]);
    await publishTo(hub, [user], 2);
    await Promise.all([handled(reader, 2), handled(other, 2)]);
    expect(other.client.readState).toMatchObject({ lastSeq: 2, readSeq: 0, unread: 2 });

    const receipt = next(other.client, "read_receipt");
    reader.client.markRead();
    expect((await receipt).payload).toEqual({ read_seq: 2 });
    expect(other.client.readState).toMatchObject({ readSeq: 2, unread: 0 });
    expect(reader.client.readState).toMatchObject({ readSeq: 2, unread: 0 });

    const later = open(hub.wsUrl, token); // and a tab opened afterwards starts with no badge
    await reaches(later.client, "open");
    expect(later.client.readState).toMatchObject({ lastSeq: 2, readSeq: 2, unread: 0 });
  }, 30_000);
});

describe.skipIf(!hubAvailable)("conflated history against a real notifyhub", () => {
  let hub: Hub;

  beforeAll(async () => {
    hub = new Hub(await freePort(), { NOTIFYHUB_REPLAY_PAGE_MESSAGES: "16" });
    await hub.start();
  }, 30_000);

  afterAll(async () => {
    await hub?.stop();
  }, 20_000);

  it("resumes across conflated progress without reporting a gap, and acknowledges the whole stream", async () => {
    // A tab back after 300 progress updates for 3 books shows each book's current progress, logs
    // no loss, and its acknowledgement covers the superseded updates too.
    const user = randomUUID();
    const token = await mintToken(user);
    const warn = vi.fn();
    const tab = open(hub.wsUrl, token, { logger: { debug: () => {}, warn, error: console.error } });
    const progress: MessageOf<"ocr_progress">[] = [];
    tab.client.subscribe("ocr_progress", (_payload, message) => progress.push(message));
    await reaches(tab.client, "open");
    await publishTo(hub, [user], 1);
    await handled(tab, 1);
    tab.client.disconnect();

    const books = [randomUUID(), randomUUID(), randomUUID()];
    const latest = new Map<string, string>();
    let head = 1;
    for (let step = 1; step <= 100; step += 1) {
      for (const book_id of books) {
        const payload = { ...ocrProgress, book_id, total_pages: 100, processed_pages: step, progress: step };
        latest.set(book_id, (await hub.publish({ user_ids: [user], message: { type: "ocr_progress", payload } })).id);
        head += 1;
      }
      if (step % 25 === 0) {
        await publishTo(hub, [user], 1);
        head += 1;
      }
    }

    tab.client.connect(token);
    await readStateReaches(tab.client, (state) => state.ackedSeq === head);
    expect(tab.established.at(-1)?.payload).toMatchObject({ recovered: true, last_seq: head });
    expect(progress.map((message) => message.id)).toEqual([...latest.values()]);
    expect(progress.map((message) => message.payload.processed_pages)).toEqual([100, 100, 100]);
    expect(tab.seqs).toEqual([1, 77, 153, 229, 305]); // every notification, once, in order
    const seqs = [...progress.map((message) => message.seq ?? 0), ...tab.seqs].sort((a, b) => a - b);
    expect(seqs.at(-1)).toBe(head);
    expect(warn).not.toHaveBeenCalled();

    const phone = open(hub.wsUrl, token); // a new device: everything was acknowledged
    await reaches(phone.client, "open");
    expect(phone.established[0]?.payload).toMatchObject({ last_seq: head, acked_seq: head });
  }, 60_000);
});

describe.skipIf(!redisReachable)("resuming across hubs over Redis", () => {
  const prefix = uniquePrefix();
  const env = { NOTIFYHUB_BACKEND: "redis", NOTIFYHUB_REDIS_URL: REDIS_URL, NOTIFYHUB_REDIS_PREFIX: prefix };
  let home: Hub;
  let other: Hub;

  beforeAll(async () => {
    [home, other] = [new Hub(await freePort(), env), new Hub(await freePort(), env)];
    await Promise.all([home.start(), other.start()]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([home?.stop(), other?.stop()]);
    await deletePrefix(prefix);
  }, 30_000);

  it("sees exactly 1..N in order after its hub went away and messages kept coming", async () => {
    // A deploy takes a hub down while services keep sending: nothing is missed, nothing doubled.
    const resumer = randomUUID(); // resumes with `since`
    const newcomer = randomUUID(); // reconnects without `since`, acknowledges nothing: gets it all again
    const [resumerToken, newcomerToken] = await Promise.all([mintToken(resumer), mintToken(newcomer)]);
    const resuming = open(home.wsUrl, resumerToken);
    const replayed = open(home.wsUrl, newcomerToken, { resume: false, ack: "manual" });
    await Promise.all([reaches(resuming.client, "open"), reaches(replayed.client, "open")]);

    await publishTo(other, [resumer, newcomer], 3); // live, through the other hub and Redis
    await Promise.all([handled(resuming, 3), handled(replayed, 3)]);

    await home.stop(); // 1012: both clients start reconnecting to it
    expect(resuming.client.state).toBe("reconnecting");
    await publishTo(other, [resumer, newcomer], 4); // 4..7 while nobody is connected
    const restarted = home.start();
    await publishTo(other, [resumer, newcomer], 13); // 8..20 while the clients come back
    await restarted;
    await Promise.all([handled(resuming, 20), handled(replayed, 20)]);
    await publishTo(other, [resumer, newcomer], 1); // 21: and live again afterwards
    await Promise.all([handled(resuming, 21), handled(replayed, 21)]);

    expect(resuming.seqs).toEqual(range(1, 21));
    expect(replayed.seqs).toEqual(range(1, 21));
    const epoch = resuming.established[0]?.payload.epoch;
    expect(resuming.established.map((m) => [m.payload.epoch, m.payload.recovered])).toEqual([
      [epoch, false],
      [epoch, true],
    ]);
    expect(resuming.debug).not.toHaveBeenCalled(); // the hub itself sent no duplicate
    // Without `since`, the hub replayed 1..3 (never acknowledged) and the client dropped them.
    const dropped = replayed.debug.mock.calls.filter(([line]) => String(line).includes("dropped a duplicate"));
    expect(dropped).toHaveLength(3);
  }, 60_000);
});
