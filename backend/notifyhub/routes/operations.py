"""What operators and tools read: stats, Prometheus metrics, health, and the AsyncAPI document."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import notifyhub_protocol
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter()

ASYNCAPI_PATH = Path(notifyhub_protocol.__file__).resolve().parents[2] / "asyncapi" / "asyncapi.json"


@cache
def _asyncapi_document() -> dict:
    return json.loads(ASYNCAPI_PATH.read_text(encoding="utf-8"))


@router.get("/api/v1/ws/stats")
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
