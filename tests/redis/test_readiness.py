"""Readiness follows the Redis a hub depends on, for real: each test starts its own
redis-server, kills or stalls it, and probes the hub as an orchestrator would."""

from __future__ import annotations

import time

import pytest

from tests.redis.faults import fault_settings, running_hubs
from tests.support.probes import probe_until
from tests.support.redis_server import own_redis

pytestmark = pytest.mark.redis

READINESS_TIMEOUT_SECONDS = 0.5


async def test_readiness_fails_while_redis_is_down_and_recovers_after_a_restart() -> None:
    """Redis killed: /readyz answers 503 `backend_unavailable` (quickly, never hanging) while
    /healthz stays 200; Redis started again: /readyz is 200 again."""
    with own_redis() as server:
        settings = fault_settings(server.url, readiness_timeout_seconds=READINESS_TIMEOUT_SECONDS)
        async with running_hubs(1, settings) as (hub,):
            await probe_until(hub.base_url, "/readyz", 200)
            server.stop()
            down = await probe_until(hub.base_url, "/readyz", 503, answer_within=READINESS_TIMEOUT_SECONDS + 1)
            assert down.json()["status"] == "not_ready"
            assert down.json()["reason"] == "backend_unavailable"
            assert (await hub.get("/healthz", key=None)).status_code == 200
            server.start()
            assert (await probe_until(hub.base_url, "/readyz", 200)).json() == {"status": "ready"}


async def test_readiness_fails_within_its_timeout_while_redis_stalls() -> None:
    """Redis stopped with SIGSTOP (connections open, nothing answered): /readyz answers 503 within
    NOTIFYHUB_READINESS_TIMEOUT_SECONDS and a margin, saying Redis did not answer in time;
    once Redis resumes, the hub is ready again."""
    with own_redis() as server:
        # The pub/sub listener notices a stall only after three health checks (6 s here): the
        # probe's PING is what notices it first.
        settings = fault_settings(server.url, readiness_timeout_seconds=READINESS_TIMEOUT_SECONDS,
                                  redis_health_check_seconds=2.0)
        async with running_hubs(1, settings) as (hub,):
            await probe_until(hub.base_url, "/readyz", 200)
            server.pause()
            try:
                started = time.monotonic()
                stalled = await hub.get("/readyz", key=None, timeout=READINESS_TIMEOUT_SECONDS + 2)
                elapsed = time.monotonic() - started
            finally:
                server.resume()
            assert stalled.status_code == 503
            assert stalled.json()["reason"] == "backend_unavailable"
            assert stalled.json()["detail"] == f"the backend did not answer within {READINESS_TIMEOUT_SECONDS:g} s"
            assert READINESS_TIMEOUT_SECONDS <= elapsed < READINESS_TIMEOUT_SECONDS + 1, elapsed
            await probe_until(hub.base_url, "/readyz", 200)
