"""Numbers every JSON client can hold and links safe in an `<a href>`: stated in the schemas, and
enforced alike by the schema, the generated models and the service API. The cases are found by
walking the schemas, so a field added later is covered without editing this file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from notifyhub.errors import InvalidMessageError
from notifyhub.publishing import parse_publish_request
from notifyhub_protocol.registry import CLIENT_FRAME_ADAPTER, SERVER_MESSAGE_ADAPTER, SERVER_MESSAGE_TYPES
from pydantic import TypeAdapter, ValidationError

from tests.contract.schema_files import load, name_of, schema_paths
from tests.support.schemas import client_frame_validator, server_message_validator

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer a JavaScript number (an IEEE 754 double) holds exactly."""
HUGE_INTEGER = int("9" * 400)
UNSAFE_LINKS = ["javascript:alert(1)", "JavaScript:alert(1)", "vbscript:msgbox(1)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "file:///etc/passwd"]
SAFE_LINKS = ["https://app.hailango.example/library", "http://localhost:5173/", "HTTPS://APP.example/",
              "hailango://book/42", "HaiLanGo:review"]
MESSAGE_FILES = schema_paths("server") + schema_paths("client")


class Field(NamedTuple):
    """A property of a message, where it sits in an instance, and the schema that bounds it."""

    file: Path
    path: tuple[str, ...]
    schema: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{name_of(self.file)}:{'/'.join(self.path)}"


def _fields(schema: dict[str, Any], node: dict[str, Any], path: tuple[str, ...]) -> Iterator[tuple]:
    for name, prop in node.get("properties", {}).items():
        ref = prop.get("$ref", "")
        if ref.startswith("#/$defs/"):
            yield from _fields(schema, schema["$defs"][ref.removeprefix("#/$defs/")], (*path, name))
        else:
            yield (*path, name), prop


def message_fields() -> list[Field]:
    """Every property of every message file, payloads included."""
    return [Field(file, path, prop) for file in MESSAGE_FILES
            for path, prop in _fields(load(file), load(file), ())]


def schema_nodes(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, node) for every schema object in a file, examples left out."""
    if isinstance(node, dict):
        yield pointer, node
        for key, child in node.items():
            if key not in ("examples", "const", "enum", "default"):
                yield from schema_nodes(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from schema_nodes(child, f"{pointer}/{index}")


INTEGER_FIELDS = [f for f in message_fields() if f.schema.get("type") == "integer"]
LINK_FIELDS = [f for f in message_fields() if f.schema.get("format") == "uri"]
INTEGER_NODES = [pytest.param(node, id=f"{name_of(path)}#{pointer}") for path in schema_paths()
                 for pointer, node in schema_nodes(load(path)) if node.get("type") == "integer"]


def with_value(field: Field, value: Any) -> dict[str, Any]:
    """The file's first example with the field set to value."""
    instance = load(field.file)["examples"][0]
    target = instance
    for key in field.path[:-1]:
        target = target[key]
    target[field.path[-1]] = value
    return instance


def is_client(field: Field) -> bool:
    return name_of(field.file).startswith("client/")


def schema_accepts(field: Field, instance: dict[str, Any]) -> bool:
    validator = client_frame_validator() if is_client(field) else server_message_validator()
    return validator.is_valid(instance)


def python_error_locations(field: Field, instance: dict[str, Any]) -> list[tuple]:
    """Where the generated models find errors in instance (empty when they accept it)."""
    adapter: TypeAdapter = CLIENT_FRAME_ADAPTER if is_client(field) else SERVER_MESSAGE_ADAPTER
    try:
        adapter.validate_json(json.dumps(instance), strict=True)
    except ValidationError as exc:
        return [error["loc"] for error in exc.errors()]
    return []


def assert_refused_naming_the_field(field: Field, value: Any) -> None:
    instance = with_value(field, value)
    assert not schema_accepts(field, instance), "the schema accepts it"
    locations = python_error_locations(field, instance)
    assert locations and all(loc[-len(field.path):] == field.path for loc in locations), locations


def assert_accepted(field: Field, value: Any) -> None:
    instance = with_value(field, value)
    assert schema_accepts(field, instance), "the schema refuses it"
    assert python_error_locations(field, instance) == []


def service_field(field: Field) -> bool:
    """Whether services send this field: a payload field of a type services may publish."""
    message_type = load(field.file)["properties"]["type"]["const"]
    spec = SERVER_MESSAGE_TYPES.get(message_type)
    return spec is not None and spec.sent_by_services and field.path[0] == "payload"


def publish_errors(field: Field, value: Any) -> list[dict[str, Any]]:
    """The errors the service API's parser reports for the example carrying value."""
    example = with_value(field, value)
    body = {"broadcast": True, "message": {"type": example["type"], "payload": example["payload"]}}
    with pytest.raises(InvalidMessageError) as caught:
        parse_publish_request(json.dumps(body).encode(), 1000)
    return caught.value.errors


def test_schemas_have_integer_and_link_fields_to_check() -> None:
    """The walk finds the fields it is meant to cover (a broken walk would pass every test vacuously)."""
    assert {"seq", "due_count", "last_seq"} <= {f.path[-1] for f in INTEGER_FIELDS}
    assert {"url", "action_url"} <= {f.path[-1] for f in LINK_FIELDS}


@pytest.mark.parametrize("node", INTEGER_NODES)
def test_every_integer_is_bounded_for_json_clients(node: dict[str, Any]) -> None:
    """No integer in any schema may leave the range a browser reads exactly (±(2^53-1))."""
    if "enum" in node:
        assert all(abs(value) <= MAX_SAFE_INTEGER for value in node["enum"])
        return
    assert -MAX_SAFE_INTEGER <= node.get("minimum", -2**63) <= node.get("maximum", 2**63) <= MAX_SAFE_INTEGER


@pytest.mark.parametrize("field", INTEGER_FIELDS, ids=lambda f: f.id)
def test_integer_past_its_maximum_is_refused_naming_the_field(field: Field) -> None:
    """One past the maximum, and a 400-digit number, are refused by schema and models, naming the field."""
    assert_refused_naming_the_field(field, field.schema["maximum"] + 1)
    assert_refused_naming_the_field(field, HUGE_INTEGER)
    assert_refused_naming_the_field(field, -HUGE_INTEGER)


@pytest.mark.parametrize("field", INTEGER_FIELDS, ids=lambda f: f.id)
def test_integer_at_its_maximum_is_accepted(field: Field) -> None:
    """The bound is the documented one: its maximum itself passes both the schema and the models."""
    assert_accepted(field, field.schema["maximum"])


@pytest.mark.parametrize("field", [f for f in INTEGER_FIELDS if service_field(f)], ids=lambda f: f.id)
def test_service_api_refuses_a_huge_integer_naming_the_field(field: Field) -> None:
    """A service that sends a 400-digit number gets a 422 pointing at the field, not a 202."""
    errors = publish_errors(field, HUGE_INTEGER)
    assert [e["pointer"] for e in errors] == ["/message/" + "/".join(field.path)]


@pytest.mark.parametrize("field", LINK_FIELDS, ids=lambda f: f.id)
def test_link_field_states_its_schemes(field: Field) -> None:
    """The allowed schemes are in the schema itself, so every client generated from it agrees."""
    assert "pattern" in field.schema and "hailango" in field.schema["description"]


@pytest.mark.parametrize("link", UNSAFE_LINKS)
@pytest.mark.parametrize("field", LINK_FIELDS, ids=lambda f: f.id)
def test_unsafe_link_is_refused_naming_the_field(field: Field, link: str) -> None:
    """A link that would run script or read files when clicked is refused by schema and models alike."""
    assert_refused_naming_the_field(field, link)


@pytest.mark.parametrize("link", SAFE_LINKS)
@pytest.mark.parametrize("field", LINK_FIELDS, ids=lambda f: f.id)
def test_web_and_app_links_are_accepted(field: Field, link: str) -> None:
    """http, https and the app's own scheme, in any case, pass the schema and the models."""
    assert_accepted(field, link)


@pytest.mark.parametrize("field", [f for f in LINK_FIELDS if service_field(f)], ids=lambda f: f.id)
def test_service_api_refuses_a_script_link_naming_the_field(field: Field) -> None:
    """A service that sends a javascript: link gets a 422 pointing at the field."""
    errors = publish_errors(field, "javascript:alert(document.cookie)")
    assert [e["pointer"] for e in errors] == ["/message/" + "/".join(field.path)]
