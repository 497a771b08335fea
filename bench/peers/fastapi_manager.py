"""Peer: FastAPI's documented `ConnectionManager` on uvicorn (websockets-sansio, uvloop, httptools).

The manager is the one from FastAPI's WebSockets guide, indexed by user so targeted sends work:
every send is `await websocket.send_text(...)`, one connection after another.
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse

from bench.peers.contract import announce, bound_socket, encode, established, in_process_sends, port_argument, user_of


class ConnectionManager:
    def __init__(self) -> None:
        self.active_connections: dict[str, list[WebSocket]] = {}

    async def connect(self, user_id: str, websocket: WebSocket) -> None:
        await websocket.accept()
        self.active_connections.setdefault(user_id, []).append(websocket)

    def disconnect(self, user_id: str, websocket: WebSocket) -> None:
        connections = self.active_connections.get(user_id, [])
        connections.remove(websocket)
        if not connections:
            del self.active_connections[user_id]

    async def send_personal_message(self, message: str, user_id: str) -> int:
        connections = self.active_connections.get(user_id, [])
        for connection in connections:
            await connection.send_text(message)
        return len(connections)

    async def broadcast(self, message: str) -> int:
        sent = 0
        for connections in list(self.active_connections.values()):
            for connection in connections:
                await connection.send_text(message)
                sent += 1
        return sent


app = FastAPI()
manager = ConnectionManager()


@app.websocket("/api/v1/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    user_id = user_of(websocket.query_params["token"])
    await manager.connect(user_id, websocket)
    await websocket.send_text(established(user_id))
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        manager.disconnect(user_id, websocket)


async def deliver(request: dict) -> int:
    frame = encode(request["message"])
    if request.get("broadcast"):
        return await manager.broadcast(frame)
    return sum([await manager.send_personal_message(frame, user_id) for user_id in request["user_ids"]])


@app.post("/api/v1/messages", status_code=202)
async def publish(request: Request) -> JSONResponse:
    return JSONResponse({"connections": await deliver(await request.json())}, status_code=202)


@app.post("/api/v1/messages/batch", status_code=202)
async def publish_batch(request: Request) -> JSONResponse:
    body = await request.json()
    return JSONResponse({"results": [await deliver(r) for r in body["requests"]]}, status_code=202)


@app.post("/bench/send_to_user")
async def send_to_user(request: Request) -> JSONResponse:
    for user_id, frame in in_process_sends(await request.json()):
        await manager.send_personal_message(frame, user_id)
    return JSONResponse({"ok": True})


def main(port: int) -> None:
    sock = bound_socket(port)
    config = uvicorn.Config(app, ws="websockets-sansio", loop="uvloop", http="httptools",
                            log_level="warning", access_log=False)
    announce(sock.getsockname()[1], sock.getsockname()[1])
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main(port_argument())
