"""Open sockets are limited below the process's open-file limit: past `max_connections` a new
socket is refused at once with 503, in a log line that a flood cannot multiply, and idle sockets
can never take the hub offline."""

from __future__ import annotations

import asyncio
import time

from tests.security.conftest import token
from tests.support.hubs import connect_client, wait_until
from tests.support.raw_http import close_all, exchange, get_request, open_socket, read_response

LIMIT = 50
REFUSED = 30


async def test_past_the_connection_limit_a_socket_is_refused_at_once(start_process_hub) -> None:
    """With `max_connections=50` and 50 idle sockets open, every further socket gets 503
    `server_busy` at once (without sending anything); the refusals are logged at most once a
    second; once the idle sockets are gone, new clients are served again."""
    hub = await start_process_hub(max_connections=LIMIT, request_head_timeout_seconds=30)
    assert any("open-file limit" in line and f"at most {LIMIT} connections" in line for line in hub.output)
    idle = [(await open_socket(hub.port))[1] for _ in range(LIMIT)]
    try:
        started = time.monotonic()
        for _ in range(REFUSED):
            reader, writer = await open_socket(hub.port)
            try:
                response = await read_response(reader, timeout=1.0)
            finally:
                writer.transport.abort()
            assert response.status == 503
            assert response.error == "server_busy"
            assert response.headers.get("retry-after") == "1"
        elapsed = time.monotonic() - started
        await wait_until(lambda: any("refusing connections" in line for line in hub.output))
        reports = [line for line in hub.output if "refusing connections" in line]
        assert 1 <= len(reports) <= 1 + elapsed, reports
    finally:
        close_all(idle)

    async def served() -> bool:
        response, _ = await exchange(hub.port, get_request("/healthz"))
        return response.status == 200

    async with asyncio.timeout(5):
        while not await served():  # the hub notices the closed sockets on its own
            await asyncio.sleep(0.05)
    client = await connect_client(hub.ws_url, token())
    try:
        await client.receive_type("connection_established")
    finally:
        await client.close()


async def test_the_open_file_limit_is_logged_at_start(start_process_hub) -> None:
    """`notifyhub serve` logs its open-file limit and the connection limit derived from it."""
    hub = await start_process_hub()
    lines = [line for line in hub.output if "open-file limit" in line]
    assert len(lines) == 1, hub.output
    assert "connections" in lines[0]
