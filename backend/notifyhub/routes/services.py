"""`POST /api/v1/messages`: how services in other processes send messages."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.requests import ClientDisconnect

from ..auth import verify_service_key
from ..backends.base import BackendUnavailableError, IdempotencyKeyReusedError, OutcomeUnknownError
from ..errors import AuthenticationError, InvalidMessageError
from ..hub import Hub
from ..idempotency import IdempotentRequest, InvalidIdempotencyKeyError, parse_idempotency_key
from ..publishing import BatchPublishRequest, PublishRequest, parse_batch_request, parse_publish_request, stamp
from . import render_json

router = APIRouter()

PUBLISH_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Idempotency-Key longer than 255 characters or not printable ASCII"},
    401: {"description": "Missing or unknown service key"},
    413: {"description": "Body larger than NOTIFYHUB_MAX_PUBLISH_BYTES"},
    422: {"description": "Invalid body (`errors` names each failing field by JSON pointer), or an "
                         "Idempotency-Key used before for another body (`idempotency_key_reused`)"},
    503: {"description": "The backend (Redis) is unreachable; nothing was sent"},
    504: {"description": "The backend took too long to answer; the message may have been sent: "
                         "repeat the request with the same Idempotency-Key"},
}


@dataclass(frozen=True, slots=True)
class Answer:
    """What the service API answers: status, JSON body and extra headers (no I/O here)."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status, headers=self.headers or None)

    def rendered(self) -> bytes:
        return render_json(self.body)

    def raw_headers(self, content_length: int) -> list[tuple[bytes, bytes]]:
        """The response headers as Starlette's JSONResponse sends them, for a rendered body."""
        headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in self.headers.items()]
        return headers + [(b"content-length", b"%d" % content_length), (b"content-type", b"application/json")]


def refuse_service_key(hub: Hub, authorization: str) -> Answer | None:
    """None for a valid service key, else the 401 refusing the request."""
    try:
        verify_service_key(hub.settings, authorization)
    except AuthenticationError as exc:
        return Answer(401, {"error": exc.reason, "detail": exc.detail}, {"WWW-Authenticate": "Bearer"})
    return None


def too_large(limit: int) -> Answer:
    return Answer(413, {"error": "body_too_large", "detail": f"at most {limit} bytes"})


def _unauthorized(request: Request) -> JSONResponse | None:
    refusal = refuse_service_key(request.app.state.hub, request.headers.get("authorization", ""))
    return refusal.response() if refusal is not None else None


def _unavailable(exc: BackendUnavailableError | OutcomeUnknownError, retry_after: int = 1,
                 **known: Any) -> Answer:
    """503 when nothing was sent, 504 when it may have been; `known` says what was done."""
    status = 504 if isinstance(exc, OutcomeUnknownError) else 503
    return Answer(status, {"error": exc.reason, "detail": exc.detail, **known}, {"Retry-After": str(retry_after)})


async def _answer_route(request: Request, path: str) -> JSONResponse:
    """A publish route under FastAPI: the same answer as `PublishRoutes` gives."""
    hub: Hub = request.app.state.hub
    body = await _receive_body(request.receive, hub.settings.max_publish_bytes,
                               request.headers.get("content-length"))
    if body is _DISCONNECTED:
        raise ClientDisconnect()
    headers = request.headers
    return (await answer_request(hub, path, headers.get("authorization", ""), body,
                                 headers.get("idempotency-key"))).response()


@router.post("/api/v1/messages", status_code=202, responses=PUBLISH_RESPONSES,
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": PublishRequest.model_json_schema(ref_template="#/components/schemas/{model}")}}}})
async def publish(request: Request) -> JSONResponse:
    """Validate a message against its schema and deliver it to users' connections or to all."""
    return await _answer_route(request, "/api/v1/messages")


@router.post("/api/v1/messages/batch", status_code=202, responses=PUBLISH_RESPONSES,
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": BatchPublishRequest.model_json_schema(ref_template="#/components/schemas/{model}")}}}})
async def publish_batch(request: Request) -> JSONResponse:
    """Validate every message first, then deliver them in order; one result per request.

    All or nothing for validation: one invalid message refuses the whole batch with 422.
    Messages queued for one connection in a batch are written to it in one system call.
    """
    return await _answer_route(request, "/api/v1/messages/batch")


async def answer_publish(hub: Hub, body: bytes, idempotent: IdempotentRequest | None = None) -> Answer:
    """`POST /api/v1/messages` once authorized and read."""
    try:
        publish_request = parse_publish_request(body, hub.settings.max_recipients_per_request)
    except InvalidMessageError as exc:
        return _invalid(exc)
    try:
        first = await _claim(hub, idempotent)
        return Answer(202, await _deliver(hub, publish_request, idempotent, 0, first))
    except IdempotencyKeyReusedError as exc:
        return _reused(exc)
    except (BackendUnavailableError, OutcomeUnknownError) as exc:
        return _unavailable(exc, hub.settings.retry_after_seconds)


async def answer_batch(hub: Hub, body: bytes, idempotent: IdempotentRequest | None = None) -> Answer:
    """`POST /api/v1/messages/batch` once authorized and read."""
    settings = hub.settings
    try:
        batch = parse_batch_request(body, settings.max_recipients_per_request, settings.max_batch_requests)
    except InvalidMessageError as exc:
        return _invalid(exc)
    results = []
    try:
        first = await _claim(hub, idempotent)
        for index, publish_request in enumerate(batch.requests):
            results.append(await _deliver(hub, publish_request, idempotent, index, first))
    except IdempotencyKeyReusedError as exc:
        return _reused(exc)
    except (BackendUnavailableError, OutcomeUnknownError) as exc:
        # `results` are the requests done; the one that failed is undone (503) or unknown (504).
        return _unavailable(exc, settings.retry_after_seconds, results=results, accepted=len(results))
    return Answer(202, {"results": results})


ANSWERS = {"/api/v1/messages": answer_publish, "/api/v1/messages/batch": answer_batch}
"""The publish routes' answers, by path, once a request is authorized and read."""


async def _claim(hub: Hub, idempotent: IdempotentRequest | None) -> bool:
    """Claim the request's key; True the first time. Raises IdempotencyKeyReusedError."""
    if idempotent is None:
        return True
    return await hub.backend.claim_idempotency_key(idempotent.key, idempotent.fingerprint,
                                                   idempotent.window_seconds)


async def _deliver(hub: Hub, publish_request: PublishRequest, idempotent: IdempotentRequest | None,
                   index: int, first: bool) -> dict[str, Any]:
    """Send message `index` of a request. With a key, users recorded as having it are skipped,
    and a broadcast (live only, so not recorded per user) is sent the first time only."""
    message = stamp(publish_request.message)
    token = None
    if idempotent is not None:
        message = message.model_copy(update={"id": idempotent.message_id(index)})
        token = idempotent.token(index)
    if publish_request.broadcast:
        reached = await _broadcast_once(hub, message, idempotent) if first else 0
    else:
        reached = await hub.send_to_users(publish_request.user_ids, message, token)
    return {"id": str(message.id), "type": message.type, "connections": reached}


async def _broadcast_once(hub: Hub, message, idempotent: IdempotentRequest | None) -> int:
    try:
        return await hub.broadcast(message)
    except BackendUnavailableError:
        if idempotent is not None:  # nothing was sent: a repetition may send it
            with contextlib.suppress(BackendUnavailableError):
                await hub.backend.release_idempotency_key(idempotent.key)
        raise


def _invalid(exc: InvalidMessageError) -> Answer:
    return Answer(422, {"error": "invalid_message", "detail": exc.detail, "errors": exc.errors})


def _reused(exc: IdempotencyKeyReusedError) -> Answer:
    return Answer(422, {"error": exc.reason, "detail": exc.detail})


async def answer_request(hub: Hub, path: str, authorization: str, body: bytes | None,
                         idempotency_key: str | None = None) -> Answer:
    """The answer to `POST path`; body is None when it was longer than `max_publish_bytes`,
    `idempotency_key` the Idempotency-Key header (None without one)."""
    if (refusal := refuse_service_key(hub, authorization)) is not None:
        return refusal
    if body is None:
        return too_large(hub.settings.max_publish_bytes)
    try:
        key = parse_idempotency_key(idempotency_key)
    except InvalidIdempotencyKeyError as exc:
        return Answer(400, {"error": exc.reason, "detail": exc.detail})
    idempotent = None if key is None else IdempotentRequest.of(key, body, hub.settings.idempotency_window_seconds)
    return await ANSWERS[path](hub, body, idempotent)


class PublishRoutes:
    """The two publish routes as plain functions of (authorization, body): what `PublishFastPath`
    and notifyhub's HTTP protocol (http_transport.py) answer without FastAPI."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.max_body_bytes = hub.settings.max_publish_bytes

    def serves(self, path: str) -> bool:
        return path in ANSWERS

    async def answer(self, path: str, authorization: str, body: bytes | None,
                     idempotency_key: str | None = None) -> Answer:
        """The answer to `POST path`; body is None when it was longer than `max_body_bytes`."""
        return await answer_request(self.hub, path, authorization, body, idempotency_key)


class PublishFastPath:
    """Serves the two publish routes as bare ASGI, in front of FastAPI's middleware and routing.

    Same functions, same answers as the routes above (which stay for the OpenAPI description);
    what it skips is the router, FastAPI's request handler and dependency solving, and
    Starlette's Request and Response objects: on a one-message publish that was about a third of
    the server's CPU. Under `notifyhub serve` the HTTP protocol answers these before ASGI.
    """

    def __init__(self, app, routes: PublishRoutes) -> None:
        self.app = app
        self._routes = routes

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope["method"] != "POST" or scope.get("root_path")
                or not self._routes.serves(scope["path"])):
            await self.app(scope, receive, send)
            return
        authorization, declared, idempotency_key = "", None, None
        for name, value in scope["headers"]:
            if name == b"authorization" and not authorization:
                authorization = value.decode("latin-1")
            elif name == b"content-length" and declared is None:
                declared = value
            elif name == b"idempotency-key" and idempotency_key is None:
                idempotency_key = value.decode("latin-1")
        body = await _receive_body(receive, self._routes.max_body_bytes, declared)
        if body is _DISCONNECTED:
            return
        result = await self._routes.answer(scope["path"], authorization, body, idempotency_key)
        payload = result.rendered()
        await send({"type": "http.response.start", "status": result.status,
                    "headers": result.raw_headers(len(payload))})
        await send({"type": "http.response.body", "body": payload})


_DISCONNECTED = object()


async def _receive_body(receive, limit: int, declared: bytes | str | None):
    """The body from ASGI `receive`; None once it exceeds limit, _DISCONNECTED if the client left."""
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return _DISCONNECTED
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


@router.get("/api/v1/presence/{user_id}", responses={401: PUBLISH_RESPONSES[401], 503: PUBLISH_RESPONSES[503]})
async def presence(user_id: UUID, request: Request) -> JSONResponse:
    """Whether a user is online, and on how many connections, across every hub."""
    if (refusal := _unauthorized(request)) is not None:
        return refusal
    try:
        connections = await request.app.state.hub.presence(user_id)
    except BackendUnavailableError as exc:
        return _unavailable(exc).response()
    return JSONResponse({"user_id": str(user_id), "online": connections > 0, "connections": connections})
