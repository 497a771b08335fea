"""Typed constructors for every server message type, and builders of the drafts services submit.

Generated from schemas/ by `make codegen`. Do not edit by hand.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar
from uuid import UUID, SafeUUID

from pydantic import MISSING, BaseModel

from .models import (
    BookReadyMessage,
    BookReadyPayload,
    ConnectionEstablishedMessage,
    ConnectionEstablishedPayload,
    ErrorMessage,
    ErrorPayload,
    LearningUpdateMessage,
    LearningUpdatePayload,
    NotificationMessage,
    NotificationPayload,
    OcrProgressMessage,
    OcrProgressPayload,
    PongMessage,
    PongPayload,
    ReadReceiptMessage,
    ReadReceiptPayload,
    ReviewReminderMessage,
    ReviewReminderPayload,
)
from .registry import (
    BookReadyDraft,
    LearningUpdateDraft,
    NotificationDraft,
    OcrProgressDraft,
    ReviewReminderDraft,
)

MessageT = TypeVar("MessageT", bound=BaseModel)


class _MessageIds:
    """Random version-4 UUIDs (RFC 4122), as `uuid.uuid4()` makes them, from `os.urandom` read
    for many ids at once: one system call per batch instead of one per message."""

    BATCH = 256
    _VARIANT_AND_VERSION = (0x8000 << 48) | (4 << 76)
    _CLEAR = ~((0xC000 << 48) | (0xF000 << 64))

    __slots__ = ("_random", "_offset")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget the buffered bytes (after a fork, so that no two processes share ids)."""
        self._random = b""
        self._offset = 0

    def __call__(self) -> UUID:
        if self._offset >= len(self._random):
            self._random, self._offset = os.urandom(16 * self.BATCH), 0
        value = int.from_bytes(self._random[self._offset:self._offset + 16])
        self._offset += 16
        uuid = object.__new__(UUID)
        object.__setattr__(uuid, "int", value & self._CLEAR | self._VARIANT_AND_VERSION)
        object.__setattr__(uuid, "is_safe", SafeUUID.unknown)
        return uuid


new_message_id = _MessageIds()
"""A new random message id (a version-4 UUID)."""
os.register_at_fork(after_in_child=new_message_id.reset)


def _stamp(message_type: str, message_model: type[MessageT], payload_model: type[BaseModel],
           fields: dict[str, Any]) -> MessageT:
    payload = payload_model.model_validate(
        {name: value for name, value in fields.items() if value is not MISSING}, strict=True
    )
    return message_model.model_construct(
        type=message_type, id=new_message_id(), timestamp=datetime.now(UTC), payload=payload
    )


def _draft(message_type: str, draft_model: type[MessageT], payload_model: type[BaseModel],
           fields: dict[str, Any]) -> MessageT:
    payload = payload_model.model_validate(
        {name: value for name, value in fields.items() if value is not MISSING}, strict=True
    )
    return draft_model.model_construct(type=message_type, payload=payload)


def new_book_ready_message(
    *,
    book_id: UUID | str,
    title: str,
    total_pages: int,
    url: str | MISSING = MISSING,
) -> BookReadyMessage:
    """A book has been processed and its lessons can be opened.

    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _stamp("book_ready", BookReadyMessage, BookReadyPayload, locals())


def new_connection_established_message(
    *,
    connection_id: UUID | str,
    user_id: UUID | str,
    server_time: datetime,
    ping_interval_seconds: float,
    idle_timeout_seconds: float,
    max_message_bytes: int,
    token_expires_at: datetime,
    epoch: str,
    last_seq: int,
    recovered: bool,
    acked_seq: int,
    read_seq: int,
) -> ConnectionEstablishedMessage:
    """The first frame on every accepted connection: who the hub thinks you are and the limits it applies.

    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _stamp("connection_established", ConnectionEstablishedMessage, ConnectionEstablishedPayload, locals())


def new_error_message(
    *,
    code: Literal['invalid_json', 'invalid_message', 'unknown_type', 'message_too_large', 'rate_limited', 'internal'],
    message: str,
    details: dict[str, Any] | MISSING = MISSING,
) -> ErrorMessage:
    """The hub could not act on a frame the client sent; the connection stays open.

    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _stamp("error", ErrorMessage, ErrorPayload, locals())


def new_learning_update_message(
    *,
    session_id: UUID | str,
    book_id: UUID | str | MISSING = MISSING,
    words_learned: int,
    pages_read: int,
    study_seconds: int,
    accuracy: float,
    streak_days: int,
) -> LearningUpdateMessage:
    """Statistics of a study session, sent when the session ends or advances.

    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _stamp("learning_update", LearningUpdateMessage, LearningUpdatePayload, locals())


def new_notification_message(
    *,
    title: str,
    message: str,
    level: Literal['info', 'success', 'warning', 'error'],
    action_url: str | MISSING = MISSING,
) -> NotificationMessage:
    """A general notification for the user, shown as a toast.

    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _stamp("notification", NotificationMessage, NotificationPayload, locals())


def new_ocr_progress_message(
    *,
    book_id: UUID | str,
    total_pages: int,
    processed_pages: int,
    progress: float,
    status: Literal['pending', 'processing', 'completed', 'failed'],
    message: str | MISSING = MISSING,
) -> OcrProgressMessage:
    """Progress of the OCR run over an uploaded book.

    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _stamp("ocr_progress", OcrProgressMessage, OcrProgressPayload, locals())


def new_pong_message(
    *,
    server_time: datetime,
) -> PongMessage:
    """The reply to a client `ping`.

    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _stamp("pong", PongMessage, PongPayload, locals())


def new_read_receipt_message(
    *,
    read_seq: int,
) -> ReadReceiptMessage:
    """Another connection of the same user marked messages read up to `seq`: clear the badge for them.

    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _stamp("read_receipt", ReadReceiptMessage, ReadReceiptPayload, locals())


def new_review_reminder_message(
    *,
    due_count: int,
    book_id: UUID | str | MISSING = MISSING,
    message: str | MISSING = MISSING,
) -> ReviewReminderMessage:
    """Spaced-repetition reviews are due.

    Validates the payload strictly (as the schema would) and stamps a new `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _stamp("review_reminder", ReviewReminderMessage, ReviewReminderPayload, locals())


def new_book_ready_draft(
    *,
    book_id: UUID | str,
    title: str,
    total_pages: int,
    url: str | MISSING = MISSING,
) -> BookReadyDraft:
    """A `book_ready` message as a service submits it: a book has been processed and its lessons can be opened.

    Validates the payload strictly (as the schema would); the hub adds `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _draft("book_ready", BookReadyDraft, BookReadyPayload, locals())


def new_learning_update_draft(
    *,
    session_id: UUID | str,
    book_id: UUID | str | MISSING = MISSING,
    words_learned: int,
    pages_read: int,
    study_seconds: int,
    accuracy: float,
    streak_days: int,
) -> LearningUpdateDraft:
    """A `learning_update` message as a service submits it: statistics of a study session, sent when the session ends or advances.

    Validates the payload strictly (as the schema would); the hub adds `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _draft("learning_update", LearningUpdateDraft, LearningUpdatePayload, locals())


def new_notification_draft(
    *,
    title: str,
    message: str,
    level: Literal['info', 'success', 'warning', 'error'],
    action_url: str | MISSING = MISSING,
) -> NotificationDraft:
    """A `notification` message as a service submits it: a general notification for the user, shown as a toast.

    Validates the payload strictly (as the schema would); the hub adds `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _draft("notification", NotificationDraft, NotificationPayload, locals())


def new_ocr_progress_draft(
    *,
    book_id: UUID | str,
    total_pages: int,
    processed_pages: int,
    progress: float,
    status: Literal['pending', 'processing', 'completed', 'failed'],
    message: str | MISSING = MISSING,
) -> OcrProgressDraft:
    """A `ocr_progress` message as a service submits it: progress of the OCR run over an uploaded book.

    Validates the payload strictly (as the schema would); the hub adds `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _draft("ocr_progress", OcrProgressDraft, OcrProgressPayload, locals())


def new_review_reminder_draft(
    *,
    due_count: int,
    book_id: UUID | str | MISSING = MISSING,
    message: str | MISSING = MISSING,
) -> ReviewReminderDraft:
    """A `review_reminder` message as a service submits it: spaced-repetition reviews are due.

    Validates the payload strictly (as the schema would); the hub adds `id` and `timestamp`.
    Raises pydantic.ValidationError when a field is invalid.
    """
    return _draft("review_reminder", ReviewReminderDraft, ReviewReminderPayload, locals())

