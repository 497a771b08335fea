"""Liveness and readiness as an orchestrator probes them: a running hub is ready, and a hub told
to stop says it is draining while it still serves, then closes its clients."""

from __future__ import annotations

import asyncio
import signal
import uuid

import httpx
import pytest
from notifyhub.auth import issue_token
from websockets.exceptions import ConnectionClosed

from tests.support.hubs import SERVICE_KEY, RunningHub, connect_client, hub_settings, serve_subprocess
from tests.support.probes import probe_until

DRAIN_SECONDS = 5.0
"""Long enough for the test to probe, publish and receive while the hub drains, on a busy machine."""


async def test_a_running_hub_is_ready_and_alive(hub: RunningHub) -> None:
    """On either backend, a started hub answers /readyz 200 `ready` (the memory backend at once)
    and /healthz 200, with no key."""
    if hub.settings.backend == "memory":
        response = await hub.get("/readyz", key=None)
        assert response.status_code == 200
    else:  # the hub is ready once its pub/sub connection is up, moments after it starts
        response = await probe_until(hub.base_url, "/readyz", 200, timeout=5)
    assert response.json() == {"status": "ready"}
    assert (await hub.get("/healthz", key=None)).json() == {"status": "ok"}


async def test_a_draining_hub_is_alive_not_ready_and_still_serving() -> None:
    """After SIGTERM, with NOTIFYHUB_DRAIN_SECONDS set, /readyz answers 503 `draining` while
    /healthz answers 200 and open connections still get their messages; then they are closed
    with 1012 and the process exits."""
    user_id = uuid.uuid4()
    async with serve_subprocess(drain_seconds=str(DRAIN_SECONDS)) as hub:
        token = issue_token(hub_settings(), user_id, "learner@example.com", 3600)
        client = await connect_client(hub.ws_url, token)
        await client.receive_type("connection_established")
        await probe_until(hub.base_url, "/readyz", 200, timeout=5)

        hub.process.send_signal(signal.SIGTERM)
        response = await probe_until(hub.base_url, "/readyz", 503, timeout=DRAIN_SECONDS)
        assert response.json() == {"status": "not_ready", "reason": "draining",
                                   "detail": "shutdown has started; connections are being closed"}
        async with httpx.AsyncClient(base_url=hub.base_url) as http:
            assert (await http.get("/healthz")).status_code == 200
            sent = await http.post("/api/v1/messages", headers={"Authorization": f"Bearer {SERVICE_KEY}"},
                                   json={"user_ids": [str(user_id)], "message": {"type": "notification", "payload": {
                                       "title": "t", "message": "sent while draining", "level": "info"}}})
        assert sent.status_code == 202, sent.text
        frame = await client.receive_type("notification")
        assert frame["payload"]["message"] == "sent while draining"

        with pytest.raises(ConnectionClosed) as closed:
            await client.receive(timeout=DRAIN_SECONDS + 10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        # uvicorn re-raises the signal once it has shut down cleanly.
        assert await asyncio.wait_for(hub.process.wait(), 15) in (0, -signal.SIGTERM)
