"""The schema files themselves: valid 2020-12, documented, exemplified, snake_case, and wired into the entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.contract.schema_files import (
    entry,
    examples,
    load,
    name_of,
    object_defs,
    property_names,
    schema_paths,
    server_example,
    undeclared_required,
)
from tests.support.schemas import ENTRY, validate_client_frame, validate_server_frame

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
ALL_FILES = schema_paths()
EXEMPLIFIED_FILES = [path for path in ALL_FILES if path != ENTRY]
ALL_EXAMPLES = [case for path in ALL_FILES for case in examples(path)]
UNIONS = {"ServerMessage": "server", "ClientFrame": "client"}
OCR_EXAMPLE = server_example("ocr_progress")


@pytest.mark.parametrize("path", ALL_FILES, ids=name_of)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    """Every tool that reads schemas/ (codegen, validators, docs) can load each file."""
    schema = load(path)
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", ALL_FILES, ids=name_of)
def test_schema_and_object_defs_have_titles(path: Path) -> None:
    """Generated class names come from titles, so none is invented by the generator."""
    schema = load(path)
    untitled = [name for name, d in object_defs(schema).items() if not d.get("title")]
    assert schema.get("title"), f"{name_of(path)} has no title"
    assert not untitled, f"{name_of(path)}: $defs without a title: {untitled}"


@pytest.mark.parametrize("path", EXEMPLIFIED_FILES, ids=name_of)
def test_schema_and_object_defs_have_examples(path: Path) -> None:
    """Docs and tests show at least one real instance of every message and payload."""
    schema = load(path)
    bare = [name for name, d in object_defs(schema).items() if not d.get("examples")]
    assert schema.get("examples"), f"{name_of(path)} has no examples"
    assert not bare, f"{name_of(path)}: $defs without examples: {bare}"


@pytest.mark.parametrize(("example", "validator"), [case[1:] for case in ALL_EXAMPLES],
                         ids=[case[0] for case in ALL_EXAMPLES])
def test_example_validates(example: Any, validator: Draft202012Validator) -> None:
    """An example copied from the docs is a valid message."""
    problems = [error.message for error in validator.iter_errors(example)]
    assert not problems, problems


@pytest.mark.parametrize("path", ALL_FILES, ids=name_of)
def test_property_names_are_snake_case(path: Path) -> None:
    """Wire names look the same in Python, TypeScript and JSON; no alias mapping is ever needed."""
    bad = [f"{pointer}: {name}" for pointer, name in property_names(load(path)) if not SNAKE_CASE.match(name)]
    assert not bad, f"{name_of(path)} has names that are not snake_case: {bad}"


@pytest.mark.parametrize("path", ALL_FILES, ids=name_of)
def test_required_fields_are_declared(path: Path) -> None:
    """A required field is also described, so no required name is a typo."""
    missing = undeclared_required(load(path))
    assert not missing, f"{name_of(path)} requires fields it does not declare: {missing}"


@pytest.mark.parametrize(("union", "folder"), UNIONS.items())
def test_entry_union_lists_every_file_of_its_folder(union: str, folder: str) -> None:
    """A new message file is not silently left out of validation and codegen."""
    listed = {option["$ref"] for option in entry()["$defs"][union]["oneOf"]}
    on_disk = {name_of(path) for path in schema_paths(folder)}
    assert on_disk - listed == set(), f"add to notifyhub.json $defs.{union}.oneOf: {sorted(on_disk - listed)}"
    assert listed - on_disk == set(), f"notifyhub.json $defs.{union} names missing files: {sorted(listed - on_disk)}"


@pytest.mark.parametrize(("union", "folder"), UNIONS.items())
def test_discriminator_mapping_matches_type_consts(union: str, folder: str) -> None:
    """A frame's `type` selects exactly the schema that declares that `type`."""
    definition = entry()["$defs"][union]
    declared = {load(path)["properties"]["type"]["const"]: name_of(path) for path in schema_paths(folder)}
    assert definition["discriminator"]["propertyName"] == "type"
    assert definition["discriminator"]["mapping"] == declared


def test_server_validator_checks_formats() -> None:
    """The frame validator the integration tests use rejects a bad uuid (format checking is on)."""
    with pytest.raises(AssertionError, match="^frame violates the schema: id: 'not-a-uuid' is not a 'uuid'"):
        validate_server_frame({**OCR_EXAMPLE, "id": "not-a-uuid"})


def test_server_validator_checks_date_times() -> None:
    """A naive timestamp is rejected, which proves the date-time format extra is installed."""
    with pytest.raises(AssertionError, match="timestamp"):
        validate_server_frame({**OCR_EXAMPLE, "timestamp": "2026-11-28T19:34:26"})


def test_server_validator_checks_uris() -> None:
    """A relative link is rejected, which proves the uri format extra is installed."""
    notification = server_example("notification")
    with pytest.raises(AssertionError, match="action_url"):
        validate_server_frame({**notification, "payload": {**notification["payload"], "action_url": "/library"}})


def test_server_validator_names_the_failing_field() -> None:
    """A schema failure says where it is and shows the frame, so a failing test explains itself."""
    with pytest.raises(AssertionError) as raised:
        validate_server_frame({**OCR_EXAMPLE, "payload": {**OCR_EXAMPLE["payload"], "progress": 101}})
    assert "payload/progress" in str(raised.value) and '"ocr_progress"' in str(raised.value)


def test_server_validator_names_an_unknown_type() -> None:
    """A frame of a type the schema does not know fails with the list of known types."""
    with pytest.raises(AssertionError, match=r"type: 'ocr_progres' is not one of \[.*'ocr_progress'"):
        validate_server_frame({**OCR_EXAMPLE, "type": "ocr_progres"})


def test_client_validator_rejects_a_server_message() -> None:
    """The client-frame validator is not the server one: a server message is not a client frame."""
    validate_client_frame({"type": "ping"})
    with pytest.raises(AssertionError, match="type: 'ocr_progress' is not one of"):
        validate_client_frame(OCR_EXAMPLE)
