// Opening a client WebSocket with a handshake written and read here, then handed to `ws`.
//
// `ws`'s own client (`new WebSocket(url)`) cost the load client 300-330 µs of CPU per connection
// (node:http's request machinery, a random key and a SHA-1 per handshake): opening connections to
// Node's `ws`, the client used 90% of its core, so that rate was partly the client's. Here one
// request line and a fixed key (a server must accept any key; the expected accept value is
// computed once) on a plain TCP socket, and the same `ws` frames afterwards, through the socket
// hand-over `ws`'s own server uses (`setSocket`, in the `ws` version pinned in bench/package.json):
// 230-280 µs, most of the rest being loopback TCP, which the kernel charges to the sending side.
import { createHash } from "node:crypto";
import net from "node:net";
import WebSocket from "ws";

const KEY = "bm90aWZ5aHViLWJlbmNoIQ==";
const ACCEPT = createHash("sha1").update(`${KEY}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
const HEAD_END = Buffer.from("\r\n\r\n");
const MAX_HEAD_BYTES = 16 * 1024;
/** As `ws`'s client defaults: answer pings, give a close handshake 30 s, frames up to 100 MiB. */
const OPTIONS = { autoPong: true, maxPendingAutoPongs: 60, closeTimeout: 30_000 };
const MAX_PAYLOAD = 100 * 1024 * 1024;

/** Connect to url; `attach(ws)` runs once the server answered 101, before any frame is read, so
 * no frame can be missed; `fail(error)` on anything else. Returns the TCP socket (to destroy it
 * if the caller gives up first). */
export function openWebSocket(url, attach, fail) {
  const { hostname, port, pathname, search } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  socket.setNoDelay(true);
  socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n`
    + `Connection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let received = Buffer.alloc(0);
  const onError = (error) => fail(error);
  const onClose = () => fail(new Error("connection closed during the handshake"));
  const onData = (chunk) => {
    received = received.length ? Buffer.concat([received, chunk]) : chunk;
    const end = received.indexOf(HEAD_END);
    if (end < 0) {
      if (received.length > MAX_HEAD_BYTES) (socket.destroy(), fail(new Error("response head too long")));
      return;
    }
    socket.removeListener("data", onData).removeListener("error", onError).removeListener("close", onClose);
    const head = received.subarray(0, end).toString("latin1");
    if (!head.startsWith("HTTP/1.1 101") || !head.includes(ACCEPT)) {
      socket.destroy();
      fail(new Error(`handshake refused: ${head.split("\r\n", 1)[0]}`));
      return;
    }
    socket.pause();
    const ws = new WebSocket(null, undefined, OPTIONS);
    ws._isServer = false; // frames from this side are masked, frames read must not be
    ws.setSocket(socket, received.subarray(end + HEAD_END.length),
      { maxPayload: MAX_PAYLOAD, skipUTF8Validation: true, allowSynchronousEvents: true });
    attach(ws);
    socket.resume();
  };
  socket.on("data", onData).on("error", onError).on("close", onClose);
  return socket;
}
