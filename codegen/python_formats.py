"""The schema's string formats in the Python models: which fields get the types of
`notifyhub_protocol.formats`, and that file itself (copied from codegen/templates/formats.py).

datamodel-codegen maps `format: uuid`, `date-time` and `uri` to pydantic's `UUID`, `AwareDatetime` and
`AnyUrl`, which accept more than the schema does, and `AnyUrl` also rewrites links and drops
`maxLength`. Its `--type-overrides` replaces a field's type by an importable one and keeps the field's
constraints; `--type-mappings` can only pick another built-in format, and no option maps a format to a
custom type, so the overrides are listed here per field, from the schemas.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .schemas import ENTRY_SCHEMA, Protocol, load_json

TEMPLATE = Path(__file__).resolve().parent / "templates" / "formats.py"
MODULE = "notifyhub_protocol.formats"

FORMAT_TYPES = {"uuid": "Uuid", "date-time": "Timestamp", "uri": "Uri"}
"""Schema string format -> the type in notifyhub_protocol.formats that checks it exactly."""

PYDANTIC_FORMAT_TYPES = ("UUID", "AwareDatetime", "AnyUrl")
"""What datamodel-codegen writes for those formats; none may be left in the models."""


def _objects(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema object, depth first, in document order."""
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


def type_overrides(protocol: Protocol) -> dict[str, str]:
    """`{"Model.field": "notifyhub_protocol.formats.Type"}` for every string field with a format above.

    Models are named by their `title` (`--use-title-as-name`), so every object with properties
    has one.
    """
    paths = [ENTRY_SCHEMA, *(t.path for t in (*protocol.server_types, *protocol.client_types))]
    overrides: dict[str, str] = {}
    for path in paths:
        for schema in _objects(load_json(protocol.root / path)):
            for name, field in schema.get("properties", {}).items():
                format_type = FORMAT_TYPES.get(field.get("format")) if field.get("type") == "string" else None
                if format_type:
                    overrides[f"{schema['title']}.{name}"] = f"{MODULE}.{format_type}"
    return dict(sorted(overrides.items()))


def check_models(models: str) -> None:
    """Fail when a format field kept pydantic's own type (an override that matched no field)."""
    imported = {alias.name for node in ast.walk(ast.parse(models)) if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    left = [name for name in PYDANTIC_FORMAT_TYPES if name in imported]
    if left:
        raise SystemExit(f"generated models still use {', '.join(left)} for a schema format; "
                         "codegen/python_formats.py found no override for that field")


def render_formats(header: str) -> str:
    """codegen/templates/formats.py, its docstring ending with the generated-file notice."""
    text = TEMPLATE.read_text(encoding="utf-8")
    docstring_end = text.index('"""', 3) + 3
    return header.format(doc=text[3:docstring_end - 3].strip()) + "\n" + text[docstring_end:].lstrip("\n")
