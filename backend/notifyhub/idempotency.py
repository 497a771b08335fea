"""The `Idempotency-Key` of a publish (IETF draft-ietf-httpapi-idempotency-key-header).

A service that sends a publish again with the same key, within the window, gets the first
answer again: the same message ids, and no user gets the message twice. The key is checked
against a fingerprint of the request body, so the same key with another body is refused.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from uuid import UUID

from pydantic import BaseModel

from .backends.base import PublishToken, fingerprint
from .errors import NotifyhubError

MAX_KEY_LENGTH = 255
"""Longest key accepted: a UUID or a hash fits many times over."""


class InvalidIdempotencyKeyError(NotifyhubError):
    """An Idempotency-Key that is empty, too long, or not printable ASCII."""

    def __init__(self, detail: str) -> None:
        super().__init__("invalid_idempotency_key", detail)


def parse_idempotency_key(value: str | None) -> str | None:
    """The key of a request (None without the header); raise InvalidIdempotencyKeyError."""
    if value is None:
        return None
    if not 1 <= len(value) <= MAX_KEY_LENGTH:
        raise InvalidIdempotencyKeyError(f"an Idempotency-Key has 1 to {MAX_KEY_LENGTH} characters")
    if not all(" " <= character <= "~" for character in value):
        raise InvalidIdempotencyKeyError("an Idempotency-Key is printable ASCII")
    return value


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    """A publish request sent with an idempotency key: what each of its messages is named."""

    key: str
    fingerprint: str
    window_seconds: float

    @classmethod
    def of(cls, key: str, body: bytes, window_seconds: float) -> IdempotentRequest:
        return cls(key, fingerprint(body), window_seconds)

    def token(self, index: int) -> PublishToken:
        """The token of message `index` of the request (a batch has several)."""
        return PublishToken.for_key(self.key, self.fingerprint, self.window_seconds, index)

    def message_id(self, index: int) -> uuid.UUID:
        """The id of message `index`: the same on every repetition of the request."""
        digest = hashlib.sha256(f"{index}\n{self.fingerprint}\n{self.key}".encode()).digest()
        return uuid.UUID(bytes=digest[:16], version=4)


def message_token(key: str, message: BaseModel, user_ids: list[UUID], window_seconds: float) -> PublishToken:
    """The token of a message sent from Python with an idempotency key (`Publisher`,
    `Hub.send_to_users`). Its fingerprint is the message's type and payload and the recipients,
    not its id or timestamp, so a message built again for a retry counts as the same request.
    Raises InvalidIdempotencyKeyError."""
    key = parse_idempotency_key(key)
    what = message.model_dump_json(include={"type", "payload"}).encode()
    return PublishToken.for_key(key, fingerprint(what, *(user_id.bytes for user_id in user_ids)),
                                window_seconds)
