"""JSON Schema validators over schemas/, with format checks, for tests of every kind."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from notifyhub_protocol import SERVER_MESSAGE_TYPES
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


@cache
def _validator(uri: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": uri}, registry=registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def server_message_validator() -> Draft202012Validator:
    """Validates any frame the hub sends (`#/$defs/ServerMessage`), formats included."""
    return _validator(f"{ENTRY.as_uri()}#/$defs/ServerMessage")


def client_frame_validator() -> Draft202012Validator:
    """Validates any frame a client sends (`#/$defs/ClientFrame`), formats included."""
    return _validator(f"{ENTRY.as_uri()}#/$defs/ClientFrame")


def validate_server_frame(frame: dict[str, Any]) -> None:
    """Raise AssertionError naming every schema violation in a frame the hub sent."""
    _raise_on_problems("ServerMessage", frame)


def validate_client_frame(frame: dict[str, Any]) -> None:
    """Raise AssertionError naming every schema violation in a frame a client sent."""
    _raise_on_problems("ClientFrame", frame)


def _raise_on_problems(union: str, frame: Any) -> None:
    if _validator(f"{ENTRY.as_uri()}#/$defs/{union}").is_valid(frame):
        return
    problems = "; ".join(_problems(union, frame))
    raise AssertionError(f"frame violates the schema: {problems}\n{json.dumps(frame)[:500]}")


def _problems(union: str, frame: Any) -> list[str]:
    # A failed oneOf only says "not valid under any of the given schemas"; the schema its
    # discriminator names says which field is wrong.
    mapping = json.loads(ENTRY.read_text())["$defs"][union]["discriminator"]["mapping"]
    message_type = frame.get("type") if isinstance(frame, dict) else None
    if not isinstance(message_type, str) or message_type not in mapping:
        return [f"type: {message_type!r} is not one of {sorted(mapping)}"]
    errors = sorted(_validator((SCHEMAS / mapping[message_type]).as_uri()).iter_errors(frame),
                    key=lambda e: list(map(str, e.path)))
    return [f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors]


def _schema_of(union: str, message_type: str) -> dict[str, Any]:
    mapping = json.loads(ENTRY.read_text())["$defs"][union]["discriminator"]["mapping"]
    return json.loads((SCHEMAS / mapping[message_type]).read_text())


def server_examples(*, services_only: bool = False) -> dict[str, dict[str, Any]]:
    """The first `examples` entry of each type in the generated registry, by type.

    With services_only, only the types a service may publish. Raises KeyError when the registry
    names a type no schema file declares (generated/ is stale: run `make codegen`).
    """
    return {name: _schema_of("ServerMessage", name)["examples"][0]
            for name, spec in SERVER_MESSAGE_TYPES.items() if spec.sent_by_services or not services_only}
