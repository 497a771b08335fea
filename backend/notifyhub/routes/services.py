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
from notifyhub_protocol import RefusalReason
from pydantic import BaseModel

from ..answers import Answer
from ..backends.base import BackendUnavailableError
from ..idempotency import MAX_KEY_LENGTH
from ..openapi import (SERVICE_KEY, BatchPublishResult, BatchRefusal, InvalidRequestRefusal, Presence,
                       PublishResult, Refusal, json_body, ref, refusal_responses)
from ..publishing import BatchPublishRequest, PublishRequest
from ..service_api import BATCH_PATH, MESSAGES_PATH, ServiceApi, declared_length, refuse_service_key, unavailable

router = APIRouter()

PUBLISH_REFUSALS = (
    RefusalReason.INVALID_IDEMPOTENCY_KEY, RefusalReason.INVALID_SERVICE_KEY, RefusalReason.BODY_TOO_LARGE,
    RefusalReason.INVALID_MESSAGE, RefusalReason.IDEMPOTENCY_KEY_REUSED, RefusalReason.BACKEND_UNAVAILABLE,
    RefusalReason.OUTCOME_UNKNOWN)
"""The refusals a publish route answers with (the server may also refuse a request's head)."""

PRESENCE_REFUSALS = (RefusalReason.INVALID_SERVICE_KEY, RefusalReason.OPERATIONS_KEY_REQUIRED,
                     RefusalReason.BACKEND_UNAVAILABLE)

REFUSAL_DESCRIPTIONS = {
    400: f"An Idempotency-Key that is empty, over {MAX_KEY_LENGTH} characters or not printable ASCII",
    401: "Missing or unknown key",
    413: "Body larger than NOTIFYHUB_MAX_PUBLISH_BYTES",
    422: "Invalid body (`errors` names each failing field by JSON pointer), or an Idempotency-Key "
         "used before for another body",
    503: "The backend (Redis) is unreachable; nothing was sent (see `Retry-After`)",
    504: "The backend took too long to answer; the message may have been sent: repeat the request "
         "with the same Idempotency-Key",
}

IDEMPOTENCY_KEY_HEADER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "Repeat a request with the same key (printable ASCII) to get the first answer "
                   "again: the same message ids, and no user gets a message twice.",
}


def _publish_route(body_model: type[BaseModel], result_model: type[BaseModel],
                   refusal_models: dict[int, type[Refusal]]) -> dict[str, Any]:
    """The keyword arguments that document a publish route (its answers, key and body)."""
    return {"status_code": 202, "openapi_extra": {**json_body(body_model), "parameters": [IDEMPOTENCY_KEY_HEADER],
                                                  "security": [{SERVICE_KEY: []}]},
            "responses": {202: {"description": "Accepted: delivered to the recipients online",
                                "content": {"application/json": {"schema": ref(result_model)}}},
                          **refusal_responses(PUBLISH_REFUSALS, REFUSAL_DESCRIPTIONS, refusal_models)}}


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
    body = await read_body(request, api.max_body_bytes)
    return _response(await api.answer(path, body, idempotency_key))


async def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None once it outgrows limit (Starlette ends the request if the client left)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(MESSAGES_PATH, **_publish_route(PublishRequest, PublishResult, {422: InvalidRequestRefusal}))
async def publish(request: Request) -> JSONResponse:
    """Validate a message against its schema and deliver it to users' connections or to all."""
    return await _answer_route(request, MESSAGES_PATH)


@router.post(BATCH_PATH, **_publish_route(BatchPublishRequest, BatchPublishResult,
                                        {422: InvalidRequestRefusal, 503: BatchRefusal, 504: BatchRefusal}))
async def publish_batch(request: Request) -> JSONResponse:
    """Validate every message first, then deliver them in order; one result per request.

    All or nothing for validation: one invalid message refuses the whole batch with 422.
    Messages queued for one connection in a batch are written to it in one system call.
    """
    return await _answer_route(request, BATCH_PATH)


@router.get("/api/v1/presence/{user_id}", response_model=None, openapi_extra={"security": [{SERVICE_KEY: []}]},
            responses={200: {"description": "The user's presence", "content": {"application/json": {"schema": ref(Presence)}}},
                       **refusal_responses(PRESENCE_REFUSALS, {**REFUSAL_DESCRIPTIONS,
                                                       503: "The backend (Redis) is unreachable"})})
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

