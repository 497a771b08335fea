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

from tests.support.strict_frames import parse_frame


class RawClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, port: int, token: str, receive_buffer: int | None = None,
                      send_buffer: int | None = None) -> RawClient:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        if send_buffer is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
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

    async def read_raw_frame(self) -> bytes:
        """The next frame exactly as the server wrote it, header included."""
        head = await self.reader.readexactly(2)
        length, extended = head[1] & 0x7F, b""
        if length == 126:
            extended = await self.reader.readexactly(2)
            (length,) = struct.unpack("!H", extended)
        elif length == 127:
            extended = await self.reader.readexactly(8)
            (length,) = struct.unpack("!Q", extended)
        return head + extended + await self.reader.readexactly(length)

    async def read_frame(self) -> tuple[int, bytes]:
        """(opcode, payload) of the next frame from the server, checked strictly by
        `strict_frames.parse_frame` (RFC 6455 5.2; a close frame's code and UTF-8 reason too)."""
        frame, _ = parse_frame(await self.read_raw_frame())
        return frame.opcode, frame.payload

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


def parse_close(payload: bytes) -> tuple[int | None, str]:
    """(code, reason) of a close frame's payload, which must be valid (see `strict_frames`)."""
    frame, _ = parse_frame(bytes([0x88, len(payload)]) + payload)
    return frame.close_code, frame.close_reason if payload else ""


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
