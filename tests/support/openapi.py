"""Reading the hub's OpenAPI document in tests: a validator of a documented answer, and the
refusals an operation documents."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:notifyhub:openapi"


def response_validator(document: dict[str, Any], path: str, method: str, status: int) -> Draft202012Validator:
    """A validator of the JSON body documented for (path, method, status); its `$ref`s resolve
    inside the document."""
    registry = Registry().with_resource(DOCUMENT_URI, Resource.from_contents(document, DRAFT202012))
    escaped = path.replace("~", "~0").replace("/", "~1")
    pointer = f"#/paths/{escaped}/{method}/responses/{status}/content/application~1json/schema"
    return Draft202012Validator({"$ref": DOCUMENT_URI + pointer}, registry=registry, format_checker=FormatChecker())


def documented_refusals(operation: dict[str, Any]) -> set[tuple[int, str]]:
    """(status, reason) of every refusal an operation documents (each status's `error` enum)."""
    return {(int(status), reason) for status, response in operation["responses"].items()
            for part in response.get("content", {}).get("application/json", {}).get("schema", {}).get("allOf", [])[1:]
            for reason in part["properties"]["error"]["enum"]}
