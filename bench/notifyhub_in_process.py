"""notifyhub as `notifyhub serve` runs it, plus one bench-only route for scenario E.

`POST /bench/send_to_user` with `{"phase": p, "targets": [user_id, ...]}` sends notification
`"<p>:<i>"` to `targets[i]` through the in-process API (`hub.send_to_user`), one after another, so
the harness measures that API without the HTTP publish path. Settings come from `NOTIFYHUB_*`.

    python -m bench.notifyhub_in_process --port 0
"""

from __future__ import annotations

import argparse
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from notifyhub.server import build_server
from notifyhub.settings import Settings
from notifyhub_protocol import new_notification_message

from bench.peers.contract import notification_payload

router = APIRouter()


@router.post("/bench/send_to_user")
async def send_to_user(request: Request) -> JSONResponse:
    body = await request.json()
    hub = request.app.state.hub
    phase = body["phase"]
    for index, user_id in enumerate(body["targets"]):
        message = new_notification_message(**notification_payload(f"{phase}:{index}"))
        await hub.send_to_user(UUID(user_id), message)
    return JSONResponse({"sent": len(body["targets"])})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    port = parser.parse_args().port
    server = build_server(Settings(host="127.0.0.1", port=port))
    server.app.include_router(router)
    server.run()


if __name__ == "__main__":
    main()
