"""The generated pydantic models accept what the schema accepts and reject what it rejects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from notifyhub_protocol.registry import (
    CLIENT_FRAME_ADAPTER,
    CLIENT_FRAME_TYPES,
    OUTGOING_MESSAGE_ADAPTER,
    SERVER_MESSAGE_ADAPTER,
    SERVER_MESSAGE_TYPES,
)
from pydantic import ValidationError

from tests.contract.schema_files import entry, load, name_of, schema_paths, server_example
from tests.support.schemas import client_frame_validator, server_message_validator, validate_server_frame

DELETE = object()
SERVER_FILES = schema_paths("server")
CLIENT_FILES = schema_paths("client")


def changed(message_type: str, path: str, value: Any = DELETE) -> dict[str, Any]:
    """The example of message_type with the field at a slash-separated path set to value, or removed."""
    frame = server_example(message_type)
    *parents, last = path.split("/")
    target = frame
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return frame


def case(frame: dict[str, Any], label: str, *, disagrees: str = "") -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=disagrees)] if disagrees else []
    return pytest.param(frame, id=label, marks=marks)


def python_accepts_server(frame: Any) -> bool:
    try:
        SERVER_MESSAGE_ADAPTER.validate_json(json.dumps(frame), strict=True)
    except ValidationError:
        return False
    return True


def python_round_trip(frame: dict[str, Any]) -> dict[str, Any]:
    return SERVER_MESSAGE_ADAPTER.validate_json(json.dumps(frame), strict=True).model_dump(mode="json")


INVALID_SERVER_MESSAGES = [
    case(changed("ocr_progress", "type", "ocr_progres"), "unknown type"),
    case(changed("ocr_progress", "payload/eta_seconds", 5), "extra field in payload"),
    case(changed("ocr_progress", "user_id", "3f2c1f4e-8a51-4a43-9d4a-0f7b8c1d2e3f"), "extra field in envelope"),
    case(changed("ocr_progress", "payload/progress", 101), "progress 101"),
    case(changed("ocr_progress", "payload/progress", -0.5), "progress below 0"),
    case(changed("learning_update", "payload/accuracy", 1.5), "accuracy 1.5"),
    case(changed("review_reminder", "payload/due_count", 0), "due_count 0"),
    case(changed("ocr_progress", "payload/total_pages", 0), "total_pages 0"),
    case(changed("ocr_progress", "seq", 0), "seq 0"),
    case(changed("ocr_progress", "id", "6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6"), "uuid one digit short"),
    case(changed("ocr_progress", "payload/book_id", "book-1"), "bad uuid in payload"),
    case(changed("ocr_progress", "timestamp", "2026-11-28T19:34:26.123456"), "naive timestamp"),
    case(changed("pong", "payload/server_time", "2026-11-28T19:34:26"), "naive server_time"),
    case(changed("ocr_progress", "payload/message", None), "null for optional message"),
    case(changed("ocr_progress", "seq", None), "null for optional seq"),
    case(changed("ocr_progress", "payload/total_pages", "10"), "string for integer"),
    case(changed("ocr_progress", "payload/progress", True), "boolean for number"),
    case(changed("ocr_progress", "payload", server_example("notification")["payload"]), "payload of another type"),
    case(changed("ocr_progress", "payload/status", DELETE), "missing payload field"),
    case(changed("ocr_progress", "timestamp", DELETE), "missing envelope field"),
    case(changed("ocr_progress", "type", DELETE), "missing type"),
    case(changed("ocr_progress", "payload/status", "done"), "status not in enum"),
    case(changed("error", "payload/code", "teapot"), "unknown error code"),
    case(changed("error", "seq", 3), "seq on a hub-only message"),
    case(changed("error", "payload/details", [1]), "details not an object"),
    case(changed("notification", "payload/title", ""), "empty title"),
    case(changed("notification", "payload/title", "x" * 201), "title too long"),
    case(changed("notification", "payload/action_url", "/library"), "relative url"),
    case(changed("connection_established", "payload/ping_interval_seconds", 0), "ping interval 0"),
]

VALID_VARIANTS = [
    case(changed("ocr_progress", "seq", 7), "with seq"),
    case(changed("ocr_progress", "payload/message", "page 46 is blank"), "with optional message"),
    case(changed("ocr_progress", "payload/progress", 0), "progress 0"),
    case(changed("ocr_progress", "payload/progress", 100), "progress 100"),
    case(changed("learning_update", "payload/accuracy", 1), "accuracy 1"),
    case(changed("ocr_progress", "timestamp", "2026-11-28T21:34:26+02:00"), "timestamp with offset"),
    case(changed("notification", "payload/action_url", DELETE), "without optional url"),
    case(changed("error", "payload/details", DELETE), "without optional details"),
    case(changed("review_reminder", "payload", {"due_count": 1}), "only required fields"),
]

CHECKERS_DOLLAR = ("jsonschema's format checkers (rfc3986-validator, rfc3339-validator) end their regex with "
                   "Python's `$`, which also matches before a final newline; RFC 3986/3339 and the hub refuse it")

# Edge inputs on which both validators should decide alike. Those marked `disagrees` are known
# differences between pydantic strict JSON mode and jsonschema's format checks; the xfail is strict,
# so fixing one makes its case fail until the mark is removed.
EDGE_INPUTS = [
    case(changed("ocr_progress", "id", "6F1D2C3B-4A59-4E8F-9B7A-1C2D3E4F5A6B"), "uppercase uuid"),
    case(changed("ocr_progress", "timestamp", "2026-11-28t19:34:26z"), "lowercase t and z"),
    case(changed("ocr_progress", "timestamp", "2026-11-28T19:34:26.1234567Z"), "seven fraction digits"),
    case(changed("ocr_progress", "timestamp", "2026-11-28T24:00:00Z"), "hour 24"),
    case(changed("ocr_progress", "timestamp", "2026-11-28"), "date without time"),
    case(changed("ocr_progress", "timestamp", 1764358466), "timestamp as a number"),
    case(changed("notification", "payload/action_url", "https://a.example/a b"), "url with a space"),
    case(changed("notification", "payload/title", "\U0001F600" * 200), "200 emoji title"),
    case(changed("ocr_progress", "id", "6f1d2c3b4a594e8f9b7a1c2d3e4f5a6b"), "uuid without hyphens"),
    case(changed("ocr_progress", "id", "{6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6b}"), "uuid in braces"),
    case(changed("ocr_progress", "id", "urn:uuid:6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6b"), "urn uuid"),
    case(changed("ocr_progress", "payload/book_id", "6f1d2c3b4a594e8f9b7a1c2d3e4f5a6b"), "payload uuid, no hyphens"),
    case(changed("ocr_progress", "timestamp", "2026-11-28 19:34:26Z"), "timestamp with a space"),
    case(changed("ocr_progress", "timestamp", "2026-11-28T19:34Z"), "timestamp without seconds"),
    case(changed("ocr_progress", "timestamp", "1764358466"), "timestamp as unix seconds string"),
    case(changed("ocr_progress", "timestamp", "2026-11-28 19:34:26+0000"), "offset without a colon"),
    case(changed("ocr_progress", "timestamp", "2026-02-30T19:34:26Z"), "february 30"),
    case(changed("ocr_progress", "timestamp", "2026-11-28T19:34:26.Z"), "empty fraction"),
    case(changed("pong", "payload/server_time", "2026-11-28T19:34:26-00:00"), "offset -00:00"),
    case(changed("notification", "payload/action_url", "https://a.example/" + "x" * 2048), "url over 2048 chars"),
    case(changed("notification", "payload/action_url", "https://a.example/" + "x" * 2030), "url of 2048 chars"),
    case(changed("notification", "payload/action_url", "https://a.example:99999/"), "port over 65535"),
    case(changed("notification", "payload/action_url", "https://ex\u00e4mple.com/\u00e4"), "non-ascii url (an IRI)"),
    case(changed("notification", "payload/action_url", "https://a.example/%zz"), "bad percent escape"),
    case(changed("notification", "payload/action_url", "//a.example/library"), "scheme-relative url"),
    case(changed("notification", "payload/action_url", "mailto:help@hailango.example"), "mailto url"),
    case(changed("notification", "payload/action_url", "hailango:library?tab=due#top"), "app scheme url"),
    case(changed("notification", "payload/action_url", "https://[2001:db8::1]:8443/a"), "ipv6 host"),
    case(changed("notification", "payload/action_url", "https://[2001:db8::g]/a"), "bad ipv6 host"),
    case(changed("notification", "payload/action_url", "https://a.example/a#b#c"), "two fragments"),
    case(changed("notification", "payload/action_url", "1https://a.example/"), "scheme starting with a digit"),
    case(changed("notification", "payload/action_url", "https://a.example/\n"), "url ending in a newline",
         disagrees=CHECKERS_DOLLAR),
    case(changed("ocr_progress", "timestamp", "2026-11-28T19:34:26Z\n"), "timestamp ending in a newline",
         disagrees=CHECKERS_DOLLAR),
    case(changed("notification", "payload/action_url", "https://[::ffff:01.2.3.4]/"), "ipv4 in ipv6 with a leading 0",
         disagrees="rfc3986-validator takes 01 as a dec-octet; RFC 3986 (and the hub) do not"),
    case(changed("ocr_progress", "payload/total_pages", 120.0), "integer written as 120.0",
         disagrees="JSON Schema counts 120.0 as an integer; pydantic strict int does not, so the hub refuses "
                   "it (422, or an error frame) but never sends it. Accepting it needs a custom type on every "
                   "integer field, whose bounds pydantic would then check in Python on the hot path"),
]

URLS_SENT_AS_GIVEN = [
    "https://app.hailango.example",
    "HTTPS://APP.Hailango.example/Library",
    "https://app.hailango.example:443/a/../library",
    "https://app.hailango.example/search?q=caf%C3%A9&page=2#results",
]


@pytest.mark.parametrize("frame", INVALID_SERVER_MESSAGES)
def test_invalid_server_message_is_rejected_by_python_and_schema(frame: dict[str, Any]) -> None:
    """A malformed message is refused by the hub (pydantic) and by any client (JSON Schema) alike."""
    assert not server_message_validator().is_valid(frame), "the schema accepts it"
    with pytest.raises(ValidationError):
        SERVER_MESSAGE_ADAPTER.validate_json(json.dumps(frame), strict=True)


@pytest.mark.parametrize("frame", VALID_VARIANTS)
def test_valid_variant_is_accepted_by_python_and_schema(frame: dict[str, Any]) -> None:
    """Optional fields and boundary values that the schema allows are not refused by the hub."""
    validate_server_frame(frame)
    assert python_round_trip(frame) == frame


@pytest.mark.parametrize("frame", EDGE_INPUTS)
def test_python_and_schema_agree_on_edge_input(frame: dict[str, Any]) -> None:
    """The hub and a schema-validating client decide the same on unusual but plausible input."""
    schema_says = server_message_validator().is_valid(frame)
    assert python_accepts_server(frame) == schema_says, f"schema accepts: {schema_says}; pydantic disagrees"


@pytest.mark.parametrize(("frame", "message_type"), [
    pytest.param(load(path)["examples"][0], load(path)["properties"]["type"]["const"], id=name_of(path))
    for path in SERVER_FILES
])
def test_server_example_round_trips_through_python(frame: dict[str, Any], message_type: str) -> None:
    """A documented message parses into its own class and is sent back unchanged."""
    message = SERVER_MESSAGE_ADAPTER.validate_json(json.dumps(frame), strict=True).root
    assert type(message) is SERVER_MESSAGE_TYPES[message_type].message_model
    assert message.model_dump(mode="json") == frame


@pytest.mark.parametrize("path", SERVER_FILES, ids=name_of)
def test_payload_examples_round_trip_through_python(path: Path) -> None:
    """Each documented payload parses with its generated payload class and dumps unchanged."""
    schema = load(path)
    model = SERVER_MESSAGE_TYPES[schema["properties"]["type"]["const"]].payload_model
    (definition,) = schema["$defs"].values()
    for example in definition["examples"]:
        assert model.model_validate_json(json.dumps(example), strict=True).model_dump(mode="json") == example


@pytest.mark.parametrize("path", CLIENT_FILES, ids=name_of)
def test_client_example_round_trips_through_python(path: Path) -> None:
    """A documented client frame is accepted by the hub's parser as its own class."""
    for example in load(path)["examples"]:
        frame = CLIENT_FRAME_ADAPTER.validate_json(json.dumps(example), strict=True).root
        assert type(frame) is CLIENT_FRAME_TYPES[example["type"]]
        assert frame.model_dump(mode="json") == example


@pytest.mark.parametrize("frame", [
    pytest.param({"type": "ack", "seq": 0}, id="ack seq 0"),
    pytest.param({"type": "ack", "seq": "1"}, id="ack seq as string"),
    pytest.param({"type": "read"}, id="read without seq"),
    pytest.param({"type": "ping", "id": 1}, id="ping with extra field"),
    pytest.param({"type": "pong"}, id="server type from a client"),
    pytest.param({"seq": 1}, id="no type"),
])
def test_invalid_client_frame_is_rejected_by_python_and_schema(frame: dict[str, Any]) -> None:
    """A client cannot get a malformed frame past the hub, and the schema says the same."""
    assert not client_frame_validator().is_valid(frame), "the schema accepts it"
    with pytest.raises(ValidationError):
        CLIENT_FRAME_ADAPTER.validate_json(json.dumps(frame), strict=True)


@pytest.mark.parametrize("url", URLS_SENT_AS_GIVEN)
def test_url_is_delivered_as_sent(url: str) -> None:
    """A link reaches clients exactly as the service wrote it (no trailing slash, case or path rewriting)."""
    output = python_round_trip(changed("notification", "payload/action_url", url))
    assert output["payload"]["action_url"] == url
    validate_server_frame(output)


@pytest.mark.parametrize("frame", [pytest.param(*c.values, id=c.id) for c in [*EDGE_INPUTS, *VALID_VARIANTS]])
def test_message_python_accepts_is_sent_schema_valid(frame: dict[str, Any]) -> None:
    """Whatever the hub's strict parser lets through, the frame it re-encodes passes the schema."""
    if python_accepts_server(frame):
        validate_server_frame(python_round_trip(frame))


def test_registry_lists_every_schema_type() -> None:
    """The hub's type registry covers exactly the types in the schema's unions."""
    unions = entry()["$defs"]
    assert list(SERVER_MESSAGE_TYPES) == list(unions["ServerMessage"]["discriminator"]["mapping"])
    assert list(CLIENT_FRAME_TYPES) == list(unions["ClientFrame"]["discriminator"]["mapping"])


@pytest.mark.parametrize("path", SERVER_FILES, ids=name_of)
def test_only_service_types_are_accepted_as_drafts(path: Path) -> None:
    """Services can publish their own types but cannot forge the hub's (`x-origin: hub`)."""
    schema = load(path)
    example = {key: schema["examples"][0][key] for key in ("type", "payload")}
    by_services = schema.get("x-origin") != "hub"
    assert SERVER_MESSAGE_TYPES[example["type"]].sent_by_services is by_services
    if by_services:
        OUTGOING_MESSAGE_ADAPTER.validate_json(json.dumps(example), strict=True)
    else:
        with pytest.raises(ValidationError):
            OUTGOING_MESSAGE_ADAPTER.validate_json(json.dumps(example), strict=True)
