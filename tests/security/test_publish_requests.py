"""The service API judges a publish by its head: the key and the declared size are checked
before any body is read, and bodies being read share a bounded memory budget."""

from __future__ import annotations

import asyncio
import itertools
import uuid

from tests.security.test_slow_peers import notification
from tests.support.hubs import SERVICE_KEY
from tests.support.raw_http import (
    close_all,
    get_latency,
    open_socket,
    post_head,
    read_response,
    rss_bytes,
    send_until_closed,
)

ALMOST_A_MIB = (1 << 20) - 1


def publish_head(key: str | None, *headers: str) -> bytes:
    authorization = (f"Authorization: Bearer {key}",) if key else ()
    return post_head("/api/v1/messages", *authorization, "Content-Type: application/json", *headers)


async def test_unauthenticated_publishes_are_refused_before_their_body(start_process_hub) -> None:
    """300 publishes without a valid key, each declaring a body of 1 MiB - 1 and sending only
    the head, all get 401 at once; the hub's memory does not grow with what they declared."""
    hub = await start_process_hub()
    await get_latency(hub.port)
    before = rss_bytes(hub.process.pid)

    async def refused(key: str | None) -> tuple[int, str | None]:
        reader, writer = await open_socket(hub.port)
        try:
            writer.write(publish_head(key, f"Content-Length: {ALMOST_A_MIB}"))
            response = await read_response(reader, timeout=5.0)
            return response.status, response.error
        finally:
            writer.transport.abort()

    answers = await asyncio.gather(*(refused(None if i % 2 else "not-the-key") for i in range(300)))

    grown = rss_bytes(hub.process.pid) - before
    assert {status for status, _ in answers} == {401}
    assert {error for _, error in answers} == {"invalid_service_key"}
    assert grown < 8 << 20, f"RSS grew by {grown / 2**20:.1f} MiB"


async def test_a_declared_size_over_the_limit_is_refused_at_once(start_process_hub) -> None:
    """A publish with a valid key declaring a 100 MB body gets 413 without sending any of it."""
    hub = await start_process_hub()
    reader, writer = await open_socket(hub.port)
    try:
        writer.write(publish_head(SERVICE_KEY, "Content-Length: 100000000"))
        response = await read_response(reader, timeout=1.0)
    finally:
        writer.transport.abort()
    assert response.status == 413
    assert response.error == "body_too_large"


async def test_expect_continue_is_answered_after_the_key_is_checked(start_process_hub) -> None:
    """`Expect: 100-continue` with a valid key gets `100 Continue`, then 202 for the body; with
    a wrong key it gets 401 and no 100."""
    hub = await start_process_hub()
    body = notification(uuid.uuid4())
    reader, writer = await open_socket(hub.port)
    try:
        writer.write(publish_head(SERVICE_KEY, f"Content-Length: {len(body)}", "Expect: 100-continue"))
        assert (await read_response(reader, timeout=1.0)).status == 100
        writer.write(body)
        response = await read_response(reader, timeout=2.0)
        assert response.status == 202, response
    finally:
        writer.transport.abort()

    reader, writer = await open_socket(hub.port)
    try:
        writer.write(publish_head("not-the-key", f"Content-Length: {len(body)}", "Expect: 100-continue"))
        response = await read_response(reader, timeout=1.0)
        assert response.status == 401
        assert b"100 Continue" not in await reader.read()
    finally:
        writer.transport.abort()


BUDGET = 2 << 20
UPLOAD = 900 * 1024


async def test_declared_bodies_past_the_memory_budget_are_refused(start_process_hub) -> None:
    """With `max_pending_request_bytes` = 2 MiB, two publishes declaring 900 KiB each are let in
    (100 Continue) and a third gets 503 `server_busy` at once; once one of the first is answered
    its share is free again."""
    hub = await start_process_hub(max_pending_request_bytes=BUDGET)
    body = notification(uuid.uuid4(), padding=UPLOAD - len(notification(uuid.uuid4())))
    head = publish_head(SERVICE_KEY, f"Content-Length: {len(body)}", "Expect: 100-continue")
    writers = []
    try:
        admitted = []
        for _ in range(2):
            reader, writer = await open_socket(hub.port)
            writers.append(writer)
            writer.write(head)
            assert (await read_response(reader, timeout=1.0)).status == 100
            admitted.append((reader, writer))
        reader, writer = await open_socket(hub.port)
        writers.append(writer)
        writer.write(head)
        response = await read_response(reader, timeout=1.0)
        assert response.status == 503
        assert response.error == "server_busy"

        reader, writer = admitted[0]
        writer.write(body)
        assert (await read_response(reader, timeout=2.0)).status == 202
        reader, writer = await open_socket(hub.port)
        writers.append(writer)
        writer.write(head)
        assert (await read_response(reader, timeout=1.0)).status == 100
    finally:
        close_all(writers)


async def test_chunked_bodies_past_the_memory_budget_are_refused(start_process_hub) -> None:
    """Four chunked publishes with a valid key, each sending 900 KiB and never finishing, against
    a 2 MiB budget: some are refused with 503 `server_busy` as soon as they cross it, the rest
    are held until the body idle timeout (408); a publish after them is served (202)."""
    hub = await start_process_hub(max_pending_request_bytes=BUDGET, request_body_idle_timeout_seconds=1)
    start = publish_head(SERVICE_KEY, "Transfer-Encoding: chunked") + b"1\r\n{\r\n"
    padding = b"%x\r\n%s\r\n" % (64 * 1024, b" " * 64 * 1024)

    def upload() -> itertools.chain[bytes]:
        return itertools.chain([start], itertools.repeat(padding, UPLOAD // (64 * 1024)))

    outcomes = await asyncio.gather(*(send_until_closed(hub.port, upload(), timeout=5) for _ in range(4)))

    statuses = sorted(outcome.status for outcome in outcomes)
    assert 503 in statuses and 408 in statuses and set(statuses) <= {408, 503}, statuses
    for outcome in outcomes:
        if outcome.status == 503:
            assert b'"server_busy"' in outcome.received
    body = notification(uuid.uuid4())
    reader, writer = await open_socket(hub.port)
    try:
        writer.write(publish_head(SERVICE_KEY, f"Content-Length: {len(body)}") + body)
        assert (await read_response(reader, timeout=2.0)).status == 202
    finally:
        writer.transport.abort()
