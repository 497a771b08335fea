"""The service API's request: parsing, validation with JSON-pointer errors, and stamping. No I/O."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from notifyhub_protocol import OUTGOING_MESSAGE_ADAPTER, SERVER_MESSAGE_TYPES, OutgoingMessage
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from .errors import InvalidMessageError
from .frames import pointer_errors
from .rules import check_rules


class PublishRequest(BaseModel):
    """Body of `POST /api/v1/messages`: recipients (`user_ids` or `broadcast`) and one message."""

    model_config = ConfigDict(extra="forbid")

    user_ids: Annotated[list[UUID], Field(min_length=1)] | None = None
    broadcast: bool = False
    message: OutgoingMessage

    @model_validator(mode="after")
    def _one_audience(self) -> PublishRequest:
        if (self.user_ids is None) == (not self.broadcast):
            raise ValueError("give either 'user_ids' or 'broadcast': true")
        return self


PUBLISH_REQUEST_ADAPTER: TypeAdapter[PublishRequest] = TypeAdapter(PublishRequest)


def parse_publish_request(body: bytes, max_recipients: int) -> PublishRequest:
    """Validate a request body strictly, as the JSON Schema would.

    Raises InvalidMessageError listing each failing field as a JSON pointer into the body.
    """
    try:
        request = PUBLISH_REQUEST_ADAPTER.validate_json(body, strict=True)
    except ValidationError as exc:
        # The message union's tag follows "message" in error locations (index 1).
        raise InvalidMessageError(pointer_errors(exc, tag_index=1)) from exc
    if request.user_ids is not None and len(request.user_ids) > max_recipients:
        raise InvalidMessageError([{"pointer": "/user_ids", "type": "too_long",
                                    "message": f"at most {max_recipients} user ids per request"}])
    check_rules(request.message.type, request.message.payload, "/message")
    return request


def stamp(draft: BaseModel) -> BaseModel:
    """Turn a validated draft into the message clients receive: add `id` and `timestamp`."""
    model = SERVER_MESSAGE_TYPES[draft.type].message_model
    return model.model_construct(type=draft.type, id=uuid.uuid4(), timestamp=datetime.now(UTC),
                                 payload=draft.payload)


def validate_outgoing(document: bytes) -> BaseModel:
    """Validate one `{type, payload}` document (as `notifyhub send` builds it) and stamp it."""
    try:
        draft = OUTGOING_MESSAGE_ADAPTER.validate_json(document, strict=True)
    except ValidationError as exc:
        raise InvalidMessageError(pointer_errors(exc, tag_index=0)) from exc
    check_rules(draft.type, draft.payload)
    return stamp(draft)
