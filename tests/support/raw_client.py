"""A WebSocket client that does the handshake and then only what a test tells it to.

The `websockets` client answers pings and reads in the background; a test of a silent or
stalled peer needs one that does neither.
"""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import struct


class RawClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, port: int, token: str, receive_buffer: int | None = None) -> RawClient:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
        reader, writer = await asyncio.open_connection(sock=sock)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write((f"GET /api/v1/ws?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        status = await reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in status.split(b"\r\n", 1)[0]:
            raise ConnectionError(status.decode(errors="replace"))
        return cls(reader, writer)

    async def read_frame(self) -> tuple[int, bytes]:
        """(opcode, payload) of the next frame from the server, checked strictly (RFC 6455 5.2):
        unmasked, no reserved bits, known opcode, control frames final and at most 125 bytes,
        lengths in their shortest form, and a close frame's payload valid (`parse_close`)."""
        first, second = await self.reader.readexactly(2)
        assert second & 0x80 == 0, "a server frame is masked"
        assert first & 0x70 == 0, f"reserved bits set: {first:#04x}"
        opcode, length = first & 0x0F, second & 0x7F
        assert opcode in (0x0, 0x1, 0x2, 0x8, 0x9, 0xA), f"unknown opcode {opcode:#x}"
        if length == 126:
            (length,) = struct.unpack("!H", await self.reader.readexactly(2))
            assert length >= 126, "a 16-bit length under 126"
        elif length == 127:
            (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
            assert 1 << 16 <= length < 1 << 63, "a 64-bit length under 65,536 or with the top bit set"
        if opcode >= 0x8:
            assert first & 0x80 and length <= 125, f"control frame {opcode:#x}: fragmented or {length} bytes"
        payload = await self.reader.readexactly(length)
        if opcode == 0x8:
            parse_close(payload)
        return opcode, payload

    async def read_close(self) -> tuple[int | None, str]:
        """Skip frames until the server's close frame; return its (code, reason)."""
        while True:
            opcode, payload = await self.read_frame()
            if opcode == 0x8:
                return parse_close(payload)

    async def read_close_code(self) -> int:
        """Skip frames until the server's close frame; return its code."""
        code, _ = await self.read_close()
        assert code is not None, "a close frame without a code"
        return code

    def send_text(self, text: str) -> None:
        self.send_frame(0x1, text.encode())

    def send_frame(self, opcode: int, payload: bytes) -> None:
        """Write one final, masked frame (as every client frame must be)."""
        self.writer.write(masked_frame(opcode, payload))

    def close(self) -> None:
        self.writer.transport.abort()


VALID_CLOSE_CODES = frozenset({1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014})
"""Close codes an endpoint may send (RFC 6455 7.4.1 and the IANA registry); 3000-4999 too."""


def parse_close(payload: bytes) -> tuple[int | None, str]:
    """(code, reason) of a close frame's payload, which must be valid: empty, or a code an
    endpoint may send followed by at most 123 bytes of strict UTF-8 (RFC 6455 5.5.1, 7.4)."""
    assert len(payload) != 1, "a close payload of one byte"
    assert len(payload) <= 125, f"a close payload of {len(payload)} bytes"
    if not payload:
        return None, ""
    (code,) = struct.unpack("!H", payload[:2])
    assert code in VALID_CLOSE_CODES or 3000 <= code <= 4999, f"close code {code} may not be sent"
    reason = payload[2:].decode("utf-8")  # strict: raises on invalid UTF-8 or a lone surrogate
    return code, reason


def masked_frame(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    header = bytes([0x80 | opcode]) + _length(len(payload), masked=True) + mask
    key = (mask * (len(payload) // 4 + 1))[:len(payload)]
    return header + (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(len(payload), "big")


def _length(length: int, masked: bool) -> bytes:
    bit = 0x80 if masked else 0
    if length < 126:
        return bytes([bit | length])
    if length < 1 << 16:
        return bytes([bit | 126]) + struct.pack("!H", length)
    return bytes([bit | 127]) + struct.pack("!Q", length)
