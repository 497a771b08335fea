"""`POST /api/v1/messages`: how services in other processes send messages."""

from __future__ import annotations

from typing import Any

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..auth import verify_service_key
from ..backends.base import BackendUnavailableError
from ..errors import AuthenticationError, InvalidMessageError
from ..hub import Hub
from ..publishing import BatchPublishRequest, PublishRequest, parse_batch_request, parse_publish_request, stamp

router = APIRouter()

PUBLISH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or unknown service key"},
    413: {"description": "Body larger than NOTIFYHUB_MAX_PUBLISH_BYTES"},
    422: {"description": "Invalid body; `errors` names each failing field by JSON pointer"},
    503: {"description": "The backend (Redis) is unreachable; nothing was sent"},
}


async def _authorized_body(request: Request) -> bytes | JSONResponse:
    """The body of a request with a valid service key, or the response refusing it."""
    if (refusal := _unauthorized(request)) is not None:
        return refusal
    limit = request.app.state.hub.settings.max_publish_bytes
    body = await _read_body(request, limit)
    if body is None:
        return JSONResponse({"error": "body_too_large", "detail": f"at most {limit} bytes"}, status_code=413)
    return body


def _unauthorized(request: Request) -> JSONResponse | None:
    try:
        verify_service_key(request.app.state.hub.settings, request.headers.get("authorization", ""))
    except AuthenticationError as exc:
        return JSONResponse({"error": exc.reason, "detail": exc.detail}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    return None


def _unavailable(exc: BackendUnavailableError) -> JSONResponse:
    return JSONResponse({"error": exc.reason, "detail": exc.detail}, status_code=503,
                        headers={"Retry-After": "1"})


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it exceeds limit bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/api/v1/messages", status_code=202, responses=PUBLISH_RESPONSES,
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": PublishRequest.model_json_schema(ref_template="#/components/schemas/{model}")}}}})
async def publish(request: Request) -> JSONResponse:
    """Validate a message against its schema and deliver it to users' connections or to all."""
    hub: Hub = request.app.state.hub
    settings = hub.settings
    body = await _authorized_body(request)
    if isinstance(body, JSONResponse):
        return body
    try:
        publish_request = parse_publish_request(body, settings.max_recipients_per_request)
    except InvalidMessageError as exc:
        return _invalid(exc)
    try:
        result = await _deliver(hub, publish_request)
    except BackendUnavailableError as exc:
        return _unavailable(exc)
    return JSONResponse(result, status_code=202)


@router.post("/api/v1/messages/batch", status_code=202, responses=PUBLISH_RESPONSES,
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": BatchPublishRequest.model_json_schema(ref_template="#/components/schemas/{model}")}}}})
async def publish_batch(request: Request) -> JSONResponse:
    """Validate every message first, then deliver them in order; one result per request.

    All or nothing for validation: one invalid message refuses the whole batch with 422.
    Messages queued for one connection in a batch are written to it in one system call.
    """
    hub: Hub = request.app.state.hub
    settings = hub.settings
    body = await _authorized_body(request)
    if isinstance(body, JSONResponse):
        return body
    try:
        batch = parse_batch_request(body, settings.max_recipients_per_request, settings.max_batch_requests)
    except InvalidMessageError as exc:
        return _invalid(exc)
    results = []
    try:
        for publish_request in batch.requests:
            results.append(await _deliver(hub, publish_request))
    except BackendUnavailableError as exc:
        return JSONResponse({"error": exc.reason, "detail": exc.detail, "results": results,
                             "accepted": len(results)}, status_code=503, headers={"Retry-After": "1"})
    return JSONResponse({"results": results}, status_code=202)


async def _deliver(hub: Hub, publish_request: PublishRequest) -> dict[str, Any]:
    message = stamp(publish_request.message)
    if publish_request.broadcast:
        reached = await hub.broadcast(message)
    else:
        reached = await hub.send_to_users(publish_request.user_ids, message)
    return {"id": str(message.id), "type": message.type, "connections": reached}


def _invalid(exc: InvalidMessageError) -> JSONResponse:
    return JSONResponse({"error": "invalid_message", "detail": exc.detail, "errors": exc.errors}, status_code=422)


@router.get("/api/v1/presence/{user_id}", responses={401: PUBLISH_RESPONSES[401], 503: PUBLISH_RESPONSES[503]})
async def presence(user_id: UUID, request: Request) -> JSONResponse:
    """Whether a user is online, and on how many connections, across every hub."""
    if (refusal := _unauthorized(request)) is not None:
        return refusal
    try:
        connections = await request.app.state.hub.presence(user_id)
    except BackendUnavailableError as exc:
        return _unavailable(exc)
    return JSONResponse({"user_id": str(user_id), "online": connections > 0, "connections": connections})
