// Peer: Node's `ws` on node:http. Fan-out encodes once and calls `ws.send` for each connection.
// The harness contract is described in bench/peers/__init__.py.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { parseArgs } from "node:util";
import { WebSocketServer } from "ws";

const connectionsByUser = new Map();

const userOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url")).user_id;

const encode = (message) =>
  JSON.stringify({ type: message.type, id: randomUUID(), timestamp: new Date().toISOString(), payload: message.payload });

const notification = (text) => ({ type: "notification", payload: { title: "t", message: text, level: "info" } });

function sendToUser(userId, frame) {
  const connections = connectionsByUser.get(userId);
  if (!connections) return 0;
  for (const ws of connections) ws.send(frame);
  return connections.size;
}

function deliver(request) {
  const frame = encode(request.message);
  if (request.broadcast) {
    let sent = 0;
    for (const connections of connectionsByUser.values()) for (const ws of connections) (ws.send(frame), (sent += 1));
    return sent;
  }
  return request.user_ids.reduce((sum, userId) => sum + sendToUser(userId, frame), 0);
}

const routes = {
  "/api/v1/messages": (body) => ({ connections: deliver(body) }),
  "/api/v1/messages/batch": (body) => ({ results: body.requests.map(deliver) }),
  "/bench/send_to_user": ({ phase, targets }) => {
    targets.forEach((userId, index) => sendToUser(userId, encode(notification(`${phase}:${index}`))));
    return { ok: true };
  },
};

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const route = routes[request.url];
    const result = route ? route(JSON.parse(Buffer.concat(chunks))) : {};
    response.writeHead(route ? 202 : 404, { "content-type": "application/json" });
    response.end(JSON.stringify(result));
  });
});

const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (request, socket, head) => {
  const url = new URL(request.url, "http://localhost");
  if (url.pathname !== "/api/v1/ws") return socket.destroy();
  wss.handleUpgrade(request, socket, head, (ws) => {
    const userId = userOf(url.searchParams.get("token"));
    if (!connectionsByUser.has(userId)) connectionsByUser.set(userId, new Set());
    connectionsByUser.get(userId).add(ws);
    ws.on("close", () => {
      const connections = connectionsByUser.get(userId);
      connections.delete(ws);
      if (connections.size === 0) connectionsByUser.delete(userId);
    });
    ws.send(JSON.stringify({ type: "connection_established", payload: { user_id: userId } }));
  });
});

const { values } = parseArgs({ options: { port: { type: "string", default: "0" } } });
server.listen(Number(values.port), "127.0.0.1", () => {
  const { port } = server.address();
  console.log(`listening ws=${port} http=${port}`);
});
