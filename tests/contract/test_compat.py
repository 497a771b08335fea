"""Each kind of schema change, old schema against new, is classified as what it does to old peers."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from codegen.compat import Change, Kind, compare
from tests.contract.schema_files import SCHEMAS, load, schema_paths

C, SENDERS, RECEIVERS = Kind.COMPATIBLE, Kind.BREAKS_SENDERS, Kind.BREAKS_RECEIVERS
FILE = "server/thing.json"
FIELDS = f"{FILE}#/$defs/ThingPayload/properties"

THING: dict[str, Any] = {
    "title": "ThingMessage",
    "description": "A thing happened.",
    "type": "object",
    "properties": {"type": {"const": "thing"}, "payload": {"$ref": "#/$defs/ThingPayload"}},
    "required": ["type", "payload"],
    "additionalProperties": False,
    "$defs": {
        "ThingPayload": {
            "title": "ThingPayload",
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 80, "description": "Its name."},
                "points": {"type": "integer", "minimum": 0},
                "level": {"type": "string", "enum": ["info", "error"]},
                "url": {"type": "string", "format": "uri", "pattern": "^https:"},
                "note": {"type": "string"},
            },
            "required": ["name", "points", "level"],
            "additionalProperties": False,
            "examples": [{"name": "n", "points": 1, "level": "info"}],
        }
    },
}
OTHER = {"title": "OtherMessage", "type": "object", "properties": {"type": {"const": "other"}}}

Edit = Callable[[dict[str, Any]], None]


def payload(files: dict[str, Any]) -> dict[str, Any]:
    return files[FILE]["$defs"]["ThingPayload"]


def fields(files: dict[str, Any]) -> dict[str, Any]:
    return payload(files)["properties"]


def rename(files: dict[str, Any], old: str, new: str) -> None:
    props = fields(files)
    props[new] = props.pop(old)
    payload(files)["required"] = [new if name == old else name for name in payload(files)["required"]]


CASES: list[tuple[str, Edit, set[tuple[str, Kind]]]] = [
    # Compatible: nothing an old peer sends is refused, nothing it reads is missing or unknown.
    ("new type", lambda f: f.update({"server/other.json": OTHER}), {("server/other.json#", C)}),
    ("new optional field", lambda f: fields(f).update(extra={"type": "string"}), {(f"{FIELDS}/extra", C)}),
    ("wider maxLength", lambda f: fields(f)["name"].update(maxLength=200), {(f"{FIELDS}/name/maxLength", C)}),
    ("wider minimum", lambda f: fields(f)["points"].update(minimum=-5), {(f"{FIELDS}/points/minimum", C)}),
    ("limit removed", lambda f: fields(f)["name"].pop("maxLength"), {(f"{FIELDS}/name/maxLength", C)}),
    ("pattern removed", lambda f: fields(f)["url"].pop("pattern"), {(f"{FIELDS}/url/pattern", C)}),
    ("format removed", lambda f: fields(f)["url"].pop("format"), {(f"{FIELDS}/url/format", C)}),
    ("new description", lambda f: fields(f)["points"].update(description="Points earned."),
     {(f"{FIELDS}/points/description", C)}),
    ("changed description", lambda f: fields(f)["name"].update(description="What it is called."),
     {(f"{FIELDS}/name/description", C)}),
    ("new example", lambda f: payload(f)["examples"].append({"name": "m", "points": 2, "level": "error"}),
     {(f"{FILE}#/$defs/ThingPayload/examples", C)}),
    ("extra fields accepted", lambda f: payload(f).pop("additionalProperties"),
     {(f"{FILE}#/$defs/ThingPayload/additionalProperties", C)}),
    ("version raised", lambda f: f[FILE].update({"x-protocol-version": "2.0.0"}), set()),
    ("discriminator mapping", lambda f: f[FILE].update(discriminator={"propertyName": "type"}), set()),
    # Breaking for senders: something an old sender writes is now refused.
    ("new required field", lambda f: (fields(f).update(rank={"type": "integer"}), payload(f)["required"].append("rank")),
     {(f"{FIELDS}/rank", SENDERS)}),
    ("optional field made required", lambda f: payload(f)["required"].append("url"), {(f"{FIELDS}/url", SENDERS)}),
    ("narrower type", lambda f: fields(f)["points"].update(type="string"),
     {(f"{FIELDS}/points/type", SENDERS), (f"{FIELDS}/points/type", RECEIVERS)}),
    ("narrower maxLength", lambda f: fields(f)["name"].update(maxLength=40), {(f"{FIELDS}/name/maxLength", SENDERS)}),
    ("narrower minimum", lambda f: fields(f)["points"].update(minimum=1), {(f"{FIELDS}/points/minimum", SENDERS)}),
    ("new limit", lambda f: fields(f)["points"].update(maximum=100), {(f"{FIELDS}/points/maximum", SENDERS)}),
    ("narrower enum", lambda f: fields(f)["level"].update(enum=["info"]), {(f"{FIELDS}/level/enum", SENDERS)}),
    ("new pattern", lambda f: fields(f)["note"].update(pattern="^[a-z]+$"), {(f"{FIELDS}/note/pattern", SENDERS)}),
    ("changed pattern", lambda f: fields(f)["url"].update(pattern="^https://"), {(f"{FIELDS}/url/pattern", SENDERS)}),
    ("new format", lambda f: fields(f)["note"].update(format="email"), {(f"{FIELDS}/note/format", SENDERS)}),
    ("changed format", lambda f: fields(f)["url"].update(format="uri-reference"), {(f"{FIELDS}/url/format", SENDERS)}),
    ("removed type", lambda f: f.pop(FILE), {(f"{FILE}#", SENDERS)}),
    # Breaking for receivers: an old receiver may miss what it relied on or read what it cannot handle.
    ("removed field", lambda f: fields(f).pop("note"), {(f"{FIELDS}/note", RECEIVERS), (f"{FIELDS}/note", SENDERS)}),
    ("renamed field", lambda f: rename(f, "name", "title"),
     {(f"{FIELDS}/name", RECEIVERS), (f"{FIELDS}/name", SENDERS), (f"{FIELDS}/title", SENDERS)}),
    ("new enum value", lambda f: fields(f)["level"]["enum"].append("fatal"), {(f"{FIELDS}/level/enum", RECEIVERS)}),
    ("field made optional", lambda f: payload(f)["required"].remove("points"), {(f"{FIELDS}/points", RECEIVERS)}),
    ("integer widened to number", lambda f: fields(f)["points"].update(type="number"),
     {(f"{FIELDS}/points/type", RECEIVERS)}),
]


def changed(edit: Edit) -> list[Change]:
    old = {FILE: THING}
    new = copy.deepcopy(old)
    edit(new)
    return compare(old, new)


@pytest.mark.parametrize(("edit", "expected"), [(edit, expected) for _, edit, expected in CASES],
                         ids=[name for name, _, _ in CASES])
def test_change_is_classified(edit: Edit, expected: set[tuple[str, Kind]]) -> None:
    """A maintainer sees each change where it is and what it does to old peers, and nothing else."""
    assert {(c.pointer, c.kind) for c in changed(edit)} == expected


def test_a_new_value_of_an_enum_released_as_open_is_compatible() -> None:
    """`x-open-enum` in the released schema told receivers to handle unknown values; declaring it
    in the same change that adds a value promises nothing to peers already deployed."""
    open_level = copy.deepcopy(THING)
    open_level["$defs"]["ThingPayload"]["properties"]["level"]["x-open-enum"] = True
    grown = copy.deepcopy(open_level)
    grown["$defs"]["ThingPayload"]["properties"]["level"]["enum"].append("fatal")
    assert {(c.pointer, c.kind) for c in compare({FILE: open_level}, {FILE: grown})} == {(f"{FIELDS}/level/enum", C)}
    shrunk = copy.deepcopy(open_level)
    shrunk["$defs"]["ThingPayload"]["properties"]["level"]["enum"].remove("error")
    assert {(c.pointer, c.kind) for c in compare({FILE: open_level}, {FILE: shrunk})} == {(f"{FIELDS}/level/enum", SENDERS)}
    assert (f"{FIELDS}/level/enum", RECEIVERS) in {(c.pointer, c.kind) for c in compare({FILE: THING}, {FILE: grown})}


def test_renamed_field_is_named_as_a_rename() -> None:
    """A rename reads as one, with both names, not as an unrelated removal and addition."""
    receivers = [c.what for c in changed(lambda f: rename(f, "name", "title")) if c.kind is RECEIVERS]
    assert receivers == ["field `name` renamed to `title`: old receivers no longer find it"]


def test_a_definition_renamed_with_its_reference_changes_no_field() -> None:
    """Moving a payload to a differently named definition is reported, but as compatible."""
    def move(files: dict[str, Any]) -> None:
        files[FILE]["$defs"]["ThingBody"] = files[FILE]["$defs"].pop("ThingPayload")
        files[FILE]["properties"]["payload"]["$ref"] = "#/$defs/ThingBody"

    assert {c.kind for c in changed(move)} == {C}


def test_a_changed_reference_is_judged_by_its_target() -> None:
    """Pointing a field at a narrower definition is breaking, found through the $ref."""
    def narrow(files: dict[str, Any]) -> None:
        body = copy.deepcopy(payload(files))
        body["properties"]["name"]["maxLength"] = 10
        files[FILE]["$defs"]["ThingBody"] = body
        files[FILE]["properties"]["payload"]["$ref"] = "#/$defs/ThingBody"

    assert (f"{FILE}#/properties/payload/properties/name/maxLength", SENDERS) in {
        (c.pointer, c.kind) for c in changed(narrow)}


def test_number_narrowed_to_integer_breaks_senders_only() -> None:
    """Every integer is a number, so receivers still cope; senders of 1.5 do not."""
    old = {FILE: {"type": "object", "properties": {"points": {"type": "number"}}}}
    new = {FILE: {"type": "object", "properties": {"points": {"type": "integer"}}}}
    assert [(c.pointer, c.kind) for c in compare(old, new)] == [(f"{FILE}#/properties/points/type", SENDERS)]


def real_schemas() -> dict[str, Any]:
    return {path.relative_to(SCHEMAS).as_posix(): load(path) for path in schema_paths()}


def test_the_real_schemas_equal_themselves() -> None:
    """Comparing schemas/ with an identical copy reports no change, so the check is quiet by default."""
    assert compare(real_schemas(), real_schemas()) == []


def test_renaming_book_ready_title_is_breaking() -> None:
    """The rename of the issue (book_ready.title to book_title) is caught for senders and receivers."""
    old, new = real_schemas(), real_schemas()
    body = new["server/book_ready.json"]["$defs"]["BookReadyPayload"]
    body["properties"]["book_title"] = body["properties"].pop("title")
    body["required"] = ["book_id", "book_title", "total_pages"]
    found = {(c.pointer.split("/properties/")[-1], c.kind) for c in compare(old, new)}
    assert found == {("title", RECEIVERS), ("title", SENDERS), ("book_title", SENDERS)}


def test_a_new_type_in_the_union_is_one_compatible_change() -> None:
    """Adding a type (its file and its place in the union) is reported once, as compatible."""
    old, new = real_schemas(), real_schemas()
    new["server/welcome_back.json"] = {**OTHER, "properties": {"type": {"const": "welcome_back"}}}
    new["notifyhub.json"]["$defs"]["ServerMessage"]["oneOf"].append({"$ref": "server/welcome_back.json"})
    changes = compare(old, new)
    assert [(c.pointer, c.kind, c.what) for c in changes] == [
        ("server/welcome_back.json#", C, "new type `welcome_back`")]
