"""JSON Schema validators over schemas/, with format checks, for tests of every kind."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
ENTRY = SCHEMAS / "notifyhub.json"


@cache
def registry() -> Registry:
    """Every schema file, addressed by its file URI so relative $refs resolve."""
    resources = [(path.as_uri(), Resource.from_contents(json.loads(path.read_text()),
                                                        default_specification=DRAFT202012))
                 for path in sorted(SCHEMAS.rglob("*.json"))]
    return Registry().with_resources(resources)


def _validator(definition: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{ENTRY.as_uri()}#/$defs/{definition}"}, registry=registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def server_message_validator() -> Draft202012Validator:
    return _validator("ServerMessage")


@cache
def client_frame_validator() -> Draft202012Validator:
    return _validator("ClientFrame")


def validate_server_frame(frame: dict[str, Any]) -> None:
    """Raise AssertionError naming every schema violation in a frame the hub sent."""
    errors = sorted(server_message_validator().iter_errors(frame), key=lambda e: list(e.path))
    if errors:
        problems = "; ".join(f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors)
        raise AssertionError(f"frame violates the schema: {problems}\n{json.dumps(frame)[:500]}")
