// Flooding connections (scenario H): each sends one small text frame after another, as fast as its
// socket takes them, in the background while other operations run, until stopped, until it has sent
// its frame budget, or until its deadline. What the server answers is read and dropped: nothing about
// the flood is checked, only how it slows the deliveries to everyone else.
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { ConnectionPool, clientFrame } from "./pool.mjs";

/** The smallest frame notifyhub's protocol accepts from a client; the peers just read it. */
const FLOOD_TEXT = JSON.stringify({ type: "ping" });

/** Frames one flooder writes per turn of the event loop: the connections being measured, in the
 * same process, get their turn between bursts, so the flood does not delay their receipt times. */
const FRAMES_PER_TURN = 16;

export class Flood {
  constructor() {
    this.pool = new ConnectionPool();
    this.flooders = [];
    this.startedAt = null;
  }

  /** Open one connection per entry of plan and start every one flooding; resolves once all flood. */
  async start(wsUrl, plan, { maxFrames, maxSeconds, timeoutMs }) {
    const opened = await this.pool.open(wsUrl, plan, plan.length, timeoutMs);
    this.startedAt = performance.now();
    const deadline = this.startedAt + maxSeconds * 1000;
    this.flooders = this.pool.connections.map((connection) => new Flooder(connection, maxFrames, deadline));
    for (const flooder of this.flooders) flooder.pump();
    return opened;
  }

  /** Stop every flooder and close its connection; how much they sent, and how many gave up early. */
  async stop() {
    const seconds = this.startedAt === null ? 0 : (performance.now() - this.startedAt) / 1000;
    const stoppedEarly = this.flooders.filter((f) => f.done || f.connection.closeCode !== null).length;
    const closedByServer = this.pool.connections.filter((c) => c.closeCode !== null).length;
    for (const flooder of this.flooders) flooder.done = true;
    const connections = this.flooders.length;
    const frames = this.flooders.reduce((sum, flooder) => sum + flooder.sent, 0);
    // A close frame would wait behind the bytes a throttling server has not read yet: end them now.
    for (const { socket } of this.pool.connections) socket.terminate();
    await this.pool.close();
    this.flooders = [];
    this.startedAt = null;
    return { connections, frames, seconds, stoppedEarly, closedByServer };
  }
}

class Flooder {
  constructor(connection, maxFrames, deadline) {
    this.connection = connection;
    this.frame = clientFrame(connection, FLOOD_TEXT);
    this.maxFrames = maxFrames;
    this.deadline = deadline;
    this.sent = 0;
    this.done = false;
  }

  /** Write a burst; the last frame's callback (the socket took it) schedules the next one. */
  pump() {
    const { socket } = this.connection;
    if (this.done) return;
    if (socket.readyState !== WebSocket.OPEN || this.sent >= this.maxFrames || performance.now() > this.deadline) {
      this.done = true;
      return;
    }
    const burst = Math.min(FRAMES_PER_TURN, this.maxFrames - this.sent);
    for (let i = 1; i < burst; i += 1) socket.send(this.frame);
    socket.send(this.frame, (error) => {
      if (error) this.done = true;
      else setImmediate(() => this.pump());
    });
    this.sent += burst;
  }
}
