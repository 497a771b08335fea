"""The service API's answers (`POST /api/v1/messages` and `/batch`) as plain functions, whatever
carries the request: the server's HTTP protocol, or the FastAPI routes under another server.

A request is judged in two steps, so that nothing is buffered for a request that will be refused:
`refuse_head` when the head is complete (the service key, the declared size), then `answer` once
the body is read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from notifyhub_protocol import RefusalReason
from pydantic import BaseModel

from .answers import Answer, refusal
from .auth import verify_service_key
from .backends.base import (
    BackendUnavailableError,
    IdempotencyKeyReusedError,
    OutcomeUnknownError,
    Publication,
    PublishToken,
)
from .errors import AuthenticationError, InvalidMessageError
from .hub import Hub
from .idempotency import IdempotentRequest, InvalidIdempotencyKeyError, parse_idempotency_key
from .messages import encode, stamp
from .publishing import PublishRequest, parse_batch_request, parse_publish_request

MESSAGES_PATH = "/api/v1/messages"
BATCH_PATH = "/api/v1/messages/batch"


def refuse_service_key(hub: Hub, authorization: str) -> Answer | None:
    """None for a valid service key, else the 401 refusing the request."""
    try:
        verify_service_key(hub.settings, authorization)
    except AuthenticationError as exc:
        return Answer.refusing(exc, {"WWW-Authenticate": "Bearer"})
    return None


def too_large(limit: int) -> Answer:
    return refusal(RefusalReason.BODY_TOO_LARGE, f"at most {limit} bytes")


def unavailable(exc: BackendUnavailableError | OutcomeUnknownError, retry_after: float = 1, **known: Any) -> Answer:
    """503 when nothing was sent, 504 when it may have been; `known` says what was done."""
    return Answer.refusing(exc, {"Retry-After": f"{retry_after:g}"}, **known)


def _invalid(exc: InvalidMessageError) -> Answer:
    return Answer.refusing(exc, errors=exc.errors)


async def answer_publish(hub: Hub, body: bytes, idempotent: IdempotentRequest | None = None) -> Answer:
    """`POST /api/v1/messages` once authorized and read."""
    try:
        publish_request = parse_publish_request(body, hub.settings.max_recipients_per_request)
    except InvalidMessageError as exc:
        return _invalid(exc)
    try:
        first = await _claim(hub, idempotent)
        return Answer(202, await _deliver(hub, _outgoing(hub, publish_request, idempotent, 0), idempotent, first))
    except IdempotencyKeyReusedError as exc:
        return Answer.refusing(exc)
    except (BackendUnavailableError, OutcomeUnknownError) as exc:
        return unavailable(exc, hub.settings.retry_after_seconds)


async def answer_batch(hub: Hub, body: bytes, idempotent: IdempotentRequest | None = None) -> Answer:
    """`POST /api/v1/messages/batch` once authorized and read."""
    settings = hub.settings
    try:
        batch = parse_batch_request(body, settings.max_recipients_per_request, settings.max_batch_requests)
    except InvalidMessageError as exc:
        return _invalid(exc)
    now = datetime.now(UTC)  # one request, one time: the messages of a batch are stamped alike
    outgoing = [_outgoing(hub, publish_request, idempotent, index, now)
                for index, publish_request in enumerate(batch.requests)]
    results = []
    try:
        first = await _claim(hub, idempotent)
        for group in _sent_together(outgoing, settings.max_recipients_per_request):
            if group[0].durable:
                reached = await hub.send_encoded_together([(item.publication(hub), item.message.type)
                                                           for item in group])
                results.extend(item.result(count) for item, count in zip(group, reached))
            else:
                results.append(await _deliver(hub, group[0], idempotent, first))
    except IdempotencyKeyReusedError as exc:
        return Answer.refusing(exc)
    except (BackendUnavailableError, OutcomeUnknownError) as exc:
        # `results` are the requests done; those sent together after them are undone (503) or
        # unknown (504).
        return unavailable(exc, settings.retry_after_seconds, results=results, accepted=len(results))
    return Answer(202, {"results": results})


ANSWERS = {MESSAGES_PATH: answer_publish, BATCH_PATH: answer_batch}
"""The publish routes' answers, by path, once a request is authorized and read."""


async def _claim(hub: Hub, idempotent: IdempotentRequest | None) -> bool:
    """Claim the request's key; True the first time. Raises IdempotencyKeyReusedError."""
    if idempotent is None:
        return True
    return await hub.backend.claim_idempotency_key(idempotent.key, idempotent.fingerprint,
                                                   idempotent.window_seconds)


@dataclass(slots=True)
class _Outgoing:
    """Message `index` of a request, stamped and encoded, with its token (with a key)."""

    request: PublishRequest
    message: BaseModel
    body: bytes
    token: PublishToken | None
    durable: bool
    """To the users' streams: not a broadcast, nor a type delivered live."""

    def publication(self, hub: Hub) -> Publication:
        return hub.publication(self.request.user_ids, self.body, self.message.type, self.token,
                               hub.conflation_key(self.message))

    def result(self, reached: int) -> dict[str, Any]:
        return {"id": str(self.message.id), "type": self.message.type, "connections": reached}


def _outgoing(hub: Hub, publish_request: PublishRequest, idempotent: IdempotentRequest | None,
              index: int, now: datetime | None = None) -> _Outgoing:
    """Message `index` of a request (validated, rules included, when it was parsed), ready to send,
    stamped with the time `now` (by default, of the call)."""
    message = stamp(publish_request.message, now)
    token = None
    if idempotent is not None:
        message = message.model_copy(update={"id": idempotent.message_id(index)})
        token = idempotent.token(index)
    durable = not (publish_request.broadcast or hub.delivered_live(message.type))
    return _Outgoing(publish_request, message, encode(message), token, durable)


def _sent_together(outgoing: list[_Outgoing], max_recipients: int) -> Iterator[list[_Outgoing]]:
    """The messages in order, in groups sent together: consecutive durable ones, up to
    `max_recipients` recipients in all (one message's limit, so one round trip to Redis carries
    no more than a single request may), and each other message on its own."""
    group: list[_Outgoing] = []
    recipients = 0
    for item in outgoing:
        count = len(item.request.user_ids or ())
        if group and (not item.durable or recipients + count > max_recipients):
            yield group
            group, recipients = [], 0
        if not item.durable:
            yield [item]
            continue
        group.append(item)
        recipients += count
    if group:
        yield group


async def _deliver(hub: Hub, item: _Outgoing, idempotent: IdempotentRequest | None, first: bool) -> dict[str, Any]:
    """Send one message. With a key, users recorded as having it are skipped, and a broadcast or
    a message of a type delivered live (not recorded per user) is sent the first time only."""
    message, body, publish_request = item.message, item.body, item.request
    if item.durable:
        reached = await hub.send_encoded(publish_request.user_ids, body, message.type, item.token,
                                         hub.conflation_key(message))
    elif first:
        reached = await _send_live_once(hub, publish_request, body, message.type, idempotent)
    else:
        reached = 0
    return item.result(reached)


async def _send_live_once(hub: Hub, publish_request: PublishRequest, body: bytes, message_type: str,
                          idempotent: IdempotentRequest | None) -> int:
    """A broadcast, or a type delivered live: not recorded per user, so with a key only the first
    request sends it."""
    try:
        if publish_request.broadcast:
            return await hub.broadcast_encoded(body, message_type)
        return await hub.send_encoded(publish_request.user_ids, body, message_type)
    except BackendUnavailableError:
        if idempotent is not None:  # nothing was sent: a repetition may send it
            with contextlib.suppress(BackendUnavailableError):
                await hub.backend.release_idempotency_key(idempotent.key)
        raise


class ServiceApi:
    """The publish routes as functions of (path, authorization, declared size, body)."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.max_body_bytes = hub.settings.max_publish_bytes

    @staticmethod
    def serves(path: str) -> bool:
        return path in ANSWERS

    def refuse_head(self, authorization: str, declared_length: int | None,
                    idempotency_key: str | None = None) -> Answer | None:
        """The refusal due once the head is read (401 for the key, 413 for a declared size over
        the limit, 400 for a malformed Idempotency-Key), or None to read the body."""
        if (refusal := refuse_service_key(self.hub, authorization)) is not None:
            return refusal
        if declared_length is not None and declared_length > self.max_body_bytes:
            return too_large(self.max_body_bytes)
        try:
            parse_idempotency_key(idempotency_key)
        except InvalidIdempotencyKeyError as exc:
            return Answer.refusing(exc)
        return None

    async def answer(self, path: str, body: bytes | None, idempotency_key: str | None = None) -> Answer:
        """The answer to an authorized `POST path` whose head `refuse_head` let through; body is
        None when it outgrew `max_body_bytes`, idempotency_key the Idempotency-Key header."""
        if body is None:
            return too_large(self.max_body_bytes)
        idempotent = None if idempotency_key is None else IdempotentRequest.of(
            idempotency_key, body, self.hub.settings.idempotency_window_seconds)
        return await ANSWERS[path](self.hub, body, idempotent)


def declared_length(value: bytes | str | None) -> int | None:
    """A Content-Length header's value, or None when absent or not a plain number."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    return int(text) if text.isdigit() and len(text) <= 18 else None
