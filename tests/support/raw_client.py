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
        """(opcode, payload) of the next frame from the server (servers never mask)."""
        first, second = await self.reader.readexactly(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
        return first & 0x0F, await self.reader.readexactly(length)

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

    def send_frame(self, opcode: int, payload: bytes) -> None:
        """A final, masked frame of any opcode (a ping is 0x9)."""
        mask = os.urandom(4)
        header = bytes([0x80 | opcode]) + _length(len(payload), masked=True) + mask
        self.writer.write(header + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    async def read_close_code(self) -> int:
        """Skip frames until the server's close frame; return its code."""
        while True:
            opcode, payload = await self.read_frame()
            if opcode == 0x8:
                return struct.unpack("!H", payload[:2])[0]

    def send_text(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81]) + _length(len(payload), masked=True) + mask
        self.writer.write(header + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def close(self) -> None:
        self.writer.transport.abort()


def _length(length: int, masked: bool) -> bytes:
    bit = 0x80 if masked else 0
    if length < 126:
        return bytes([bit | length])
    if length < 1 << 16:
        return bytes([bit | 126]) + struct.pack("!H", length)
    return bytes([bit | 127]) + struct.pack("!Q", length)
