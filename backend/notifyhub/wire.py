"""WebSocket frames as the hub writes them (RFC 6455). Pure: bytes in, bytes out, no I/O.

Server frames are never masked, so a text frame's bytes are the same for every receiver: a
message is framed once and the same bytes are written to each connection.
"""

from __future__ import annotations

import struct

MAX_CLOSE_REASON_BYTES = 123
"""A close frame's payload is at most 125 bytes: two for the code, the rest for the reason."""


class OutgoingFrame:
    """One text frame for any number of receivers; its wire bytes are built once, on first use."""

    __slots__ = ("payload", "_wire")

    def __init__(self, payload: bytes) -> None:
        self.payload = payload
        self._wire: bytes | None = None

    def __len__(self) -> int:
        return len(self.payload)

    @property
    def wire(self) -> bytes:
        if self._wire is None:
            self._wire = text_frame_header(len(self.payload)) + self.payload
        return self._wire


def text_frame_header(length: int) -> bytes:
    """Header of a final, unmasked text frame of `length` payload bytes."""
    if length < 126:
        return bytes((0x81, length))
    if length < 1 << 16:
        return struct.pack("!BBH", 0x81, 126, length)
    return struct.pack("!BBQ", 0x81, 127, length)


def close_reason(reason: str) -> str:
    """`reason` cut to what a close frame can carry: at most 123 bytes of UTF-8, never half a
    character, and no lone surrogates."""
    encoded = reason.encode("utf-8", errors="replace")
    if len(encoded) <= MAX_CLOSE_REASON_BYTES:
        return encoded.decode("utf-8")
    return encoded[:MAX_CLOSE_REASON_BYTES].decode("utf-8", errors="ignore")
