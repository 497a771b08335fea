"""The service API's request: parsing and validation with JSON-pointer errors. No I/O.

Validation includes the rules the schema cannot state (`rules.py`), so a parsed request's
messages are only stamped and encoded (`messages.py`) before they are sent.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from notifyhub_protocol import OUTGOING_MESSAGE_ADAPTER, OutgoingMessage
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from .errors import InvalidMessageError
from .frames import ROOT, pointer_errors
from .messages import stamp
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


class BatchPublishRequest(BaseModel):
    """Body of `POST /api/v1/messages/batch`: several publish requests, delivered in order."""

    model_config = ConfigDict(extra="forbid")

    requests: Annotated[list[PublishRequest], Field(min_length=1)]


PUBLISH_REQUEST_ADAPTER: TypeAdapter[PublishRequest] = TypeAdapter(PublishRequest)
BATCH_REQUEST_ADAPTER: TypeAdapter[BatchPublishRequest] = TypeAdapter(BatchPublishRequest)


def parse_publish_request(body: bytes, max_recipients: int) -> PublishRequest:
    """Validate a request body strictly, as the JSON Schema would.

    Raises InvalidMessageError listing each failing field as a JSON pointer into the body.
    """
    try:
        request = PUBLISH_REQUEST_ADAPTER.validate_json(body, strict=True)
    except ValidationError as exc:
        raise InvalidMessageError(pointer_errors(exc, "message")) from exc
    _check_request(request, max_recipients, "")
    return request


def parse_batch_request(body: bytes, max_recipients: int, max_requests: int) -> BatchPublishRequest:
    """Validate a batch body; errors point into it (`/requests/3/message/payload/progress`)."""
    try:
        batch = BATCH_REQUEST_ADAPTER.validate_json(body, strict=True)
    except ValidationError as exc:
        raise InvalidMessageError(pointer_errors(exc, "message")) from exc
    if len(batch.requests) > max_requests:
        raise InvalidMessageError([{"pointer": "/requests", "type": "too_long",
                                    "message": f"at most {max_requests} requests per batch"}])
    for index, request in enumerate(batch.requests):
        _check_request(request, max_recipients, f"/requests/{index}")
    return batch


def _check_request(request: PublishRequest, max_recipients: int, pointer: str) -> None:
    if request.user_ids is not None and len(request.user_ids) > max_recipients:
        raise InvalidMessageError([{"pointer": f"{pointer}/user_ids", "type": "too_long",
                                    "message": f"at most {max_recipients} user ids per request"}])
    check_rules(request.message.type, request.message.payload, f"{pointer}/message")


def validate_outgoing(document: bytes) -> BaseModel:
    """Validate one `{type, payload}` document (as `notifyhub send` builds it) and stamp it."""
    try:
        draft = OUTGOING_MESSAGE_ADAPTER.validate_json(document, strict=True)
    except ValidationError as exc:
        raise InvalidMessageError(pointer_errors(exc, ROOT)) from exc
    check_rules(draft.type, draft.payload)
    return stamp(draft)
