"""The type registry: wire names to models, and the drafts services submit.

Generated from schemas/ by `make codegen`. Do not edit by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .models import (
    AckFrame,
    BookReadyMessage,
    BookReadyPayload,
    ClientFrame,
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
    PingFrame,
    PongMessage,
    PongPayload,
    ReadFrame,
    ReadReceiptMessage,
    ReadReceiptPayload,
    ReviewReminderMessage,
    ReviewReminderPayload,
    ServerMessage,
)


@dataclass(frozen=True, slots=True)
class Fallback:
    """After `after_seconds` without an acknowledgement from any device of the user, the message also
    goes out through `channels` (`push`, `webhook`)."""

    after_seconds: int
    channels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How the hub delivers a type, as its schema's `x-delivery` states (docs/delivery.md).

    `durable`: a seq, kept in history, replayed. `live`: only to the connections open at the time.
    `conflate_by`: a payload field; a replay skips a message when a later one of its type has the
    same value there."""

    mode: Literal["durable", "live"] = "durable"
    conflate_by: str | None = None
    fallback: Fallback | None = None

    @property
    def live(self) -> bool:
        return self.mode == "live"


DURABLE = DeliveryPolicy()
"""The policy of a type whose schema states none."""


@dataclass(frozen=True, slots=True)
class MessageType:
    """A server message type: its wire name, the models that describe it, and how it is delivered."""

    name: str
    message_model: type[BaseModel]
    payload_model: type[BaseModel]
    sent_by_services: bool
    delivery: DeliveryPolicy = DURABLE


SERVER_MESSAGE_TYPES: dict[str, MessageType] = {
    "book_ready": MessageType("book_ready", BookReadyMessage, BookReadyPayload, True, DeliveryPolicy("durable", fallback=Fallback(300, ("push", "webhook")))),
    "connection_established": MessageType("connection_established", ConnectionEstablishedMessage, ConnectionEstablishedPayload, False, DURABLE),
    "error": MessageType("error", ErrorMessage, ErrorPayload, False, DURABLE),
    "learning_update": MessageType("learning_update", LearningUpdateMessage, LearningUpdatePayload, True, DURABLE),
    "notification": MessageType("notification", NotificationMessage, NotificationPayload, True, DURABLE),
    "ocr_progress": MessageType("ocr_progress", OcrProgressMessage, OcrProgressPayload, True, DeliveryPolicy("durable", conflate_by="book_id")),
    "pong": MessageType("pong", PongMessage, PongPayload, False, DURABLE),
    "read_receipt": MessageType("read_receipt", ReadReceiptMessage, ReadReceiptPayload, False, DURABLE),
    "review_reminder": MessageType("review_reminder", ReviewReminderMessage, ReviewReminderPayload, True, DeliveryPolicy("durable", fallback=Fallback(300, ("push", "webhook")))),
}
"""Every type the hub sends, by its `type` string."""

CLIENT_FRAME_TYPES: dict[str, type[BaseModel]] = {
    "ack": AckFrame,
    "ping": PingFrame,
    "read": ReadFrame,
}
"""Every frame type a client may send, by its `type` string."""


class BookReadyDraft(BaseModel):
    """A `book_ready` message as a service submits it; the hub adds `id` and `timestamp`."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["book_ready"]
    payload: BookReadyPayload


class LearningUpdateDraft(BaseModel):
    """A `learning_update` message as a service submits it; the hub adds `id` and `timestamp`."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["learning_update"]
    payload: LearningUpdatePayload


class NotificationDraft(BaseModel):
    """A `notification` message as a service submits it; the hub adds `id` and `timestamp`."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["notification"]
    payload: NotificationPayload


class OcrProgressDraft(BaseModel):
    """A `ocr_progress` message as a service submits it; the hub adds `id` and `timestamp`."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["ocr_progress"]
    payload: OcrProgressPayload


class ReviewReminderDraft(BaseModel):
    """A `review_reminder` message as a service submits it; the hub adds `id` and `timestamp`."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["review_reminder"]
    payload: ReviewReminderPayload


OutgoingMessage = Annotated[BookReadyDraft | LearningUpdateDraft | NotificationDraft | OcrProgressDraft | ReviewReminderDraft, Field(discriminator="type")]
"""Any message a service may submit, told apart by `type`."""

SERVER_MESSAGE_ADAPTER: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
CLIENT_FRAME_ADAPTER: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)
OUTGOING_MESSAGE_ADAPTER: TypeAdapter[OutgoingMessage] = TypeAdapter(OutgoingMessage)
