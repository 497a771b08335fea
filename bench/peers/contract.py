"""What the Python peers share: reading a token's user, stamping and encoding messages, the ready line."""

from __future__ import annotations

import argparse
import base64
import json
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

COMPACT = (",", ":")
"""JSON without spaces, as notifyhub and Node's JSON.stringify write it."""


def user_of(token: str) -> str:
    """The `user_id` claim of a JWT, read without checking the signature (peers trust the harness)."""
    claims = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["user_id"]


def established(user_id: str) -> str:
    return json.dumps({"type": "connection_established", "payload": {"user_id": user_id}}, separators=COMPACT)


def encode(message: dict[str, Any]) -> str:
    """The frame every receiver of message gets: the message with `id` and `timestamp`, as JSON."""
    return json.dumps(stamped(message), separators=COMPACT)


def stamped(message: dict[str, Any]) -> dict[str, Any]:
    return {"type": message["type"], "id": str(uuid.uuid4()), "timestamp": datetime.now(UTC).isoformat(),
            "payload": message["payload"]}


PAYLOAD_BYTES = 200
"""How big a notification's payload is as JSON, as the load client's (bench/client/publisher.mjs)."""
ACTION_URL = "https://app.hailango.example/lessons/review"


def notification_payload(text: str) -> dict[str, Any]:
    """A payload of PAYLOAD_BYTES of JSON for a short text: the title fills up, as the load client's."""
    payload = {"title": "", "message": text, "level": "info", "action_url": ACTION_URL}
    room = PAYLOAD_BYTES - len(json.dumps(payload, separators=COMPACT))
    payload["title"] = ("Lesson reminder " * 16)[:max(1, room)]
    return payload


def notification(text: str) -> dict[str, Any]:
    return {"type": "notification", "payload": notification_payload(text)}


def in_process_sends(body: dict[str, Any], encoder=encode) -> Iterator[tuple[str, Any]]:
    """(user_id, frame) for each send a `POST /bench/send_to_user` body asks for."""
    phase = body["phase"]
    for index, user_id in enumerate(body["targets"]):
        yield user_id, encoder(notification(f"{phase}:{index}"))


def bound_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def announce(ws_port: int, http_port: int, ws_path: str | None = None) -> None:
    """The ready line the harness waits for; ws_path when the WebSocket is not at /api/v1/ws."""
    print(f"listening ws={ws_port} http={http_port}" + (f" ws_path={ws_path}" if ws_path else ""), flush=True)


def port_argument() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    return parser.parse_args().port
