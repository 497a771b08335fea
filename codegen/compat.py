"""Every difference between two sets of schemas, each named by JSON pointer and classified.

Senders are whoever writes a message (services and the hub for server messages, browsers for client
frames) and receivers whoever reads it; both may run the previous version. A change is breaking for
senders when something an old sender writes is now refused, and breaking for receivers when an old
receiver may now read something it cannot handle or miss something it relied on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

from .delivery import DELIVERY_KEY
from .versions import SUBPROTOCOL_KEY, VERSION_KEY

Schema = dict[str, Any]
Files = Mapping[str, Schema]
"""Schema documents by their path relative to schemas/ (`server/book_ready.json`)."""

_ABSENT: Any = object()
IGNORED = {"$schema", "discriminator", VERSION_KEY, SUBPROTOCOL_KEY}
"""Keys whose change is no protocol change: the version itself, and what codegen derives."""
DOCUMENTATION = {"description", "examples", "$comment", "default", "deprecated"}
OPEN_ENUM = "x-open-enum"
"""`true` on a schema with `enum`: receivers must handle values they do not know (by what else the
message says, e.g. a refusal's status), so adding a value later is compatible."""
LOWER_BOUNDS = {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains"}
UPPER_BOUNDS = {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains"}
CONSTRAINTS = {"pattern", "format", "multipleOf", "uniqueItems", "contentEncoding", "contentMediaType",
               "propertyNames", "dependentRequired", "dependentSchemas", "not", "if", "then", "else"}
SUBSCHEMAS = {"items", "contains", "additionalItems", "unevaluatedProperties", "unevaluatedItems"}
ALTERNATIVES = {"oneOf", "anyOf", "allOf"}


class Kind(StrEnum):
    COMPATIBLE = "compatible"
    BREAKS_SENDERS = "breaking for senders"
    BREAKS_RECEIVERS = "breaking for receivers"

    @property
    def breaking(self) -> bool:
        return self is not Kind.COMPATIBLE


@dataclass(frozen=True)
class Change:
    """One difference: where it is (`file#/json/pointer`), its kind, and what it is."""

    pointer: str
    kind: Kind
    what: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.pointer}: {self.what}"

    def as_json(self) -> dict[str, str]:
        return {"pointer": self.pointer, "kind": self.kind.value, "what": self.what}

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> Change:
        return cls(data["pointer"], Kind(data["kind"]), data["what"])


def compare(old: Files, new: Files) -> list[Change]:
    """Every change from the old schema files to the new, file by file in path order."""
    return _Comparison(old, new).run()


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _type_name(schema: Schema) -> str | None:
    """The wire `type` of a message schema, or None for other schemas (codes, the entry)."""
    const = schema.get("properties", {}).get("type", {})
    return const.get("const") if isinstance(const, dict) else None


def _json(value: Any) -> str:
    return "(none)" if value is _ABSENT else json.dumps(value)


def _show(value: Any) -> str:
    return "(none)" if value is _ABSENT else repr(value)


@dataclass(frozen=True)
class _Side:
    """One side's view while comparing: the files, and the document refs are resolved in."""

    files: Files
    path: str

    def resolve(self, ref: str) -> tuple[_Side, Any]:
        """The schema a $ref names, and the side to go on resolving in. Raises KeyError if absent."""
        target, _, fragment = ref.partition("#")
        path = self.path
        if target:
            path = _normalise(PurePosixPath(self.path).parent / target)
        node: Any = self.files[path]
        for part in filter(None, fragment.split("/")):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return _Side(self.files, path), node


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == ".." and parts:
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


class _Comparison:
    def __init__(self, old: Files, new: Files) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.path = ""
        self._following: set[tuple[str, str]] = set()

    def run(self) -> list[Change]:
        for path in sorted(self.old.keys() | self.new.keys()):
            self.path = path
            if path not in self.new:
                self._file_removed(self.old[path])
            elif path not in self.old:
                self._file_added(self.new[path])
            else:
                self._node(self.old[path], self.new[path], "", _Side(self.old, path), _Side(self.new, path))
        return self.changes

    def _add(self, pointer: str, kind: Kind, what: str) -> None:
        self.changes.append(Change(f"{self.path}#{pointer}", kind, what))

    def _file_removed(self, schema: Schema) -> None:
        name = _type_name(schema)
        if name:
            self._add("", Kind.BREAKS_SENDERS, f"removed type `{name}`: what old senders send of it is refused")
        else:
            self._add("", Kind.BREAKS_SENDERS, "removed schema")

    def _file_added(self, schema: Schema) -> None:
        name = _type_name(schema)
        self._add("", Kind.COMPATIBLE, f"new type `{name}`" if name else "new schema")

    def _node(self, old: Any, new: Any, pointer: str, old_side: _Side, new_side: _Side) -> None:
        if old == new:
            return
        if not (isinstance(old, dict) and isinstance(new, dict)):
            self._add(pointer, Kind.BREAKS_SENDERS, f"schema changed from {old!r} to {new!r}")
            return
        object_done = False
        for key in sorted(old.keys() | new.keys()):
            before, after = old.get(key, _ABSENT), new.get(key, _ABSENT)
            if key in IGNORED or before == after:
                continue
            here = f"{pointer}/{_escape(key)}"
            if key in ("properties", "required"):
                if not object_done:
                    self._object(old, new, pointer, old_side, new_side)
                    object_done = True
            elif key == "$ref":
                self._ref(before, after, pointer, old_side, new_side)
            elif key == "$defs":
                self._definitions(before, after, here, old_side, new_side)
            elif key in ALTERNATIVES:
                self._alternatives(key, before, after, here)
            elif key in SUBSCHEMAS and isinstance(before, dict) and isinstance(after, dict):
                self._node(before, after, here, old_side, new_side)
            elif key == "enum" and old.get(OPEN_ENUM) is True:
                self._open_enum(before, after, here)
            else:
                self._keyword(key, before, after, here)

    def _keyword(self, key: str, before: Any, after: Any, here: str) -> None:
        handler: Callable[[str, Any, Any, str], None]
        if key in DOCUMENTATION:
            handler = self._documentation
        elif key == "title":
            handler = self._title
        elif key in ("type", "enum", "const"):
            handler = self._values
        elif key in LOWER_BOUNDS or key in UPPER_BOUNDS:
            handler = self._bound
        elif key == "additionalProperties":
            handler = self._additional
        elif key == "x-origin":
            handler = self._origin
        elif key == DELIVERY_KEY:
            handler = self._delivery
        elif key.startswith("x-"):
            handler = self._annotation
        elif key in CONSTRAINTS:
            handler = self._constraint
        else:
            handler = self._unknown
        handler(key, before, after, here)

    def _documentation(self, key: str, before: Any, after: Any, here: str) -> None:
        verb = "added" if before is _ABSENT else "removed" if after is _ABSENT else "changed"
        self._add(here, Kind.COMPATIBLE, f"`{key}` {verb}")

    def _title(self, key: str, before: Any, after: Any, here: str) -> None:
        self._add(here, Kind.COMPATIBLE,
                  f"title {_show(before)} -> {_show(after)}: the generated class is renamed, the wire is not")

    def _values(self, key: str, before: Any, after: Any, here: str) -> None:
        """`type`, `enum` and `const` all limit the values: fewer breaks senders, more breaks receivers."""
        if before is _ABSENT:
            self._add(here, Kind.BREAKS_SENDERS, f"now limited by `{key}` {after!r}")
            return
        if after is _ABSENT:
            self._add(here, Kind.BREAKS_RECEIVERS, f"no longer limited by `{key}` {before!r}")
            return
        old, new = _value_set(key, before), _value_set(key, after)
        covered = _type_covered if key == "type" else lambda value, values: value in values
        removed = [v for v in old if not covered(v, new)]
        added = [v for v in new if not covered(v, old)]
        label = "type" if key == "type" else "value"
        if removed:
            self._add(here, Kind.BREAKS_SENDERS, f"narrower `{key}`: {label} {_list(removed)} no longer accepted")
        if added:
            self._add(here, Kind.BREAKS_RECEIVERS,
                      f"new {label} {_list(added)} in `{key}`: old receivers cannot handle it")

    def _open_enum(self, before: Any, after: Any, here: str) -> None:
        """An enum the released schema declared open (`x-open-enum`): its receivers were told to
        handle a value they do not know, so a new one is compatible; a removed one still breaks senders."""
        if after is _ABSENT:
            self._values("enum", before, after, here)
            return
        removed = [value for value in before if value not in after]
        added = [value for value in after if value not in before]
        if removed:
            self._add(here, Kind.BREAKS_SENDERS, f"narrower `enum`: value {_list(removed)} no longer accepted")
        if added:
            self._add(here, Kind.COMPATIBLE, f"new value {_list(added)} in an open `enum` ({OPEN_ENUM})")

    def _bound(self, key: str, before: Any, after: Any, here: str) -> None:
        lower = key in LOWER_BOUNDS
        if before is _ABSENT:
            narrower = True
        elif after is _ABSENT:
            narrower = False
        else:
            narrower = after > before if lower else after < before
        if narrower:
            self._add(here, Kind.BREAKS_SENDERS, f"narrower limit `{key}` {_show(before)} -> {_show(after)}")
        else:
            self._add(here, Kind.COMPATIBLE, f"wider limit `{key}` {_show(before)} -> {_show(after)}")

    def _additional(self, key: str, before: Any, after: Any, here: str) -> None:
        if _allows_extra(before) and not _allows_extra(after):
            self._add(here, Kind.BREAKS_SENDERS, "fields not in `properties` are now refused")
        elif not _allows_extra(before) and _allows_extra(after):
            self._add(here, Kind.COMPATIBLE, "fields not in `properties` are now accepted")
        else:
            self._constraint(key, before, after, here)

    def _origin(self, key: str, before: Any, after: Any, here: str) -> None:
        if after == "hub":
            self._add(here, Kind.BREAKS_SENDERS, "only the hub may send this type now; services are refused")
        else:
            self._annotation(key, before, after, here)

    def _delivery(self, key: str, before: Any, after: Any, here: str) -> None:
        """Each part of `x-delivery` that changed. Only durable -> live breaks receivers: a tab that
        was closed no longer gets the type at all. Conflation and fallbacks keep every promise a
        receiver relies on (each message it gets is valid, in order, once, and the latest of each
        key arrives), so they are compatible; an old client may log a skipped seq of a replay."""
        # A keyword left out, or a part of it, means the default: durable, no conflation, no fallback.
        old = {"mode": "durable", **(before if isinstance(before, dict) else {})}
        new = {"mode": "durable", **(after if isinstance(after, dict) else {})}
        for part in sorted(old.keys() | new.keys()):
            was, now = old.get(part, _ABSENT), new.get(part, _ABSENT)
            if was == now:
                continue
            at = f"{here}/{_escape(part)}"
            if part == "mode" and now == "live" and was != "live":
                self._add(at, Kind.BREAKS_RECEIVERS,
                          "now delivered live only: a user with no open connection no longer gets it, "
                          "and no resume replays it")
            else:
                self._add(at, Kind.COMPATIBLE, f"delivery `{part}` {_json(was)} -> {_json(now)}")

    def _annotation(self, key: str, before: Any, after: Any, here: str) -> None:
        self._add(here, Kind.COMPATIBLE, f"annotation `{key}` changed")

    def _constraint(self, key: str, before: Any, after: Any, here: str) -> None:
        if after is _ABSENT or after is False:
            self._add(here, Kind.COMPATIBLE, f"wider: `{key}` {_show(before)} removed")
        else:
            self._add(here, Kind.BREAKS_SENDERS, f"narrower `{key}`: {_show(before)} -> {after!r}")

    def _unknown(self, key: str, before: Any, after: Any, here: str) -> None:
        self._add(here, Kind.BREAKS_SENDERS,
                  f"`{key}` {_show(before)} -> {_show(after)}: a keyword the check does not know, "
                  "so taken as breaking")

    def _object(self, old: Schema, new: Schema, pointer: str, old_side: _Side, new_side: _Side) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        closed = not _allows_extra(new.get("additionalProperties", _ABSENT))
        removed = [name for name in old_props if name not in new_props]
        added = [name for name in new_props if name not in old_props]
        renamed = _renames(removed, added, old_props, new_props)

        def at(name: str) -> str:
            return f"{pointer}/properties/{_escape(name)}"

        senders, receivers = Kind.BREAKS_SENDERS, Kind.BREAKS_RECEIVERS
        for name in removed:
            target = renamed.get(name)
            what = f"field `{name}` renamed to `{target}`" if target else f"field `{name}` removed"
            self._add(at(name), receivers, f"{what}: old receivers no longer find it")
            if closed:
                self._add(at(name), senders, f"old senders' `{name}` is refused as an unknown field")
        for name in added:
            if name in new_required:
                self._add(at(name), senders, f"new required field `{name}`: old senders do not send it")
            else:
                self._add(at(name), Kind.COMPATIBLE, f"new optional field `{name}`")
        for name in old_props.keys() & new_props.keys():
            self._node(old_props[name], new_props[name], at(name), old_side, new_side)
            if name in new_required - old_required:
                self._add(at(name), senders, f"field `{name}` is now required: old senders may omit it")
            if name in old_required - new_required:
                self._add(at(name), Kind.BREAKS_RECEIVERS,
                          f"field `{name}` is now optional: old receivers that rely on it may not find it")

    def _ref(self, before: Any, after: Any, pointer: str, old_side: _Side, new_side: _Side) -> None:
        """A changed $ref is judged by what it now points at, compared with what it pointed at."""
        if before is _ABSENT or after is _ABSENT or (before, after) in self._following:
            self._add(f"{pointer}/$ref", Kind.BREAKS_SENDERS, f"`$ref` {_show(before)} -> {_show(after)}")
            return
        self._following.add((before, after))
        (old_next, old_target), (new_next, new_target) = old_side.resolve(before), new_side.resolve(after)
        # Each definition's title is reported where it is defined, not again at every use.
        self._node(_untitled(old_target), _untitled(new_target), pointer, old_next, new_next)
        self._following.discard((before, after))

    def _definitions(self, before: Any, after: Any, here: str, old_side: _Side, new_side: _Side) -> None:
        before = {} if before is _ABSENT else before
        after = {} if after is _ABSENT else after
        for name in sorted(before.keys() | after.keys()):
            at = f"{here}/{_escape(name)}"
            if name not in after:
                self._add(at, Kind.COMPATIBLE, f"definition `{name}` removed (its uses are compared where used)")
            elif name not in before:
                self._add(at, Kind.COMPATIBLE, f"new definition `{name}`")
            else:
                self._node(before[name], after[name], at, old_side, new_side)

    def _alternatives(self, key: str, before: Any, after: Any, here: str) -> None:
        """A union of $refs is compared as a set; a type whose file came or went is reported there."""
        old_refs, new_refs = _refs(before), _refs(after)
        if old_refs is None or new_refs is None:
            self._unknown(key, before, after, here)
            return
        base = PurePosixPath(self.path).parent
        moved_files = self.old.keys() ^ self.new.keys()
        for ref in sorted(old_refs - new_refs):
            if _normalise(base / ref.partition("#")[0]) not in moved_files:
                self._add(here, Kind.BREAKS_SENDERS, f"`{ref}` is no longer one of the `{key}` alternatives")
        for ref in sorted(new_refs - old_refs):
            if _normalise(base / ref.partition("#")[0]) not in moved_files:
                self._add(here, Kind.COMPATIBLE, f"`{ref}` is a new `{key}` alternative")


def _untitled(schema: Any) -> Any:
    return {k: v for k, v in schema.items() if k != "title"} if isinstance(schema, dict) else schema


def _value_set(key: str, value: Any) -> list[Any]:
    if key == "const":
        return [value]
    return list(value) if isinstance(value, list) else [value]


def _type_covered(kind: Any, kinds: list[Any]) -> bool:
    return kind in kinds or (kind == "integer" and "number" in kinds)


def _list(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _allows_extra(additional: Any) -> bool:
    return additional is not False


def _shape(schema: Any) -> Any:
    """The schema without documentation, to recognise a field that was only renamed."""
    if isinstance(schema, dict):
        return {k: _shape(v) for k, v in schema.items() if k not in DOCUMENTATION and k != "title"}
    if isinstance(schema, list):
        return [_shape(item) for item in schema]
    return schema


def _renames(removed: list[str], added: list[str], old: Schema, new: Schema) -> dict[str, str]:
    """Removed field -> added field of the same shape, each used once."""
    renamed: dict[str, str] = {}
    candidates = list(added)
    for name in removed:
        match = next((other for other in candidates if _shape(old[name]) == _shape(new[other])), None)
        if match is not None:
            renamed[name] = match
            candidates.remove(match)
    return renamed


def _refs(alternatives: Any) -> set[str] | None:
    """The $refs of a list of `{"$ref": ...}` alternatives, or None when it is anything else."""
    if alternatives is _ABSENT:
        return set()
    if not isinstance(alternatives, list):
        return None
    if not all(isinstance(item, dict) and set(item) == {"$ref"} for item in alternatives):
        return None
    return {item["$ref"] for item in alternatives}
