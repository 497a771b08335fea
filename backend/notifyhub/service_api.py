"""The service API's answers (`POST /api/v1/messages` and `/batch`) as plain functions, whatever
carries the request: the server's HTTP protocol, or the FastAPI routes under another server.

A request is judged in two steps, so that nothing is buffered for a request that will be refused:
`refuse_head` when the head is complete (the service key, the declared size), then `answer` once
the body is read.
"""

from __future__ import annotations

from typing import Any

from notifyhub_protocol import RefusalReason

from .answers import Answer, refusal
from .auth import verify_service_key
from .backends.base import BackendUnavailableError
from .errors import AuthenticationError, InvalidMessageError
from .hub import Hub
from .publishing import PublishRequest, parse_batch_request, parse_publish_request, stamp

MESSAGES_PATH = "/api/v1/messages"
BATCH_PATH = "/api/v1/messages/batch"
RETRY_AFTER_SECONDS = "1"


def refuse_service_key(hub: Hub, authorization: str) -> Answer | None:
    """None for a valid service key, else the 401 refusing the request."""
    try:
        verify_service_key(hub.settings, authorization)
    except AuthenticationError as exc:
        return Answer.refusing(exc, {"WWW-Authenticate": "Bearer"})
    return None


def too_large(limit: int) -> Answer:
    return refusal(RefusalReason.BODY_TOO_LARGE, f"at most {limit} bytes")


def unavailable(exc: BackendUnavailableError, **extra: Any) -> Answer:
    return Answer.refusing(exc, {"Retry-After": RETRY_AFTER_SECONDS}, **extra)


def _invalid(exc: InvalidMessageError) -> Answer:
    return Answer.refusing(exc, errors=exc.errors)


async def answer_publish(hub: Hub, body: bytes) -> Answer:
    """`POST /api/v1/messages` once authorized and read."""
    try:
        publish_request = parse_publish_request(body, hub.settings.max_recipients_per_request)
    except InvalidMessageError as exc:
        return _invalid(exc)
    try:
        return Answer(202, await _deliver(hub, publish_request))
    except BackendUnavailableError as exc:
        return unavailable(exc)


async def answer_batch(hub: Hub, body: bytes) -> Answer:
    """`POST /api/v1/messages/batch` once authorized and read."""
    settings = hub.settings
    try:
        batch = parse_batch_request(body, settings.max_recipients_per_request, settings.max_batch_requests)
    except InvalidMessageError as exc:
        return _invalid(exc)
    results = []
    try:
        for publish_request in batch.requests:
            results.append(await _deliver(hub, publish_request))
    except BackendUnavailableError as exc:
        return unavailable(exc, results=results, accepted=len(results))
    return Answer(202, {"results": results})


ANSWERS = {MESSAGES_PATH: answer_publish, BATCH_PATH: answer_batch}
"""The publish routes' answers, by path, once a request is authorized and read."""


async def _deliver(hub: Hub, publish_request: PublishRequest) -> dict[str, Any]:
    message = stamp(publish_request.message)
    if publish_request.broadcast:
        reached = await hub.broadcast(message)
    else:
        reached = await hub.send_to_users(publish_request.user_ids, message)
    return {"id": str(message.id), "type": message.type, "connections": reached}


class ServiceApi:
    """The publish routes as functions of (path, authorization, declared size, body)."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.max_body_bytes = hub.settings.max_publish_bytes

    @staticmethod
    def serves(path: str) -> bool:
        return path in ANSWERS

    def refuse_head(self, authorization: str, declared_length: int | None) -> Answer | None:
        """The refusal due once the head is read (401 for the key, 413 for a declared size over
        the limit), or None to read the body."""
        if (refusal := refuse_service_key(self.hub, authorization)) is not None:
            return refusal
        if declared_length is not None and declared_length > self.max_body_bytes:
            return too_large(self.max_body_bytes)
        return None

    async def answer(self, path: str, body: bytes | None) -> Answer:
        """The answer to an authorized `POST path`; body is None when it outgrew `max_body_bytes`."""
        if body is None:
            return too_large(self.max_body_bytes)
        return await ANSWERS[path](self.hub, body)


def declared_length(value: bytes | str | None) -> int | None:
    """A Content-Length header's value, or None when absent or not a plain number."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    return int(text) if text.isdigit() and len(text) <= 18 else None
