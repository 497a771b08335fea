"""The released protocol: what may be released, which version it gets, and what is recorded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from codegen.__main__ import LOCK
from codegen.changelog import render_changelog
from codegen.release import read_lock, read_schemas, record_release, review
from codegen.schemas import ENTRY_SCHEMA, load_protocol
from codegen.versions import Version, declared_version, subprotocol_of
from tests.contract.schema_files import SCHEMAS


@pytest.fixture
def released(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of schemas/ declaring 1.0.0, and a lock recording it as released."""
    schemas, lock = tmp_path / "schemas", tmp_path / "protocol.lock.json"
    shutil.copytree(SCHEMAS, schemas)
    edit(schemas, ENTRY_SCHEMA, lambda entry: entry.update({"x-protocol-version": "1.0.0"}))
    record_release(schemas, lock)
    return schemas, lock


def edit(schemas: Path, name: str, change) -> None:
    path = schemas / name
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document, indent=2) + "\n")


def rename_book_title(document: dict) -> None:
    body = document["$defs"]["BookReadyPayload"]
    body["properties"]["book_title"] = body["properties"].pop("title")
    body["required"] = ["book_id", "book_title", "total_pages"]


def add_optional_subtitle(document: dict) -> None:
    document["$defs"]["BookReadyPayload"]["properties"]["subtitle"] = {"type": "string", "maxLength": 200}


def test_the_repository_records_its_schemas_as_released() -> None:
    """schemas/ are exactly the released protocol, spoken as `notifyhub.v<major>`."""
    lock = read_lock(LOCK)
    assert lock is not None
    found = review(SCHEMAS, lock)
    assert (found.changes, found.problems()) == ((), [])
    entry = read_schemas(SCHEMAS)[ENTRY_SCHEMA]
    assert lock.version == declared_version(entry) >= Version(1, 0, 0)
    assert load_protocol(SCHEMAS).subprotocol == subprotocol_of(entry) == f"notifyhub.v{lock.version.major}"


def test_a_breaking_change_is_refused_without_a_new_major(released: tuple[Path, Path]) -> None:
    """A rename cannot be released as 1.1.0, and the refusal says which command releases it."""
    schemas, lock = released
    edit(schemas, "server/book_ready.json", rename_book_title)
    found = review(schemas, read_lock(lock))
    assert len(found.breaking) == 3
    assert found.problems() == ["3 breaking change(s) need a new major version: "
                                "run `python -m codegen --release --major` (protocol 2.0.0)"]
    with pytest.raises(ValueError, match="new major version"):
        record_release(schemas, lock)
    assert read_lock(lock).version == Version(1, 0, 0)


def test_a_major_release_records_the_breaking_change(released: tuple[Path, Path]) -> None:
    """`--release --major` declares 2.0.0 in schemas/, records it, and nothing is pending after."""
    schemas, lock = released
    edit(schemas, "server/book_ready.json", rename_book_title)
    release = record_release(schemas, lock, major=True)
    assert release is not None and release.version == Version(2, 0, 0)
    entry = json.loads((schemas / ENTRY_SCHEMA).read_text())
    assert (entry["x-protocol-version"], subprotocol_of(entry)) == ("2.0.0", "notifyhub.v2")
    recorded = read_lock(lock)
    assert [str(r.version) for r in recorded.history] == ["1.0.0", "2.0.0"]
    assert review(schemas, recorded).changes == ()


def test_a_major_raised_by_hand_passes_the_check(released: tuple[Path, Path]) -> None:
    """Declaring 2.0.0 in schemas/ is enough for the check; the release then keeps 2.0.0."""
    schemas, lock = released
    edit(schemas, "server/book_ready.json", rename_book_title)
    edit(schemas, ENTRY_SCHEMA, lambda entry: entry.update({"x-protocol-version": "2.0.0"}))
    assert review(schemas, read_lock(lock)).problems() == []
    assert record_release(schemas, lock).version == Version(2, 0, 0)


def test_a_compatible_change_is_released_as_the_next_minor(released: tuple[Path, Path]) -> None:
    """A new optional field passes the check and is released as 1.1.0 on the same subprotocol."""
    schemas, lock = released
    edit(schemas, "server/book_ready.json", add_optional_subtitle)
    assert review(schemas, read_lock(lock)).problems() == []
    release = record_release(schemas, lock)
    assert release.version == Version(1, 1, 0)
    assert subprotocol_of(json.loads((schemas / ENTRY_SCHEMA).read_text())) == "notifyhub.v1"


def test_nothing_to_release_changes_nothing(released: tuple[Path, Path]) -> None:
    """Releasing unchanged schemas records no new version."""
    schemas, lock = released
    before = lock.read_bytes()
    assert record_release(schemas, lock) is None
    assert lock.read_bytes() == before


def test_a_version_older_than_the_release_is_refused(released: tuple[Path, Path]) -> None:
    """schemas/ cannot go back to a version before the one released."""
    schemas, lock = released
    edit(schemas, ENTRY_SCHEMA, lambda entry: entry.update({"x-protocol-version": "0.9.0"}))
    assert review(schemas, read_lock(lock)).problems() == ["schemas/ declare 0.9.0, older than the released 1.0.0"]


def test_the_release_rewrites_only_the_version_line(released: tuple[Path, Path]) -> None:
    """The entry schema keeps its form; only `x-protocol-version` changes."""
    schemas, lock = released
    before = (schemas / ENTRY_SCHEMA).read_text().splitlines()
    edit(schemas, "server/book_ready.json", add_optional_subtitle)
    record_release(schemas, lock)
    after = (schemas / ENTRY_SCHEMA).read_text().splitlines()
    assert [(old, new) for old, new in zip(before, after, strict=True) if old != new] == [
        ('  "x-protocol-version": "1.0.0",', '  "x-protocol-version": "1.1.0",')]


def test_the_changelog_lists_each_release_and_pending_change(released: tuple[Path, Path]) -> None:
    """The changelog names each change with its pointer and kind, unreleased ones first."""
    schemas, lock = released
    edit(schemas, "server/book_ready.json", add_optional_subtitle)
    record_release(schemas, lock)
    edit(schemas, "server/book_ready.json", rename_book_title)
    recorded = read_lock(lock)
    text = render_changelog(recorded, review(schemas, recorded), read_schemas(schemas)[ENTRY_SCHEMA])
    pending, minor, first = (text.index(h) for h in ("## Unreleased", "## 1.1.0", "## 1.0.0"))
    assert pending < minor < first
    assert "`python -m codegen --release --major`" in text[pending:minor]
    assert ("- `server/book_ready.json#/$defs/BookReadyPayload/properties/title`: field `title` renamed to "
            "`book_title`: old receivers no longer find it") in text[pending:minor]
    assert "Compatible:\n\n- `server/book_ready.json#/$defs/BookReadyPayload/properties/subtitle`" in text[minor:first]
    assert "(subprotocol `notifyhub.v1`)" in text[minor:first]
