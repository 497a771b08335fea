"""The frames the hub builds itself, read back by an independent strict parser."""

from __future__ import annotations

import pytest
from notifyhub.wire import MAX_CLOSE_REASON_BYTES, OutgoingFrame, close_reason, text_frame_header

from tests.support.strict_frames import TEXT, FrameViolation, parse_frame

LENGTH_CLASSES = [0, 1, 125, 126, 127, 65_535, 65_536, 70_000, 1 << 20]


@pytest.mark.parametrize("length", LENGTH_CLASSES)
def test_text_frames_of_every_length_class_parse_strictly(length: int) -> None:
    """A message of any size is one final, unmasked text frame with the shortest length form."""
    payload = ("é" * (length // 2) + "a" * (length % 2)).encode()
    assert len(payload) == length
    frame, rest = parse_frame(OutgoingFrame(payload).wire)
    assert (frame.fin, frame.opcode, frame.payload, rest) == (True, TEXT, payload, b"")


@pytest.mark.parametrize("length, header_bytes", [(125, 2), (126, 4), (65_535, 4), (65_536, 10)])
def test_the_header_uses_the_shortest_length_form(length: int, header_bytes: int) -> None:
    """7-bit lengths up to 125, 16-bit up to 65,535, 64-bit beyond."""
    assert len(text_frame_header(length)) == header_bytes


def test_the_strict_parser_refuses_what_a_server_must_not_send() -> None:
    """The checker itself can fail: a masked frame, a long form for a short length, a bad close."""
    for bad in (b"\x81\x80\x00\x00\x00\x00", b"\x81\x7e\x00\x05hello", b"\x88\x02\x03\xe7", b"\x89\x7e\x00\x7e" + b"x" * 126):
        with pytest.raises(FrameViolation):
            parse_frame(bad)


@pytest.mark.parametrize("reason", ["", "short", "é" * 200, "a" * 122 + "é", "\ud800 lone", "日本" * 50])
def test_close_reasons_fit_a_close_frame_as_utf8(reason: str) -> None:
    """A reason is cut to at most 123 bytes of valid UTF-8, never in the middle of a character."""
    cut = close_reason(reason)
    encoded = cut.encode("utf-8")
    assert len(encoded) <= MAX_CLOSE_REASON_BYTES
    assert reason.startswith(cut) or "\ud800" in reason
