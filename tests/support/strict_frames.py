"""A strict reader of the frames a server writes (RFC 6455 section 5), written independently of
the hub and of `websockets`, to check the hub's frames byte for byte."""

from __future__ import annotations

import struct
from dataclasses import dataclass

TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA
VALID_OPCODES = {0x0, TEXT, BINARY, CLOSE, PING, PONG}


class FrameViolation(AssertionError):
    """The bytes are not a frame a conforming server may send."""


@dataclass(frozen=True)
class Frame:
    fin: bool
    opcode: int
    payload: bytes

    @property
    def close_code(self) -> int | None:
        return struct.unpack("!H", self.payload[:2])[0] if self.opcode == CLOSE and self.payload else None

    @property
    def close_reason(self) -> str:
        return self.payload[2:].decode("utf-8")


def valid_close_code(code: int) -> bool:
    """Codes a close frame may carry (RFC 6455 7.4.1 and the IANA registry; 3000-4999 for use)."""
    return code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014) or 3000 <= code <= 4999


def parse_frame(data: bytes) -> tuple[Frame, bytes]:
    """The first frame in data and the bytes after it. Raises FrameViolation for anything a
    server must not send: reserved bits, unknown opcodes, a mask, a length not in its shortest
    form, a control frame that is fragmented or over 125 bytes, a bad close payload, or text that
    is not UTF-8."""
    if len(data) < 2:
        raise FrameViolation("a frame has at least two bytes")
    first, second = data[0], data[1]
    fin, rsv, opcode = bool(first & 0x80), first & 0x70, first & 0x0F
    if rsv:
        raise FrameViolation(f"reserved bits set: {rsv:#x}")
    if opcode not in VALID_OPCODES:
        raise FrameViolation(f"unknown opcode {opcode:#x}")
    if second & 0x80:
        raise FrameViolation("a server must not mask its frames")
    length, offset = second & 0x7F, 2
    if length == 126:
        (length,) = struct.unpack("!H", data[2:4])
        offset = 4
        if length < 126:
            raise FrameViolation("16-bit length used for a length under 126")
    elif length == 127:
        (length,) = struct.unpack("!Q", data[2:10])
        offset = 10
        if length < 1 << 16 or length >> 63:
            raise FrameViolation("64-bit length used for a length under 65,536, or its top bit set")
    if len(data) < offset + length:
        raise FrameViolation(f"{length} payload bytes announced, {len(data) - offset} present")
    frame = Frame(fin, opcode, data[offset:offset + length])
    _check_payload(frame)
    return frame, data[offset + length:]


def _check_payload(frame: Frame) -> None:
    if frame.opcode >= CLOSE:
        if not frame.fin:
            raise FrameViolation("a control frame must not be fragmented")
        if len(frame.payload) > 125:
            raise FrameViolation("a control frame carries at most 125 bytes")
    if frame.opcode == CLOSE and frame.payload:
        if len(frame.payload) < 2:
            raise FrameViolation("a close payload is empty or starts with a two-byte code")
        if not valid_close_code(frame.close_code):
            raise FrameViolation(f"invalid close code {frame.close_code}")
        _utf8(frame.payload[2:], "close reason")
    if frame.opcode == TEXT and frame.fin:
        _utf8(frame.payload, "text frame")


def _utf8(data: bytes, what: str) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FrameViolation(f"{what} is not UTF-8: {exc}") from exc
