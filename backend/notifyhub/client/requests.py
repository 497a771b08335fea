"""The service API's requests and answers as plain data: the bodies a client posts, and what an
answer means (a result, a failure worth retrying, or a refusal). No I/O."""

from __future__ import annotations

import json
import typing
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
from notifyhub_protocol import OutgoingMessage
from pydantic import BaseModel

from ..idempotency import parse_idempotency_key
from .errors import HubRefusedError
from .retry import Failure, retry_after_seconds

MESSAGES_PATH = "/api/v1/messages"
BATCH_PATH = "/api/v1/messages/batch"
RETRY_STATUSES = frozenset({503, 504})
"""503: the hub did nothing and says when to come back; 504: it may have done it. Either is safe
to repeat, because every publish carries an idempotency key."""

DRAFT_TYPES: tuple[type[BaseModel], ...] = typing.get_args(typing.get_args(OutgoingMessage)[0])
"""The generated drafts (`NotificationDraft`, ...): a message as a service submits it."""


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One publish of a batch: a draft for some users, or for every connection."""

    draft: OutgoingMessage
    user_ids: tuple[UUID | str, ...] | None = None

    @classmethod
    def to_users(cls, user_ids: Iterable[UUID | str], draft: OutgoingMessage) -> BatchItem:
        return cls(draft, tuple(_user_ids(user_ids)))

    @classmethod
    def to_everyone(cls, draft: OutgoingMessage) -> BatchItem:
        return cls(draft)


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the hub accepted: the id it gave it, its type, and how many connections of the
    recipients were open and got it (the others get it from history when they reconnect)."""

    id: UUID
    type: str
    connections: int

    @classmethod
    def of(cls, result: Mapping[str, Any]) -> Sent:
        return cls(UUID(result["id"]), result["type"], result["connections"])


def publish_body(user_ids: Iterable[UUID | str], draft: OutgoingMessage) -> bytes:
    """The body of `POST /api/v1/messages` to some users. Raises TypeError for a wrong argument."""
    return _encode(_publish(BatchItem.to_users(user_ids, draft)))


def broadcast_body(draft: OutgoingMessage) -> bytes:
    """The body of `POST /api/v1/messages` to every connection."""
    return _encode(_publish(BatchItem.to_everyone(draft)))


def batch_body(items: Iterable[BatchItem]) -> bytes:
    """The body of `POST /api/v1/messages/batch`."""
    items = list(items)
    if not all(isinstance(item, BatchItem) for item in items):
        raise TypeError("send_batch takes BatchItem.to_users(...) and BatchItem.to_everyone(...) items")
    return _encode({"requests": [_publish(item) for item in items]})


def idempotency_key(given: str | None) -> str:
    """The key a publish is sent with: the caller's, or a new random one. Raises
    InvalidIdempotencyKeyError for a key the hub would refuse."""
    return str(uuid.uuid4()) if given is None else parse_idempotency_key(given)


def _user_ids(user_ids: Iterable[UUID | str]) -> list[UUID | str]:
    if isinstance(user_ids, (str, UUID)):
        raise TypeError("user_ids is a list of user ids, not one id")
    return list(user_ids)


def _publish(item: BatchItem) -> dict[str, Any]:
    if not isinstance(item.draft, DRAFT_TYPES):
        raise TypeError(f"expected a draft ({', '.join(t.__name__ for t in DRAFT_TYPES)}), built with "
                        f"new_<type>_draft(...), not {type(item.draft).__name__}: the hub stamps id and timestamp")
    message = item.draft.model_dump(mode="json")
    if item.user_ids is None:
        return {"broadcast": True, "message": message}
    return {"user_ids": [str(user_id) for user_id in item.user_ids], "message": message}


def _encode(body: dict[str, Any]) -> bytes:
    # Encoded once per publish: every retry sends the same bytes, which the hub's idempotency
    # fingerprint requires.
    return json.dumps(body, separators=(",", ":")).encode()


def judge(status: int, headers: Mapping[str, str], content: bytes) -> dict[str, Any] | Failure:
    """The body of an accepted publish (202), or the Failure to retry (503, 504). Raises
    HubRefusedError for any other answer."""
    body = _json_object(content)
    if status == 202 and body is not None:
        return body
    body = body or {}
    reason = str(body.get("error") or f"http_{status}")
    detail = str(body.get("detail") or _excerpt(content))
    if status in RETRY_STATUSES:
        return Failure(reason, detail, status, maybe_delivered=status == 504,
                       retry_after=retry_after_seconds(headers.get("retry-after")))
    raise HubRefusedError(status, reason, detail, body.get("errors"))


def transport_failure(exc: httpx.TransportError) -> Failure:
    """The Failure for a request that got no answer. Re-raises `exc` itself for mistakes no
    retry mends (a URL scheme httpx does not speak, a proxy that refuses)."""
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.ProxyError)):
        raise exc
    # Only a connection never made (or a request never written) certainly did nothing.
    untouched = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
    reason = "timeout" if isinstance(exc, httpx.TimeoutException) else "unreachable" if untouched else "no_answer"
    return Failure(reason, str(exc) or type(exc).__name__, None, maybe_delivered=not untouched, cause=exc)


def _json_object(content: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _excerpt(content: bytes, limit: int = 200) -> str:
    return content[:limit].decode("utf-8", "replace").strip()
