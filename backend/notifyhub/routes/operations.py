"""What operators and tools read: stats, Prometheus metrics, presence, the liveness and readiness
probes, and the AsyncAPI document; and `OperationsGate`, which keeps the first three from the
public.

The operations endpoints reveal who is online and how much traffic flows. With
`NOTIFYHUB_OPERATIONS_PORT` set they are served only on that (internal) listener and the public
port answers 404 for them; otherwise they require `Authorization: Bearer <key>` with one of
`NOTIFYHUB_OPERATIONS_KEYS` or the service keys, unless `NOTIFYHUB_OPERATIONS_PUBLIC` is true.
The probes (`/healthz`, `/readyz`) answer on both listeners, to anyone.

The operations console (`/console/`, routes/console.py) is served where the operations endpoints
are; its own endpoints (`/api/v1/console/`) need a key on every listener, even when
`NOTIFYHUB_OPERATIONS_PUBLIC` is true, since they can disconnect users. Its page holds no data.
"""

from __future__ import annotations

import hmac

from notifyhub_protocol import RefusalReason
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from ..answers import Answer, refusal
from ..asyncapi import served_document
from ..openapi import OPERATIONS_KEY, SERVICE_KEY, refusal_responses
from ..settings import Settings

router = APIRouter()


@router.get("/api/v1/ws/stats", openapi_extra={"security": [{OPERATIONS_KEY: []}, {SERVICE_KEY: []}]},
            responses=refusal_responses([RefusalReason.OPERATIONS_KEY_REQUIRED],
                                        {401: "Missing or unknown operations key"}))
async def stats(request: Request) -> dict[str, int]:
    """Connected users and open connections across hubs, and this hub's delivery counters."""
    return await request.app.state.hub.stats()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    return Response(request.app.state.hub.metrics.render(), media_type=CONTENT_TYPE_LATEST)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: the process serves requests. Checks nothing else, so a backend outage never gets
    a hub restarted."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Not ready: `reason` is `draining` or "
                                                      "`backend_unavailable`, `detail` says why"}})
async def readyz(request: Request) -> JSONResponse:
    """Readiness: 200 `{"status": "ready"}` when the hub can take traffic; 503 `{"status":
    "not_ready", "reason", "detail"}` while it drains or its backend does not answer within
    `NOTIFYHUB_READINESS_TIMEOUT_SECONDS`."""
    report = await request.app.state.readiness.check()
    return JSONResponse(report.body(), status_code=200 if report.ready else 503)


@router.get("/api/v1/asyncapi.json")
async def asyncapi(request: Request) -> JSONResponse:
    """The AsyncAPI 3.0 description of the WebSocket protocol, generated from schemas/, naming this
    hub as its server."""
    return JSONResponse(served_document(request.app.state.settings.public_url, request.scope))


OPERATIONS_PATHS = ("/metrics", "/api/v1/ws/stats", "/api/v1/presence/")
"""Paths (and path prefixes, ending in /) only operators may read."""

PROBE_PATHS = ("/healthz", "/readyz")
"""Paths answered on every listener, with no key: what load balancers and orchestrators probe."""


CONSOLE_API_PREFIX = "/api/v1/console/"
"""The console's endpoints: they need a key on every listener, even with operations public."""

def is_operations_path(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in OPERATIONS_PATHS)


def is_console_path(path: str) -> bool:
    return path.startswith(CONSOLE_API_PREFIX) or path == "/console" or path.startswith("/console/")


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
        path = scope["path"]
        console_api = path.startswith(CONSOLE_API_PREFIX)
        operations = is_operations_path(path) or is_console_path(path)
        if self._port is not None:
            on_operations_port = (scope.get("server") or ("", None))[1] == self._port
            served = operations or path in PROBE_PATHS if on_operations_port else not operations
            if not served:
                return Answer(404, {"detail": "Not Found"})
            return self._key_refusal(scope) if console_api else None
        if console_api:
            return self._key_refusal(scope)
        if not operations or self._public or is_console_path(path):
            return None
        return self._key_refusal(scope)

    def _key_refusal(self, scope) -> Answer | None:
        presented = _bearer(scope["headers"])
        if presented and any(hmac.compare_digest(presented, key) for key in self._keys):
            return None
        return refusal(RefusalReason.OPERATIONS_KEY_REQUIRED, "this endpoint needs "
                       "'Authorization: Bearer <operations or service key>'", {"WWW-Authenticate": "Bearer"})
