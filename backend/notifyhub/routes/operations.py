"""What operators and tools read: stats, Prometheus metrics, presence, health, and the AsyncAPI
document; and `OperationsGate`, which keeps the first three from the public.

The operations endpoints reveal who is online and how much traffic flows. With
`NOTIFYHUB_OPERATIONS_PORT` set they are served only on that (internal) listener and the public
port answers 404 for them; otherwise they require `Authorization: Bearer <key>` with one of
`NOTIFYHUB_OPERATIONS_KEYS` or the service keys, unless `NOTIFYHUB_OPERATIONS_PUBLIC` is true.
"""

from __future__ import annotations

import hmac
import importlib.resources
import json
from functools import cache

import notifyhub_protocol
from notifyhub_protocol import RefusalReason
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ..answers import Answer, refusal
from ..openapi import OPERATIONS_KEY, SERVICE_KEY, refusal_responses
from ..settings import Settings

router = APIRouter()

ASYNCAPI_DOCUMENT = importlib.resources.files(notifyhub_protocol) / "asyncapi.json"
"""The AsyncAPI document `make codegen` writes into the protocol package, installed with it."""


@cache
def _asyncapi_document() -> dict:
    return json.loads(ASYNCAPI_DOCUMENT.read_text(encoding="utf-8"))


@router.get("/api/v1/ws/stats", openapi_extra={"security": [{OPERATIONS_KEY: []}, {SERVICE_KEY: []}]},
            responses=refusal_responses([RefusalReason.OPERATIONS_KEY_REQUIRED],
                                        {401: "Missing or unknown operations key"}))
async def stats(request: Request) -> dict[str, int]:
    """Connected users and open connections across hubs, and this hub's delivery counters."""
    return await request.app.state.hub.stats()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    registry = request.app.state.hub.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/api/v1/asyncapi.json")
async def asyncapi() -> JSONResponse:
    """The AsyncAPI 3.0 description of the WebSocket protocol, generated from schemas/."""
    return JSONResponse(_asyncapi_document())


OPERATIONS_PATHS = ("/metrics", "/api/v1/ws/stats", "/api/v1/presence/")
"""Paths (and path prefixes, ending in /) only operators may read."""


def is_operations_path(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in OPERATIONS_PATHS)


def _bearer(headers: list[tuple[bytes, bytes]]) -> bytes:
    for name, value in headers:
        if name == b"authorization":
            scheme, _, credentials = value.partition(b" ")
            return credentials.strip() if scheme.lower() == b"bearer" else b""
    return b""


class OperationsGate:
    """ASGI middleware: the operations endpoints on their own listener, or behind a key."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self._port = settings.operations_port
        self._public = settings.operations_public
        self._keys = [key.get_secret_value().encode()
                      for key in (*settings.operations_keys, *settings.service_keys)]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            refusal = self._refusal(scope)
            if refusal is not None:
                body = refusal.rendered()
                await send({"type": "http.response.start", "status": refusal.status,
                            "headers": refusal.raw_headers(len(body))})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope) -> Answer | None:
        operations = is_operations_path(scope["path"])
        if self._port is not None:
            on_operations_port = (scope.get("server") or ("", None))[1] == self._port
            served = operations or scope["path"] == "/healthz" if on_operations_port else not operations
            return None if served else Answer(404, {"detail": "Not Found"})
        if not operations or self._public:
            return None
        presented = _bearer(scope["headers"])
        if presented and any(hmac.compare_digest(presented, key) for key in self._keys):
            return None
        return refusal(RefusalReason.OPERATIONS_KEY_REQUIRED, "this endpoint needs "
                       "'Authorization: Bearer <operations or service key>'", {"WWW-Authenticate": "Bearer"})
