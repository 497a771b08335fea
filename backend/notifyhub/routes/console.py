"""The operations console: its page at `/console/` (static files shipped in the package) and the
JSON endpoints under `/api/v1/console/` it reads, all answered by `Console` (console.py).

The page holds no data; the endpoints need an operations or service key, always, whatever
`NOTIFYHUB_OPERATIONS_PUBLIC` says (they tell who is online and can disconnect users). See
`OperationsGate` in operations.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from notifyhub_protocol import RefusalReason
from starlette.staticfiles import StaticFiles

from ..backends.base import BackendUnavailableError
from ..openapi import OPERATIONS_KEY, SERVICE_KEY, refusal_responses
from ..service_api import unavailable

PAGE_PATH = "/console"
API_PREFIX = "/api/v1/console/"
PAGE_DIRECTORY = Path(__file__).resolve().parent.parent / "console_page"
"""The page's files, in the package (package-data), so an installed hub serves them as they are."""

router = APIRouter(prefix=API_PREFIX.rstrip("/"), tags=["console"])
_GATED: dict[str, Any] = {
    "openapi_extra": {"security": [{OPERATIONS_KEY: []}, {SERVICE_KEY: []}]},
    "responses": refusal_responses([RefusalReason.OPERATIONS_KEY_REQUIRED, RefusalReason.BACKEND_UNAVAILABLE],
                                   {401: "Missing or unknown operations key",
                                    503: "The backend (Redis) is unreachable"}),
}


async def _answer(request: Request, work) -> JSONResponse:
    try:
        return JSONResponse(await work(request.app.state.console))
    except BackendUnavailableError as exc:
        refusal = unavailable(exc, request.app.state.settings.retry_after_seconds)
        return JSONResponse(refusal.body, status_code=refusal.status, headers=refusal.headers)


@router.get("/hubs", **_GATED)
async def hubs(request: Request) -> JSONResponse:
    """Every hub sharing the backend, with its connections and users, and the totals."""
    return await _answer(request, lambda console: console.hubs())


@router.get("/series", **_GATED)
async def series(request: Request) -> JSONResponse:
    """The sampled time series: messages per second by type, send latency p50/p99, closes by
    code, fallbacks, connections and users; per hub and summed across hubs."""
    return await _answer(request, lambda console: console.series())


@router.get("/users/{user_id}", **_GATED)
async def user(user_id: UUID, request: Request) -> JSONResponse:
    """A user's presence, connections (with the hub holding each), stream cursors and last messages."""
    return await _answer(request, lambda console: console.user(user_id))


@router.post("/users/{user_id}/disconnect", **_GATED)
async def disconnect(user_id: UUID, request: Request) -> JSONResponse:
    """Close every connection of the user, on every hub, with 4501 CONNECTION_REVOKED."""
    return await _answer(request, lambda console: console.disconnect(user_id))


def mount(app: FastAPI) -> None:
    """Serve the page at `/console/` and its endpoints."""
    app.include_router(router)
    app.mount(PAGE_PATH, StaticFiles(directory=PAGE_DIRECTORY, html=True), name="console")
