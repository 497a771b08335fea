"""What only operators may read: metrics, stats and presence need a key or their own listener,
and nothing a client is told (its stream's epoch) reveals anything about other users."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid

import pytest

from tests.security.conftest import token
from tests.support.hubs import SERVICE_KEY, connect_client
from tests.support.raw_http import exchange, get_request

OPERATIONS = ["/metrics", "/api/v1/ws/stats", f"/api/v1/presence/{uuid.UUID(int=7)}"]


@pytest.mark.parametrize("path", OPERATIONS)
async def test_operations_endpoints_need_a_key(start_process_hub, path: str) -> None:
    """Without a key, or with a wrong one, an operations endpoint answers 401
    `operations_key_required`; with the service key it answers 200, and so do metrics and
    stats with an operations key."""
    hub = await start_process_hub(operations_keys="ops-key-for-tests")
    for headers in [(), ("Authorization: Bearer not-a-key",), ("Authorization: Basic b3BzOm9wcw==",)]:
        response, _ = await exchange(hub.port, get_request(path, *headers))
        assert response.status == 401, (headers, response)
        assert response.error == "operations_key_required"
    keys = (SERVICE_KEY,) if path.startswith("/api/v1/presence/") else (SERVICE_KEY, "ops-key-for-tests")
    for key in keys:
        response, _ = await exchange(hub.port, get_request(path, f"Authorization: Bearer {key}"))
        assert response.status == 200, (key, response)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_with_an_operations_port_they_are_served_only_there(start_process_hub) -> None:
    """With `operations_port` set, the operations endpoints answer on that port and 404 on the
    public port, even with the service key; the probes `/healthz` and `/readyz` answer on both,
    with no key."""
    operations_port = free_port()
    hub = await start_process_hub(operations_port=operations_port)
    async with asyncio.timeout(5):
        while not await accepts(operations_port):  # the listener opens after the start is logged
            await asyncio.sleep(0.05)
    for path in OPERATIONS:
        response, _ = await exchange(operations_port, get_request(path, f"Authorization: Bearer {SERVICE_KEY}"))
        assert response.status == 200, (path, response)
        response, _ = await exchange(hub.port, get_request(path, f"Authorization: Bearer {SERVICE_KEY}"))
        assert response.status == 404, (path, response)
    for port in (hub.port, operations_port):
        for probe in ("/healthz", "/readyz"):
            response, _ = await exchange(port, get_request(probe))
            assert response.status == 200, (port, probe, response)


async def accepts(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except ConnectionRefusedError:
        return False
    writer.transport.abort()
    return True


async def test_both_listeners_accept_once_the_hub_says_it_is_running(start_process_hub) -> None:
    """With `operations_port` set, once `notifyhub serve` logs that it is running, the public
    port and the operations port both accept connections (a supervisor may probe at once)."""
    operations_port = free_port()
    hub = await start_process_hub(operations_port=operations_port)
    assert await accepts(hub.port), "the public port is not listening yet"
    assert await accepts(operations_port), "the operations port is not listening yet"


def common_prefix(first: str, second: str) -> int:
    return len(os.path.commonprefix([first, second]))


async def test_epochs_reveal_nothing_about_other_users(start_process_hub) -> None:
    """The `epoch` six new users are given on a memory hub shares no prefix with another beyond
    chance (3 characters) and is not a counter: it says nothing about how many users came before."""
    hub = await start_process_hub()
    epochs = []
    for _ in range(6):
        client = await connect_client(hub.ws_url, token())
        try:
            epochs.append((await client.receive_type("connection_established"))["payload"]["epoch"])
        finally:
            await client.close()
    assert len(set(epochs)) == len(epochs), epochs
    longest = max(common_prefix(a, b) for i, a in enumerate(epochs) for b in epochs[i + 1:])
    assert longest <= 3, f"epochs share a {longest}-character prefix: {epochs}"
