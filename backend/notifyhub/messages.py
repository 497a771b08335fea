"""A server message from draft to bytes, the one path every message takes: stamped with its id
and time, checked against the rules the schema cannot state, and encoded once for every
receiver. No I/O."""

from __future__ import annotations

from datetime import UTC, datetime

from notifyhub_protocol import SERVER_MESSAGE_TYPES
from notifyhub_protocol.constructors import new_message_id
from pydantic import BaseModel

from .rules import check_rules


def encode(message: BaseModel) -> bytes:
    """The UTF-8 JSON of a message, as every receiver will get it."""
    return message.__pydantic_serializer__.to_json(message)


def encode_checked(message: BaseModel) -> bytes:
    """Encode a generated server message after the checks the schema cannot express.

    Raises TypeError for anything but a server message model, InvalidMessageError when a
    cross-field rule fails.
    """
    message_type = getattr(message, "type", None)
    known = SERVER_MESSAGE_TYPES.get(message_type)
    if known is None or not isinstance(message, known.message_model):
        raise TypeError(f"not a server message model: {type(message).__name__}")
    check_rules(message_type, message.payload)
    return encode(message)


def stamp(draft: BaseModel, now: datetime | None = None) -> BaseModel:
    """Turn a validated draft into the message clients receive: add `id` and `timestamp` (`now`,
    by default the time of the call)."""
    model = SERVER_MESSAGE_TYPES[draft.type].message_model
    return model.model_construct(type=draft.type, id=new_message_id(),
                                 timestamp=datetime.now(UTC) if now is None else now, payload=draft.payload)
