"""Peer: python-socketio (`AsyncServer`, ASGI) on uvicorn with the same FastAPI publish routes.

Each connection joins a room named after its user; a targeted send is `emit(..., room=user_id)`
and a broadcast is `emit(...)` to everyone. Events carry the stamped message as an object, which python-socketio encodes into the packet once
per emit. Clients speak Engine.IO 4 over a plain WebSocket (no long-polling upgrade): the load
client answers the `0` open packet with `40`, and pings with pongs (`bench/client/pool.mjs`).
Frames arrive as `42["message",<frame>]`, where <frame> is the JSON the other servers send.

The WebSocket is at `/socket.io/`; `?token=` carries the JWT as for the others.
"""

from __future__ import annotations

import urllib.parse

import socketio
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bench.peers.contract import announce, bound_socket, in_process_sends, port_argument, stamped, user_of

EVENT = "message"

sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*", transports=["websocket"],
                           ping_interval=25, ping_timeout=60)
api = FastAPI()
users: dict[str, str] = {}
"""sid -> user_id, to count the connections a send reached."""
connections_of: dict[str, int] = {}


@sio.event
async def connect(sid: str, environ: dict, auth: dict | None = None) -> None:
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    user_id = user_of(query["token"][0])
    users[sid] = user_id
    connections_of[user_id] = connections_of.get(user_id, 0) + 1
    await sio.enter_room(sid, user_id)
    await sio.emit(EVENT, {"type": "connection_established", "payload": {"user_id": user_id}}, to=sid)


@sio.event
async def disconnect(sid: str, reason: str | None = None) -> None:
    user_id = users.pop(sid, None)
    if user_id is not None:
        connections_of[user_id] -= 1
        if not connections_of[user_id]:
            del connections_of[user_id]


async def send_to_user(user_id: str, frame: dict) -> int:
    await sio.emit(EVENT, frame, room=user_id)
    return connections_of.get(user_id, 0)


async def deliver(request: dict) -> int:
    frame = stamped(request["message"])
    if request.get("broadcast"):
        await sio.emit(EVENT, frame)
        return len(users)
    return sum([await send_to_user(user_id, frame) for user_id in request["user_ids"]])


@api.post("/api/v1/messages", status_code=202)
async def publish(request: Request) -> JSONResponse:
    return JSONResponse({"connections": await deliver(await request.json())}, status_code=202)


@api.post("/api/v1/messages/batch", status_code=202)
async def publish_batch(request: Request) -> JSONResponse:
    body = await request.json()
    return JSONResponse({"results": [await deliver(r) for r in body["requests"]]}, status_code=202)


@api.post("/bench/send_to_user")
async def bench_send_to_user(request: Request) -> JSONResponse:
    for user_id, frame in in_process_sends(await request.json(), stamped):
        await send_to_user(user_id, frame)
    return JSONResponse({"ok": True})


app = socketio.ASGIApp(sio, other_asgi_app=api)


def main(port: int) -> None:
    sock = bound_socket(port)
    config = uvicorn.Config(app, ws="websockets-sansio", loop="uvloop", http="httptools",
                            log_level="warning", access_log=False)
    announce(sock.getsockname()[1], sock.getsockname()[1], "/socket.io/")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main(port_argument())
