/**
 * A WebSocket stand-in the tests drive by hand: each instance records what the client sent, and
 * the test plays the hub (`open`, `receive`, `serverClose`, `refuseHandshake`). Every frame the
 * client sends is checked against the `ClientFrame` schema: one the hub would refuse throws.
 */
import type { CloseEventLike, MessageEventLike, WebSocketLike } from "../../src/environment.js";
import type { ServerMessage } from "../../src/types.js";
import { clientFrameProblem } from "./clientFrameSchema.js";

type Listener = (event: never) => void;

export class FakeWebSocket implements WebSocketLike {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  /** Every socket made since the last `reset()`, oldest first. */
  static instances: FakeWebSocket[] = [];

  /** Resolvers of `next()`, called with the next socket made. */
  static #awaiting: ((socket: FakeWebSocket) => void)[] = [];

  static reset(): void {
    FakeWebSocket.instances = [];
    FakeWebSocket.#awaiting = [];
  }

  /**
   * The next socket made: for a connect() whose socket waits on real I/O (the validators' dynamic
   * import under `validateFrames`), which fake timers cannot settle.
   */
  static next(): Promise<FakeWebSocket> {
    return new Promise((resolve) => FakeWebSocket.#awaiting.push(resolve));
  }

  /** The newest socket. */
  static get last(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1);
    if (socket === undefined) throw new Error("no socket was created");
    return socket;
  }

  readyState = FakeWebSocket.CONNECTING;
  readonly sent: string[] = [];
  /** Set when the client called close(). */
  closedByClient: { code: number | undefined; reason: string | undefined } | undefined;
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeWebSocket.instances.push(this);
    for (const resolve of FakeWebSocket.#awaiting.splice(0)) resolve(this);
  }

  addEventListener(type: string, listener: (event: never) => void): void {
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: (event: never) => void): void {
    this.#listeners.get(type)?.delete(listener);
  }

  /** How many listeners are attached (the client's cleanup removes all but its no-op error one). */
  listenerCount(type?: string): number {
    if (type !== undefined) return this.#listeners.get(type)?.size ?? 0;
    return [...this.#listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error("send() on a socket that is not open");
    const problem = clientFrameProblem(data);
    if (problem !== undefined) throw new Error(`the client sent a frame its schema refuses: ${data}: ${problem}`);
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = FakeWebSocket.CLOSED;
  }

  /** The frames the client sent, parsed. */
  get sentFrames(): unknown[] {
    return this.sent.map((data) => JSON.parse(data) as unknown);
  }

  // -- the hub's side --------------------------------------------------------------------

  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.#emit("open", {});
  }

  receive(message: ServerMessage | Record<string, unknown>): void {
    this.receiveRaw(JSON.stringify(message));
  }

  receiveRaw(data: unknown): void {
    this.#emit("message", { data } satisfies MessageEventLike);
  }

  serverClose(code: number, reason = ""): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.#emit("close", { code, reason } satisfies CloseEventLike);
  }

  /** What a browser reports for a refused handshake (401, 429) or an unreachable hub. */
  refuseHandshake(): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.#emit("error", {});
    this.#emit("close", { code: 1006, reason: "" } satisfies CloseEventLike);
  }

  #emit(type: string, event: object): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) (listener as (event: object) => void)(event);
  }
}
