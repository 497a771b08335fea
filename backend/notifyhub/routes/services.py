"""`POST /api/v1/messages`: how services in other processes send messages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..auth import verify_service_key
from ..errors import AuthenticationError, InvalidMessageError
from ..hub import Hub
from ..publishing import PublishRequest, parse_publish_request, stamp

router = APIRouter()

PUBLISH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or unknown service key"},
    413: {"description": "Body larger than NOTIFYHUB_MAX_PUBLISH_BYTES"},
    422: {"description": "Invalid body; `errors` names each failing field by JSON pointer"},
}


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
    try:
        verify_service_key(settings, request.headers.get("authorization", ""))
    except AuthenticationError as exc:
        return JSONResponse({"error": exc.reason, "detail": exc.detail}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    body = await _read_body(request, settings.max_publish_bytes)
    if body is None:
        return JSONResponse({"error": "body_too_large",
                             "detail": f"at most {settings.max_publish_bytes} bytes"}, status_code=413)
    try:
        publish_request = parse_publish_request(body, settings.max_recipients_per_request)
    except InvalidMessageError as exc:
        return JSONResponse({"error": "invalid_message", "detail": exc.detail, "errors": exc.errors},
                            status_code=422)
    message = stamp(publish_request.message)
    reached = hub.deliver(None if publish_request.broadcast else publish_request.user_ids, message)
    return JSONResponse({"id": str(message.id), "type": message.type, "connections": reached},
                        status_code=202)
