"""The generated constructors build schema-valid messages and refuse invalid fields."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest
import notifyhub_protocol
from notifyhub_protocol import (OUTGOING_MESSAGE_ADAPTER, OcrProgressDraft, new_book_ready_message,
                                new_ocr_progress_draft, new_ocr_progress_message, new_review_reminder_message)
from pydantic import ValidationError

from tests.support.schemas import validate_server_frame

BOOK_ID = UUID("b7e2a0c4-1d3f-4e5a-8b9c-0d1e2f3a4b5c")
OCR_FIELDS: dict[str, Any] = {"book_id": BOOK_ID, "total_pages": 120, "processed_pages": 45,
                              "progress": 37.5, "status": "processing"}


def test_constructed_message_validates_against_the_schema() -> None:
    """A service's message built with a constructor is one every client accepts."""
    frame = json.loads(new_ocr_progress_message(**OCR_FIELDS, message="page 46 is blank").model_dump_json())
    validate_server_frame(frame)
    assert frame["payload"] == {**OCR_FIELDS, "book_id": str(BOOK_ID), "message": "page 46 is blank"}


def test_constructed_messages_get_fresh_ids() -> None:
    """Each constructed message has its own id, so clients can deduplicate by id."""
    assert new_ocr_progress_message(**OCR_FIELDS).id != new_ocr_progress_message(**OCR_FIELDS).id


def test_constructed_timestamp_is_utc() -> None:
    """The stamped timestamp carries an offset (UTC), never a naive time."""
    assert json.loads(new_ocr_progress_message(**OCR_FIELDS).model_dump_json())["timestamp"].endswith("Z")


@pytest.mark.parametrize("override", [
    pytest.param({"progress": 101}, id="progress 101"),
    pytest.param({"total_pages": 0}, id="total_pages 0"),
    pytest.param({"total_pages": "120"}, id="string for integer"),
    pytest.param({"status": "done"}, id="status not in enum"),
    pytest.param({"message": None}, id="null for optional message"),
    pytest.param({"message": "x" * 1001}, id="message too long"),
    pytest.param({"book_id": "not-a-uuid"}, id="bad uuid"),
    pytest.param({"book_id": str(BOOK_ID).replace("-", "")}, id="uuid string without hyphens"),
    pytest.param({"book_id": f"urn:uuid:{BOOK_ID}"}, id="urn uuid string"),
    pytest.param({"book_id": BOOK_ID.int}, id="uuid as an integer"),
])
def test_invalid_field_raises_validation_error(override: dict[str, Any]) -> None:
    """A bad field fails in the service that built it, not in a client."""
    with pytest.raises(ValidationError):
        new_ocr_progress_message(**{**OCR_FIELDS, **override})


def test_optional_fields_left_out_are_absent_not_null() -> None:
    """Clients never see `null`, which the schema forbids; they see the field missing."""
    frame = json.loads(new_review_reminder_message(due_count=3).model_dump_json())
    assert frame["payload"] == {"due_count": 3}
    assert "seq" not in frame
    validate_server_frame(frame)


def test_constructor_accepts_a_uuid_string() -> None:
    """A service that holds ids as strings passes them as they are; they come out as the same uuid."""
    text = str(BOOK_ID).upper()
    frame = json.loads(new_ocr_progress_message(**{**OCR_FIELDS, "book_id": text}).model_dump_json())
    assert frame["payload"]["book_id"] == str(BOOK_ID)
    validate_server_frame(frame)


@pytest.mark.parametrize("url", ["https://app.hailango.example", "https://app.hailango.example/books/1?tab=due"])
def test_constructor_accepts_a_url_string(url: str) -> None:
    """A link can be passed as a plain string and comes out unchanged, as a schema-valid uri."""
    message = new_book_ready_message(book_id=BOOK_ID, title="Le Petit Prince", total_pages=120, url=url)
    frame = json.loads(message.model_dump_json())
    assert frame["payload"]["url"] == url
    validate_server_frame(frame)


@pytest.mark.parametrize("url", [
    pytest.param("/books/1", id="relative url"),
    pytest.param("https://app.hailango.example/" + "x" * 2020, id="url over 2048 chars"),
])
def test_constructor_refuses_a_url_the_schema_refuses(url: str) -> None:
    """A link no client would accept fails in the service that built it."""
    with pytest.raises(ValidationError):
        new_book_ready_message(book_id=BOOK_ID, title="Le Petit Prince", total_pages=120, url=url)


def test_every_type_a_service_sends_has_a_draft_builder() -> None:
    """`new_<type>_draft` exists for each type services may send, and for no other."""
    for message_type in notifyhub_protocol.SERVER_MESSAGE_TYPES.values():
        builder = getattr(notifyhub_protocol, f"new_{message_type.name}_draft", None)
        assert (builder is not None) == message_type.sent_by_services, message_type.name


def test_a_draft_is_the_message_without_id_and_timestamp() -> None:
    """A draft is what the service API takes: type and validated payload, no id or timestamp,
    optional fields absent."""
    draft = new_ocr_progress_draft(**OCR_FIELDS)
    assert isinstance(draft, OcrProgressDraft)
    document = draft.model_dump(mode="json")
    assert document == {"type": "ocr_progress", "payload": {**OCR_FIELDS, "book_id": str(BOOK_ID)}}
    assert OUTGOING_MESSAGE_ADAPTER.validate_python(document, strict=False) == draft


@pytest.mark.parametrize("override", [{"progress": 101}, {"status": "done"}, {"book_id": "not-a-uuid"}])
def test_a_draft_builder_refuses_what_the_constructor_refuses(override: dict[str, Any]) -> None:
    """A bad field fails when the draft is built, before any request."""
    with pytest.raises(ValidationError):
        new_ocr_progress_draft(**{**OCR_FIELDS, **override})
