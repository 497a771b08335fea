"""Request heads from anyone, before authentication: too long, too many fields, never ending,
huge tokens, HTTP/1.0 upgrades. Each gets an answer and a closed socket, at once and without
the hub buffering what it refused."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from tests.security.conftest import token
from tests.support.raw_http import (
    closed_by_server,
    get_latency,
    get_request,
    open_socket,
    read_response,
    rss_bytes,
    send_until_closed,
    upgrade_headers,
)

HEAD_LIMIT = 16 * 1024
KERNEL_SLACK = 1 << 20
"""Bytes a refused sender may still push into loopback buffers before the reset reaches it."""


async def stream_headers(port: int, head: bytes, chunk: bytes, *, cap: int,
                         pause: float = 0.0) -> tuple[int, bytes]:
    """Send head, then chunk after chunk (up to cap bytes) of a head that never ends, until the
    server answers or closes; return (bytes sent, what the server sent back)."""
    chunks = itertools.chain([head], itertools.repeat(chunk, cap // len(chunk)))
    outcome = await send_until_closed(port, chunks, pause=pause, timeout=10)
    return outcome.sent, outcome.received


REQUEST_START = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
FILLER = b"X-Filler: " + b"a" * 1000 + b"\r\n"


def status_of(received: bytes) -> int:
    assert received.startswith(b"HTTP/1.1 "), received[:200]
    return int(received.split(b" ", 2)[1])


async def test_endless_headers_are_refused_after_the_head_limit(start_process_hub) -> None:
    """A client streaming header fields forever gets 431 and is closed after about
    `max_request_head_bytes`, and 20 of them at once leave the hub's memory where it was."""
    hub = await start_process_hub()
    await get_latency(hub.port)
    await stream_headers(hub.port, REQUEST_START, FILLER, cap=1 << 20)  # warm up
    before = rss_bytes(hub.process.pid)

    results = await asyncio.gather(*(stream_headers(hub.port, REQUEST_START, FILLER, cap=64 << 20)
                                     for _ in range(20)))

    grown = rss_bytes(hub.process.pid) - before
    for sent, received in results:
        assert status_of(received) == 431
        assert b'"request_head_too_large"' in received
        assert sent <= HEAD_LIMIT + KERNEL_SLACK, f"the hub kept reading: {sent} bytes"
    assert grown < 4 << 20, f"RSS grew by {grown / 2**20:.1f} MiB"


async def test_an_endless_header_value_does_not_delay_other_clients(start_process_hub) -> None:
    """While ten clients each send one header value that never ends, 256 bytes every 10 ms,
    `/healthz` still answers another client within 200 ms, and each attacker gets 431."""
    hub = await start_process_hub()
    await get_latency(hub.port)

    def attack() -> asyncio.Task[tuple[int, bytes]]:
        return asyncio.create_task(stream_headers(hub.port, REQUEST_START + b"X-Endless: ", b"v" * 256,
                                                  cap=1 << 20, pause=0.01))

    attacks = [attack() for _ in range(10)]
    latencies = []
    deadline = time.monotonic() + 10
    while not all(task.done() for task in attacks) and time.monotonic() < deadline:
        latencies.append(await get_latency(hub.port))
    results = await asyncio.gather(*attacks)

    for sent, received in results:
        assert status_of(received) == 431
        assert sent <= HEAD_LIMIT + KERNEL_SLACK
    assert len(latencies) >= 5
    assert max(latencies) < 0.2, f"/healthz took up to {max(latencies) * 1000:.0f} ms"


OVERSIZED = [
    pytest.param("/healthz", (f"Cookie: session={'c' * 9000}",), 431, id="cookie-9KB-healthz"),
    pytest.param("/api/v1/ws", (*upgrade_headers("notifyhub.v1"), f"Cookie: session={'c' * 9000}"), 431,
                 id="cookie-9KB-ws"),
    pytest.param("/healthz", tuple(f"X-Field-{i}: {i}" for i in range(101)), 431, id="101-headers-healthz"),
    pytest.param("/api/v1/ws", (*upgrade_headers("notifyhub.v1"), *(f"X-Field-{i}: {i}" for i in range(101))),
                 431, id="101-headers-ws"),
    pytest.param(f"/healthz?pad={'p' * 9000}", (), 414, id="target-9KB-healthz"),
    pytest.param(f"/api/v1/ws?pad={'p' * 9000}", upgrade_headers("notifyhub.v1"), 414, id="target-9KB-ws"),
]


@pytest.mark.parametrize(("path", "headers", "status"), OVERSIZED)
async def test_an_oversized_head_is_answered_and_closed(start_process_hub, path: str,
                                                        headers: tuple[str, ...], status: int) -> None:
    """A header line over 8 KiB or more than 100 fields gets 431, a target over 8 KiB gets 414,
    on the WebSocket path as on any other: an answer at once, then a closed socket, not a hang."""
    hub = await start_process_hub()
    reader, writer = await open_socket(hub.port)
    try:
        writer.write(get_request(path, *headers))
        response = await read_response(reader, timeout=1.0)
        assert response.status == status
        assert response.error == ("request_target_too_large" if status == 414 else "request_head_too_large")
        assert await closed_by_server(reader, timeout=1.0) == b""
    finally:
        writer.transport.abort()


def huge_token_request(place: str, size: int) -> bytes:
    huge = (token() + "A" * size)[:size]
    if place == "authorization":
        return get_request("/api/v1/ws", *upgrade_headers(), f"Authorization: Bearer {huge}")
    if place == "subprotocol":
        return get_request("/api/v1/ws", *upgrade_headers("notifyhub.v1", f"bearer.{huge}"))
    return get_request(f"/api/v1/ws?token={huge}", *upgrade_headers())


@pytest.mark.parametrize("size", [100_000, 1_000_000], ids=["100KB", "1MB"])
@pytest.mark.parametrize(("place", "status"), [("authorization", 431), ("subprotocol", 431), ("query", 414)])
async def test_a_huge_token_gets_an_answer_within_a_second(start_process_hub, place: str, status: int,
                                                           size: int) -> None:
    """A 100 KB or 1 MB token in the Authorization header, the subprotocol offer or the query
    is answered (431, or 414 in the target) within a second; the socket is then closed."""
    hub = await start_process_hub()
    reader, writer = await open_socket(hub.port)
    started = time.monotonic()
    try:
        writer.write(huge_token_request(place, size))
        received = await closed_by_server(reader, timeout=1.0)
        assert time.monotonic() - started < 1.0
        assert status_of(received) == status
    finally:
        writer.transport.abort()


async def test_an_http_1_0_upgrade_is_refused(start_process_hub) -> None:
    """An HTTP/1.0 request to upgrade `/api/v1/ws`, even with a valid token, gets 400
    `unsupported_http_version` and is never upgraded."""
    hub = await start_process_hub()
    reader, writer = await open_socket(hub.port)
    try:
        writer.write(get_request(f"/api/v1/ws?token={token()}", *upgrade_headers("notifyhub.v1"), version="1.0"))
        response = await read_response(reader, timeout=1.0)
        assert response.status == 400
        assert response.error == "unsupported_http_version"
        assert await closed_by_server(reader, timeout=1.0) == b""
    finally:
        writer.transport.abort()


@pytest.mark.parametrize(("announced", "body"), [
    ("Content-Length: 5", b""), ("Content-Length: 5", b"hello"), ("Transfer-Encoding: chunked", b"5\r\nhello\r\n")])
async def test_an_upgrade_announcing_a_body_is_refused_at_once(start_process_hub, announced: str, body: bytes) -> None:
    """A handshake that announces a body, sent or not, gets 400 `invalid_upgrade` as soon as its
    head is read: it is neither upgraded nor held open waiting for the body."""
    hub = await start_process_hub()
    reader, writer = await open_socket(hub.port)
    try:
        writer.write(get_request(f"/api/v1/ws?token={token()}", *upgrade_headers("notifyhub.v1"), announced) + body)
        response = await read_response(reader, timeout=1.0)
        assert (response.status, response.error) == (400, "invalid_upgrade")
        assert await closed_by_server(reader, timeout=1.0) == b""
    finally:
        writer.transport.abort()


async def test_an_upgrade_with_an_empty_body_is_upgraded(start_process_hub) -> None:
    """`Content-Length: 0` announces no body: the handshake goes on."""
    hub = await start_process_hub()
    reader, writer = await open_socket(hub.port)
    try:
        writer.write(get_request(f"/api/v1/ws?token={token()}", *upgrade_headers("notifyhub.v1"), "Content-Length: 0"))
        response = await read_response(reader, timeout=2.0)
        assert response.status == 101
    finally:
        writer.transport.abort()
