"""The files in schemas/ as data: loading, walking, and validators for any schema or $defs entry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from tests.support.schemas import ENTRY, SCHEMAS, registry


def schema_paths(folder: str = "") -> list[Path]:
    """Every schema file under schemas/<folder>, sorted."""
    return sorted((SCHEMAS / folder).rglob("*.json"))


def name_of(path: Path) -> str:
    """The path relative to schemas/, as the entry schema's $refs spell it."""
    return path.relative_to(SCHEMAS).as_posix()


@cache
def _load_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load(path: Path) -> dict[str, Any]:
    """A fresh copy of a schema file, safe to mutate."""
    return json.loads(_load_text(path))


def entry() -> dict[str, Any]:
    return load(ENTRY)


def server_example(message_type: str) -> dict[str, Any]:
    """A fresh copy of the first example of schemas/server/<message_type>.json."""
    return load(SCHEMAS / "server" / f"{message_type}.json")["examples"][0]


def validator_at(path: Path, pointer: str = "") -> Draft202012Validator:
    """A format-checking validator for the schema at path#pointer, resolving refs across schemas/."""
    return Draft202012Validator({"$ref": f"{path.as_uri()}#{pointer}"}, registry=registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def object_defs(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The named $defs entries that describe objects."""
    return {name: d for name, d in schema.get("$defs", {}).items() if d.get("type") == "object"}


def property_names(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(JSON pointer of the `properties` keyword, property name) for every property declared anywhere."""
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            yield from ((pointer, name) for name in properties)
        for key, child in node.items():
            if key not in ("examples", "const", "enum", "default"):
                yield from property_names(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from property_names(child, f"{pointer}/{index}")


def undeclared_required(node: Any) -> list[str]:
    """Names listed in a `required` anywhere in node but absent from that object's `properties`."""
    if isinstance(node, list):
        return [name for child in node for name in undeclared_required(child)]
    if not isinstance(node, dict):
        return []
    own = [name for name in node.get("required", []) if name not in node.get("properties", {})]
    return own + [name for key, child in node.items() if key != "examples"
                  for name in undeclared_required(child)]


def examples(path: Path) -> Iterator[tuple[str, Any, Draft202012Validator]]:
    """(id, example, validator that must accept it) for the file's own examples and its $defs' examples."""
    schema = load(path)
    for index, example in enumerate(schema.get("examples", [])):
        yield f"{name_of(path)}[{index}]", example, validator_at(path)
    for name, definition in schema.get("$defs", {}).items():
        for index, example in enumerate(definition.get("examples", [])):
            yield f"{name_of(path)}#{name}[{index}]", example, validator_at(path, f"/$defs/{name}")
