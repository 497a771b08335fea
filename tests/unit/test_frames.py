"""Client frame decoding and error pointers, without a socket."""

from __future__ import annotations

import pytest
from notifyhub.frames import FrameError, json_depth, json_pointer, parse_client_frame
from notifyhub_protocol import ErrorCode, PingFrame


def parse(text: str | None, data: bytes | None = None, depth: int = 32):
    return parse_client_frame(text, data, depth)


def test_ping_parses_to_the_generated_model() -> None:
    """A well-formed ping becomes a PingFrame."""
    assert isinstance(parse('{"type": "ping"}'), PingFrame)


@pytest.mark.parametrize("text, code", [
    ("", ErrorCode.INVALID_JSON),
    ('{"type": "ping"', ErrorCode.INVALID_JSON),
    ('{"type": "ping", "n": Infinity}', ErrorCode.INVALID_JSON),
    ('{"type": "ping", "n": -Infinity}', ErrorCode.INVALID_JSON),
    ("[" * 10_000, ErrorCode.INVALID_JSON),
    ('{"n": ' + "1" * 4301 + "}", ErrorCode.INVALID_JSON),
    ('"ping"', ErrorCode.INVALID_MESSAGE),
    ("{}", ErrorCode.INVALID_MESSAGE),
    ('{"type": null}', ErrorCode.INVALID_MESSAGE),
    ('{"type": "PING"}', ErrorCode.UNKNOWN_TYPE),
    ('{"type": "ping", "id": 1}', ErrorCode.INVALID_MESSAGE),
])
def test_bad_frames_map_to_their_error_codes(text: str, code: ErrorCode) -> None:
    """Each kind of bad frame is refused with the code a client can act on, never an exception."""
    result = parse(text)
    assert isinstance(result, FrameError) and result.code == code


def test_binary_frame_is_refused_as_invalid_message() -> None:
    """Binary frames are not part of the protocol."""
    result = parse(None, b"\x00")
    assert isinstance(result, FrameError) and result.code == ErrorCode.INVALID_MESSAGE


def test_schema_errors_point_at_the_field_without_the_union_tag() -> None:
    """A schema error names the failing field as a JSON pointer into the frame."""
    result = parse('{"type": "ping", "extra": 1}')
    assert result.details["errors"][0]["pointer"] == "/extra"


def test_depth_limit_is_exact() -> None:
    """Nesting up to the limit is read; one level more is refused."""
    assert json_depth([[[]]], 10) == 3
    at_limit = '{"type": "ping", "x": ' + "[" * 3 + "]" * 3 + "}"
    # Four levels (the object and three lists): read at a limit of 4, then refused by the schema.
    assert parse(at_limit, depth=4).code == ErrorCode.INVALID_MESSAGE
    assert parse(at_limit, depth=3).code == ErrorCode.INVALID_JSON


def test_json_pointer_escapes_per_rfc_6901() -> None:
    """`~` and `/` in keys are escaped so a pointer is unambiguous."""
    assert json_pointer(("a/b", "c~d", 0)) == "/a~1b/c~0d/0"
