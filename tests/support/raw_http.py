"""Raw HTTP over a loopback socket: send exactly the bytes a test chooses (heads that never end,
bodies that never come) and read exactly what the server answers, or that it closed.

An HTTP client library would refuse to send most of what an attacker sends, and would hide
whether the server answered before or after the body.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error(self) -> str | None:
        """The `error` of a JSON refusal body, else None."""
        try:
            document = self.json()
        except ValueError:
            return None
        return document.get("error") if isinstance(document, dict) else None


async def open_socket(port: int, *, receive_buffer: int | None = None,
                      send_buffer: int | None = None) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A connection to 127.0.0.1:port, with the kernel's buffers made small when asked."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    if send_buffer is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
    sock.setblocking(False)
    try:
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    except BaseException:
        sock.close()
        raise
    return await asyncio.open_connection(sock=sock, limit=1 << 20)


async def read_response(reader: asyncio.StreamReader, timeout: float = 2.0) -> RawResponse:
    """The next response (interim ones like 100 Continue included); its body by Content-Length."""
    async with asyncio.timeout(timeout):
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        body = await reader.readexactly(length) if length else b""
    return RawResponse(status, headers, body)


async def closed_by_server(reader: asyncio.StreamReader, timeout: float) -> bytes:
    """Everything the server still sends until it closes the connection (EOF or reset).

    Raises TimeoutError if the connection is still open after timeout seconds.
    """
    received = bytearray()
    async with asyncio.timeout(timeout):
        while True:
            try:
                data = await reader.read(65536)
            except (ConnectionResetError, BrokenPipeError):
                return bytes(received)
            if not data:
                return bytes(received)
            received += data


@dataclass
class Outcome:
    """How a connection that sent until the server closed it ended."""

    sent: int
    received: bytes
    seconds: float
    """From connecting until the server closed the connection."""

    @property
    def status(self) -> int | None:
        """The status of the first response received, None if the server sent nothing."""
        if not self.received:
            return None
        assert self.received.startswith(b"HTTP/1.1 "), self.received[:200]
        return int(self.received.split(b" ", 2)[1])


async def send_until_closed(port: int, chunks: Iterable[bytes], *, pause: float = 0.0,
                            timeout: float = 10.0, send_buffer: int = 16 * 1024) -> Outcome:
    """Send chunks, pause seconds apart, until the server closes the connection or they run out;
    read what the server sends meanwhile until it closes.

    A plain socket, not asyncio streams: when a server closes a connection whose input it did
    not read, the kernel resets it, and a stream would then drop the answer still to be read.
    Raises TimeoutError if the server has not closed the connection within timeout seconds.
    """
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
    sock.setblocking(False)
    received = bytearray()

    async def read_until_closed() -> None:
        while True:
            try:
                data = await loop.sock_recv(sock, 65536)
            except (ConnectionResetError, BrokenPipeError):
                return
            if not data:
                return
            received.extend(data)

    sent = 0
    started = time.monotonic()
    try:
        await loop.sock_connect(sock, ("127.0.0.1", port))
        reading = asyncio.create_task(asyncio.wait_for(read_until_closed(), timeout))
        try:
            for chunk in chunks:
                if reading.done():
                    break
                await loop.sock_sendall(sock, chunk)
                sent += len(chunk)
                if pause:
                    await asyncio.sleep(pause)  # the sender's pace, not synchronisation
        except (ConnectionResetError, BrokenPipeError):
            pass
        finally:
            await reading
    finally:
        sock.close()
    return Outcome(sent, bytes(received), time.monotonic() - started)


async def exchange(port: int, request: bytes, timeout: float = 2.0) -> tuple[RawResponse, float]:
    """Send request on a new connection; its response and the seconds it took."""
    reader, writer = await open_socket(port)
    started = time.monotonic()
    try:
        writer.write(request)
        response = await read_response(reader, timeout)
        return response, time.monotonic() - started
    finally:
        writer.transport.abort()


def get_request(path: str, *headers: str, version: str = "1.1") -> bytes:
    lines = [f"GET {path} HTTP/{version}", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode("latin-1")


def upgrade_headers(*subprotocols: str) -> tuple[str, ...]:
    """The headers of a WebSocket upgrade request (RFC 6455 section 4.1)."""
    headers = ("Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
               "Sec-WebSocket-Version: 13")
    if subprotocols:
        headers += (f"Sec-WebSocket-Protocol: {', '.join(subprotocols)}",)
    return headers


def post_head(path: str, *headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode("latin-1")


async def get_latency(port: int, path: str = "/healthz") -> float:
    """Seconds to get a 200 for path on a new connection."""
    response, seconds = await exchange(port, get_request(path), timeout=5.0)
    assert response.status == 200, response
    return seconds


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise LookupError(f"no VmRSS for process {pid}")


def close_all(writers: list[asyncio.StreamWriter]) -> None:
    for writer in writers:
        with contextlib.suppress(Exception):
            writer.transport.abort()
