"""The AsyncAPI document of the WebSocket protocol as a hub serves it: the generated one
(`make codegen` writes it into the protocol package, so an installed hub has it; its server is a
placeholder) naming this hub as its server. No I/O but reading that file once."""

from __future__ import annotations

import importlib.resources
import json
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import notifyhub_protocol

PUBLIC_URL_SCHEMES = {"ws": "ws", "wss": "wss", "http": "ws", "https": "wss"}
"""The schemes `NOTIFYHUB_PUBLIC_URL` may have, and the WebSocket scheme each stands for."""

ASYNCAPI_DOCUMENT = importlib.resources.files(notifyhub_protocol) / "asyncapi.json"


@cache
def generated_document() -> dict[str, Any]:
    return json.loads(ASYNCAPI_DOCUMENT.read_text(encoding="utf-8"))


def served_document(public_url: str | None, scope: dict[str, Any]) -> dict[str, Any]:
    """The document with one server, `notifyhub`: this hub, as `served_address` finds it."""
    return {**generated_document(), "servers": {"notifyhub": served_address(public_url, scope)}}


def served_address(public_url: str | None, scope: dict[str, Any]) -> dict[str, str]:
    """The AsyncAPI server object of this hub: `public_url` when set, else the address and port
    the request arrived on (the socket's own, not the Host header a client may choose)."""
    if public_url is not None:
        parts = urlsplit(public_url)
        server = {"host": parts.netloc, "protocol": PUBLIC_URL_SCHEMES[parts.scheme],
                  "description": "NOTIFYHUB_PUBLIC_URL"}
        pathname = parts.path.rstrip("/")
        return {**server, "pathname": pathname} if pathname else server
    host, port = scope["server"] or ("127.0.0.1", None)
    host = f"[{host}]" if ":" in host else host
    return {"host": host if port is None else f"{host}:{port}",
            "protocol": "wss" if scope["scheme"] in ("https", "wss") else "ws",
            "description": "the address this document was served on (set NOTIFYHUB_PUBLIC_URL "
                           "where clients reach the hub through a proxy)"}
