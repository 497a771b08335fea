"""Peer: the `websockets` library's asyncio server, fanning out with its `broadcast()`.

`websockets` serves no HTTP POST, so publishing goes to a bare ASGI app on uvicorn (httptools) on a
second port of the same event loop.
"""

from __future__ import annotations

import json

import uvicorn
import uvloop
from websockets.asyncio.server import ServerConnection, broadcast, serve

from bench.peers.contract import announce, bound_socket, encode, established, in_process_sends, port_argument, user_of

connections_by_user: dict[str, set[ServerConnection]] = {}


async def handler(websocket: ServerConnection) -> None:
    user_id = user_of(websocket.request.path.partition("token=")[2].partition("&")[0])
    connections_by_user.setdefault(user_id, set()).add(websocket)
    try:
        await websocket.send(established(user_id))
        async for _ in websocket:
            pass
    finally:
        connections = connections_by_user[user_id]
        connections.discard(websocket)
        if not connections:
            del connections_by_user[user_id]


def send_to_user(user_id: str, frame: str) -> int:
    connections = connections_by_user.get(user_id, ())
    broadcast(connections, frame)
    return len(connections)


def deliver(request: dict) -> int:
    frame = encode(request["message"])
    if request.get("broadcast"):
        everyone = [c for connections in connections_by_user.values() for c in connections]
        broadcast(everyone, frame)
        return len(everyone)
    return sum(send_to_user(user_id, frame) for user_id in request["user_ids"])


def answer(body: dict) -> dict:
    return {"connections": deliver(body)}


def answer_batch(body: dict) -> dict:
    return {"results": [deliver(request) for request in body["requests"]]}


def answer_in_process(body: dict) -> dict:
    for user_id, frame in in_process_sends(body):
        send_to_user(user_id, frame)
    return {"ok": True}


ROUTES = {"/api/v1/messages": answer, "/api/v1/messages/batch": answer_batch, "/bench/send_to_user": answer_in_process}


async def publish_app(scope, receive, send) -> None:
    """Bare ASGI: read the JSON body, run the route, answer 202 with JSON."""
    if scope["type"] != "http":
        return
    chunks, more = [], True
    while more:
        event = await receive()
        chunks.append(event.get("body", b""))
        more = event.get("more_body", False)
    route = ROUTES.get(scope["path"])
    status, result = (202, route(json.loads(b"".join(chunks)))) if route else (404, {})
    body = json.dumps(result).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def main(port: int) -> None:
    ws_socket, http_socket = bound_socket(port), bound_socket(0)
    config = uvicorn.Config(publish_app, http="httptools", ws="none", lifespan="off",
                            log_level="warning", access_log=False)
    http_server = uvicorn.Server(config)
    async with serve(handler, sock=ws_socket, compression=None):
        announce(ws_socket.getsockname()[1], http_socket.getsockname()[1])
        await http_server.serve(sockets=[http_socket])


if __name__ == "__main__":
    uvloop.run(main(port_argument()))
