"""`POST /api/v1/messages`, `/batch` and `GET /api/v1/presence/{user_id}`: what services call.

Under `notifyhub serve` the two publish routes are answered by the server's HTTP protocol before
ASGI (`notifyhub.server.http_protocol`); these routes serve them under any other ASGI server and
describe them in the OpenAPI document. Both use the same `ServiceApi`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..answers import Answer
from ..backends.base import BackendUnavailableError
from ..publishing import BatchPublishRequest, PublishRequest
from ..service_api import BATCH_PATH, MESSAGES_PATH, ServiceApi, declared_length, refuse_service_key, unavailable

router = APIRouter()

PUBLISH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or unknown service key"},
    413: {"description": "Body larger than NOTIFYHUB_MAX_PUBLISH_BYTES"},
    422: {"description": "Invalid body (`errors` names each failing field by JSON pointer), or an "
                         "Idempotency-Key used before for another body (`idempotency_key_reused`)"},
    400: {"description": "Idempotency-Key longer than 255 characters or not printable ASCII"},
    503: {"description": "The backend (Redis) is unreachable; nothing was sent"},
    504: {"description": "The backend took too long to answer; the message may have been sent: "
                         "repeat the request with the same Idempotency-Key"},
}


def _response(answer: Answer) -> JSONResponse:
    return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers or None)


async def _answer_route(request: Request, path: str) -> JSONResponse:
    api: ServiceApi = request.app.state.service_api
    headers = request.headers
    idempotency_key = headers.get("idempotency-key")
    refusal = api.refuse_head(headers.get("authorization", ""), declared_length(headers.get("content-length")),
                              idempotency_key)
    if refusal is not None:
        return _response(refusal)
    body = await _read_body(request, api.max_body_bytes)
    return _response(await api.answer(path, body, idempotency_key))


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None once it outgrows limit (Starlette ends the request if the client left)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _body_schema(model) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": model.model_json_schema(ref_template="#/components/schemas/{model}")}}}}


@router.post(MESSAGES_PATH, status_code=202, responses=PUBLISH_RESPONSES, openapi_extra=_body_schema(PublishRequest))
async def publish(request: Request) -> JSONResponse:
    """Validate a message against its schema and deliver it to users' connections or to all."""
    return await _answer_route(request, MESSAGES_PATH)


@router.post(BATCH_PATH, status_code=202, responses=PUBLISH_RESPONSES, openapi_extra=_body_schema(BatchPublishRequest))
async def publish_batch(request: Request) -> JSONResponse:
    """Validate every message first, then deliver them in order; one result per request.

    All or nothing for validation: one invalid message refuses the whole batch with 422.
    Messages queued for one connection in a batch are written to it in one system call.
    """
    return await _answer_route(request, BATCH_PATH)


@router.get("/api/v1/presence/{user_id}", responses={401: PUBLISH_RESPONSES[401], 503: PUBLISH_RESPONSES[503]})
async def presence(user_id: UUID, request: Request) -> JSONResponse:
    """Whether a user is online, and on how many connections, across every hub."""
    hub = request.app.state.hub
    if (refusal := refuse_service_key(hub, request.headers.get("authorization", ""))) is not None:
        return _response(refusal)
    try:
        connections = await hub.presence(user_id)
    except BackendUnavailableError as exc:
        return _response(unavailable(exc, hub.settings.retry_after_seconds))
    return JSONResponse({"user_id": str(user_id), "online": connections > 0, "connections": connections})

