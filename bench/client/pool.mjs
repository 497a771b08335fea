// The load client's connections: opened with bounded concurrency, each counted open once its first
// frame (connection_established) arrives; every later notification frame goes to the current phase.
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { readNotification } from "./frames.mjs";
import { openWebSocket } from "./handshake.mjs";

export class ConnectionPool {
  constructor() {
    this.connections = [];
    this.phase = null;
    this.strayFrames = 0;
  }

  /** Open one connection per entry of plan ({user, token, query, wsUrl}; wsUrl defaults to the one
   * given); resolves with counts and seconds. */
  async open(wsUrl, plan, concurrency, timeoutMs) {
    const started = performance.now();
    let next = 0;
    let failed = 0;
    const worker = async () => {
      while (next < plan.length) {
        const entry = plan[next++];
        try {
          this.connections.push(await this.connect(entry.wsUrl ?? wsUrl, entry, timeoutMs));
        } catch {
          failed += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
    return { opened: plan.length - failed, failed, seconds: (performance.now() - started) / 1000 };
  }

  connect(wsUrl, { user, token, query = "" }, timeoutMs) {
    const engineIO = wsUrl.includes(ENGINE_IO_PATH);
    return new Promise((resolve, reject) => {
      const url = `${wsUrl}?${engineIO ? "EIO=4&transport=websocket&" : ""}token=${token}${query}`;
      const connection = { socket: null, user, engineIO, established: null, closeCode: null };
      let tcp = null;
      const timer = setTimeout(() => {
        if (connection.socket) connection.socket.terminate();
        else tcp.destroy();
        reject(new Error("no connection_established in time"));
      }, timeoutMs);
      const fail = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      const established = () => {
        clearTimeout(timer);
        resolve(connection);
      };
      tcp = openWebSocket(url, (socket) => this.listen(connection, socket, established, fail), fail);
    });
  }

  /** Listen on a connection's socket: its first frame establishes it, later ones go to the phase. */
  listen(connection, socket, established, fail) {
    connection.socket = socket;
    const { engineIO } = connection;
    socket.on("message", (raw) => {
      const now = performance.now();
      const data = engineIO ? engineIOEvent(socket, raw) : raw;
      if (data === null) return;
      if (connection.established === null) {
        connection.established = JSON.parse(data);
        established();
        return;
      }
      const notification = readNotification(data);
      if (notification && this.phase) this.phase.receive(connection, notification, now);
      else if (notification) this.strayFrames += 1;
    });
    socket.on("close", (code) => {
      connection.closeCode = code;
      // Refused after the 101 (1013 when the hub cannot attach it): fail now, not at the timeout.
      if (connection.established === null) fail(new Error(`closed with ${code} before connection_established`));
    });
    socket.on("error", fail);
  }

  /** Closes every connection; counts the ones the server had closed before we asked. */
  async close() {
    const closedByServer = this.connections.filter((c) => c.closeCode !== null).length;
    await Promise.all(this.connections.map((connection) => new Promise((resolve) => {
      if (connection.socket.readyState === WebSocket.CLOSED) return resolve();
      connection.socket.once("close", resolve);
      connection.socket.close(1000);
      setTimeout(() => {
        connection.socket.terminate();
        resolve();
      }, 2000).unref();
    })));
    const closed = this.connections.length;
    this.connections = [];
    return { closed, closedByServer };
  }
}

// python-socketio's peer speaks Engine.IO 4 / Socket.IO 5 over a plain WebSocket: answer the open
// packet by joining the default namespace and every ping with a pong; an event
// `42["message",<frame>]` yields <frame>, the same JSON the other servers send.
const ENGINE_IO_PATH = "/socket.io/";
const EVENT_PREFIX = Buffer.from('42["message",');

/** text as connection's client sends it: as is, or over Engine.IO as a "message" event. */
export function clientFrame(connection, text) {
  return connection.engineIO ? `42["message",${text}]` : text;
}

/** The frame in an Engine.IO packet, or null for a control packet (answered here). */
function engineIOEvent(socket, packet) {
  if (packet[0] === 0x30) socket.send("40"); // "0": open -> connect to "/"
  else if (packet[0] === 0x32) socket.send("3"); // "2": ping -> pong
  else if (packet.subarray(0, EVENT_PREFIX.length).equals(EVENT_PREFIX)) {
    return packet.subarray(EVENT_PREFIX.length, packet.length - 1);
  }
  return null;
}
