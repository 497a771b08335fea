"""Peers that send slowly or not at all: a request head or body has a time limit, after which
the connection is closed (408 where an answer can still be written), and real clients are
served all the while."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid

from tests.security.conftest import token
from tests.support.hubs import SERVICE_KEY, connect_client
from tests.support.raw_http import Outcome, post_head, send_until_closed

SLOWLORIS_SOCKETS = 300
SLACK = 1.5
"""Seconds a timeout may be late on a busy two-core machine."""


def endless_head() -> itertools.chain[bytes]:
    """A request head, byte by byte, that never ends."""
    start = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    return itertools.chain(iter([start[i:i + 1] for i in range(len(start))]), itertools.repeat(b"X"))


def notification(user_id: uuid.UUID, title: str = "Hello", padding: int = 0) -> bytes:
    body = json.dumps({"user_ids": [str(user_id)], "message": {"type": "notification", "payload": {
        "title": title, "message": "from a test", "level": "info"}}}).encode()
    return body + b" " * padding


def assert_timed_out(outcome: Outcome, timeout: float) -> None:
    assert outcome.status == 408, outcome.received[:300]
    assert b'"request_timeout"' in outcome.received
    assert outcome.seconds < timeout + SLACK, f"closed after {outcome.seconds:.2f} s"


async def test_slowloris_sockets_are_closed_while_real_clients_are_served(start_process_hub) -> None:
    """300 sockets sending a head one byte per 0.2 s are all answered 408 and closed within the
    head timeout (1 s), while a real client connects and receives a message meanwhile."""
    hub = await start_process_hub(request_head_timeout_seconds=1)
    attackers = [asyncio.create_task(send_until_closed(hub.port, endless_head(), pause=0.2, timeout=5))
                 for _ in range(SLOWLORIS_SOCKETS)]

    user_id = uuid.uuid4()
    started = time.monotonic()
    client = await connect_client(hub.ws_url, token(user_id))
    try:
        await client.receive_type("connection_established")
        reader, writer = await asyncio.open_connection("127.0.0.1", hub.port)
        body = notification(user_id, "during the attack")
        writer.write(post_head("/api/v1/messages", f"Authorization: Bearer {SERVICE_KEY}",
                               "Content-Type: application/json", f"Content-Length: {len(body)}") + body)
        frame = await client.receive_type("notification", timeout=2)
        served_after = time.monotonic() - started
        writer.close()
    finally:
        await client.close()
    outcomes = await asyncio.gather(*attackers)

    assert frame["payload"]["title"] == "during the attack"
    assert served_after < 1.0, f"the real client waited {served_after:.2f} s"
    for outcome in outcomes:
        assert_timed_out(outcome, 1.0)


async def test_an_idle_socket_is_closed_silently(start_process_hub) -> None:
    """A socket that sends nothing is closed after the head timeout, with no answer."""
    hub = await start_process_hub(request_head_timeout_seconds=1)
    outcome = await send_until_closed(hub.port, [], timeout=5)
    assert outcome.received == b""
    assert 0.9 < outcome.seconds < 1 + SLACK


def publish_head(*headers: str) -> bytes:
    return post_head("/api/v1/messages", f"Authorization: Bearer {SERVICE_KEY}",
                     "Content-Type: application/json", *headers)


async def test_a_body_shorter_than_its_content_length_times_out(start_process_hub) -> None:
    """A publish whose body stops short of its Content-Length is answered 408 and closed once
    no byte came for the body idle timeout (1 s)."""
    hub = await start_process_hub(request_body_idle_timeout_seconds=1, request_body_timeout_seconds=30)
    body = notification(uuid.uuid4())
    outcome = await send_until_closed(
        hub.port, [publish_head(f"Content-Length: {len(body) + 100}") + body], timeout=5)
    assert_timed_out(outcome, 1.0)


async def test_a_chunked_body_that_never_ends_times_out(start_process_hub) -> None:
    """A chunked publish body that keeps coming (a chunk every 0.3 s, inside the idle timeout)
    but never ends is answered 408 and closed at the whole-body timeout (2 s)."""
    hub = await start_process_hub(request_body_idle_timeout_seconds=1, request_body_timeout_seconds=2)
    chunks = itertools.chain([publish_head("Transfer-Encoding: chunked") + b"1\r\n{\r\n"],
                             itertools.repeat(b"1\r\n \r\n", 100))
    outcome = await send_until_closed(hub.port, chunks, pause=0.3, timeout=6)
    assert_timed_out(outcome, 2.0)
    assert outcome.seconds > 1.9
