"""Reading client frames: bytes in, a validated frame or a protocol error out. No I/O."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from notifyhub_protocol import CLIENT_FRAME_ADAPTER, CLIENT_FRAME_TYPES, ErrorCode
from pydantic import BaseModel, ValidationError


@dataclass(frozen=True, slots=True)
class FrameError:
    """Why a client frame was refused; becomes an `error` message to that client."""

    code: ErrorCode
    message: str
    details: dict[str, Any] = field(default_factory=dict)


MAX_REPORTED_ERRORS = 10
"""Field errors listed in one error answer; the rest are counted (`omitted`). A frame with 40,000
bad fields must not buy an answer larger than itself."""
MAX_POINTER_CHARS = 200
MAX_ERROR_MESSAGE_CHARS = 200


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def json_depth(value: Any, limit: int) -> int:
    """Nesting depth of a decoded JSON value, counting no further than limit + 1."""
    depth, level = 0, [value]
    while level and depth <= limit:
        depth += 1
        level = [child for node in level if isinstance(node, (dict, list))
                 for child in (node.values() if isinstance(node, dict) else node)]
        level = [node for node in level if isinstance(node, (dict, list))]
    return depth


def parse_client_frame(text: str | None, data: bytes | None, max_depth: int) -> BaseModel | FrameError:
    """Decode and validate one frame from a client.

    Never raises for bad input: every refusal is a FrameError whose code says which rule failed.
    """
    if text is None:
        return FrameError(ErrorCode.INVALID_MESSAGE, "binary frames are not part of the protocol; "
                          "send JSON text frames", {"frame": "binary", "bytes": len(data or b"")})
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        return FrameError(ErrorCode.INVALID_JSON, "the frame nests deeper than the hub reads")
    except json.JSONDecodeError as exc:
        return FrameError(ErrorCode.INVALID_JSON, f"the frame is not valid JSON: {exc.msg}",
                          {"position": exc.pos})
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert to int
        reason = str(exc) if "not valid JSON" in str(exc) else "a number in the frame is too large"
        return FrameError(ErrorCode.INVALID_JSON, reason)
    if json_depth(document, max_depth) > max_depth:
        return FrameError(ErrorCode.INVALID_JSON, f"the frame nests deeper than {max_depth} levels")
    if "\\u" in text and _has_lone_surrogate(document):
        return FrameError(ErrorCode.INVALID_JSON, "the frame has a \\u escape of a lone surrogate, "
                          "which is not a Unicode character")
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        return FrameError(ErrorCode.INVALID_MESSAGE, "a frame is a JSON object with a string 'type'")
    if document["type"] not in CLIENT_FRAME_TYPES:
        return FrameError(ErrorCode.UNKNOWN_TYPE, f"unknown frame type '{_cut(document['type'], 64)}'",
                          {"known_types": sorted(CLIENT_FRAME_TYPES)})
    try:
        return CLIENT_FRAME_ADAPTER.validate_json(text, strict=True).root
    except ValidationError as exc:
        details: dict[str, Any] = {"errors": pointer_errors(exc, ROOT)}
        if omitted := omitted_errors(exc):
            details["omitted"] = omitted
        return FrameError(ErrorCode.INVALID_MESSAGE, "the frame does not match its schema", details)


def _has_lone_surrogate(document: Any) -> bool:
    """Whether a decoded document holds a string (or key) that cannot be encoded as UTF-8: only a
    `\\ud800`-style escape in the JSON text can produce one."""
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def json_pointer(location: tuple[str | int, ...]) -> str:
    """RFC 6901 pointer for a pydantic error location."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in location)


ROOT = ""
"""`union_field` value for a document that is itself the discriminated union (a client frame)."""


def pointer_errors(exc: ValidationError, union_field: str | None) -> list[dict[str, Any]]:
    """Each pydantic error as {pointer, message, type}.

    A discriminated union adds its tag (the `type` value) to an error's location, right after
    the field holding the union (`union_field`, or at the start for ROOT). It is not a key of the
    document, so it is left out of the pointer; an unknown tag is reported at the `type` field.
    With None (a body with no union) every location is kept as it is.
    """
    result = []
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    for error in errors[:MAX_REPORTED_ERRORS]:
        location = list(error["loc"])
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            location.append("type")
        else:
            location = _without_tags(location, union_field)
        result.append({"pointer": _cut(json_pointer(tuple(location)), MAX_POINTER_CHARS),
                       "message": _cut(error["msg"], MAX_ERROR_MESSAGE_CHARS), "type": error["type"]})
    return result


def omitted_errors(exc: ValidationError) -> int:
    """How many of exc's errors `pointer_errors` leaves out."""
    return max(exc.error_count() - MAX_REPORTED_ERRORS, 0)


def _cut(text: str, limit: int) -> str:
    """text, at most limit characters (an ellipsis marks a cut), and encodable as UTF-8."""
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return text.encode("utf-8", errors="replace").decode("utf-8")


def _without_tags(location: list[str | int], union_field: str | None) -> list[str | int]:
    if union_field is None:
        return location
    if union_field == ROOT:
        return location[1:] if len(location) > 1 else location
    kept: list[str | int] = []
    for index, part in enumerate(location):
        if index > 0 and location[index - 1] == union_field and index + 1 < len(location):
            continue
        kept.append(part)
    return kept
