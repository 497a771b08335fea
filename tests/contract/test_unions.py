"""The entry schema's unions are derived from the files of schemas/server and schemas/client."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from codegen.schemas import (
    ENTRY_SCHEMA,
    SchemaError,
    load_protocol,
    member_files,
    union_mismatches,
    write_unions,
)
from tests.support.schemas import SCHEMAS

NEW_TYPE = "added_for_a_test"
"""A type no schema declares, added to a copy of schemas/."""


@pytest.fixture
def schemas(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SCHEMAS, tmp_path / "schemas"))


def edit_entry(root: Path, edit) -> None:
    path = root / ENTRY_SCHEMA
    entry = json.loads(path.read_text())
    edit(entry["$defs"]["ServerMessage"])
    path.write_text(json.dumps(entry, indent=2))


def add_type(root: Path, name: str) -> None:
    schema = json.loads((root / "server" / "review_reminder.json").read_text())
    schema["properties"]["type"]["const"] = name
    (root / "server" / f"{name}.json").write_text(json.dumps(schema))


def test_committed_unions_are_derived() -> None:
    """The committed entry schema is what `make codegen` writes, so the check passes as it is."""
    assert union_mismatches(SCHEMAS, json.loads((SCHEMAS / ENTRY_SCHEMA).read_text())) == []


def test_a_file_missing_from_the_mapping_fails_naming_it(schemas: Path) -> None:
    """A mapping without a type fails the check with the file's name, not silently."""
    edit_entry(schemas, lambda union: union["discriminator"]["mapping"].pop("pong"))
    with pytest.raises(SchemaError, match=r"mapping lacks 'pong': server/pong\.json.*make codegen"):
        load_protocol(schemas)


def test_a_new_file_not_yet_in_the_union_fails_naming_it(schemas: Path) -> None:
    """A new schema file is never left out of the union while the check passes."""
    add_type(schemas, NEW_TYPE)
    with pytest.raises(SchemaError, match=rf"oneOf does not list server/{NEW_TYPE}\.json"):
        load_protocol(schemas)


def test_a_misordered_mapping_fails_naming_the_file(schemas: Path) -> None:
    """Out of canonical order (by file name) is named, so nobody chases an 'At index 6 diff'."""
    def swap(union: dict) -> None:
        mapping = union["discriminator"]["mapping"]
        union["discriminator"]["mapping"] = dict(reversed(mapping.items()))
    edit_entry(schemas, swap)
    files = member_files(schemas, "server")
    misplaced = f"mapping lists {files[-1]} where {files[0]} belongs"
    with pytest.raises(SchemaError, match=re.escape(misplaced)):
        load_protocol(schemas)


def test_a_union_naming_a_missing_file_fails(schemas: Path) -> None:
    """A removed schema file cannot stay referenced by the union."""
    (schemas / "server" / "review_reminder.json").unlink()
    with pytest.raises(SchemaError, match=r"oneOf lists server/review_reminder\.json, which is not a file"):
        load_protocol(schemas)


def test_write_unions_adds_a_new_file_in_order(schemas: Path) -> None:
    """`make codegen` lists a new file in the union and the mapping, in file-name order."""
    add_type(schemas, NEW_TYPE)
    assert write_unions(schemas) is True
    protocol = load_protocol(schemas)
    paths = [t.path for t in protocol.server_types]
    assert f"server/{NEW_TYPE}.json" in paths and paths == sorted(paths)
    union = protocol.entry["$defs"]["ServerMessage"]
    assert [option["$ref"] for option in union["oneOf"]] == paths
    assert list(union["discriminator"]["mapping"].values()) == paths
    assert write_unions(schemas) is False


def test_hook_names_come_from_the_schema_or_the_type(schemas: Path) -> None:
    """A service type gets `use<Type>`, `x-hook-name` overrides it, and hub-only types get none."""
    add_type(schemas, NEW_TYPE)
    write_unions(schemas)
    hooks = {t.name: t.hook_name for t in load_protocol(schemas).server_types}
    assert hooks[NEW_TYPE] == "useAddedForATest"
    assert hooks["ocr_progress"] == "useOCRProgress" and hooks["error"] == "useErrorNotification"
    assert hooks["pong"] is None and hooks["connection_established"] is None
