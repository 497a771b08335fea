"""Bursts against hubs on Redis wait for a pooled connection instead of being refused."""

from __future__ import annotations

import asyncio
import signal
import uuid

import pytest
from notifyhub.auth import issue_token
from websockets.asyncio.client import connect

from tests.redis.faults import HEALTH_CHECK_SECONDS, notification, post
from tests.support.hubs import Client, hub_settings, serve_subprocess
from tests.support.redis_server import unique_prefix

pytestmark = pytest.mark.redis

STORM = 1000
POOL = "8"
"""A small pool, so that the storm has to queue for it."""


def burst_env(redis_url: str) -> dict[str, str]:
    return {"backend": "redis", "redis_url": redis_url, "redis_prefix": unique_prefix(),
            "redis_health_check_seconds": str(HEALTH_CHECK_SECONDS), "redis_timeout_seconds": "5",
            "redis_pool_size": POOL, "redis_pool_timeout_seconds": "60"}


def token(user_id: uuid.UUID) -> str:
    return issue_token(hub_settings(), user_id, "learner@example.com", 600)


async def established(ws_url: str, user_id: uuid.UUID, since: str | None = None) -> tuple:
    """Connect and read `connection_established` (a 1013 instead fails the test)."""
    url = ws_url if since is None else f"{ws_url}?since={since}"
    client = Client(await connect(url, subprotocols=["notifyhub.v1", f"bearer.{token(user_id)}"], open_timeout=60))
    frame = await client.receive_type("connection_established", timeout=60)
    return client, frame["payload"]


async def test_a_storm_of_connects_to_one_hub_is_admitted_in_full(private_redis) -> None:
    """1,000 simultaneous connects to one hub whose Redis pool has 8 connections: every one is
    admitted (none closed with 1013)."""
    async with serve_subprocess(**burst_env(private_redis.url)) as hub:
        users = [uuid.uuid4() for _ in range(STORM)]
        async with asyncio.timeout(120):
            results = await asyncio.gather(*(established(hub.ws_url, user) for user in users))
        assert [payload["user_id"] for _, payload in results] == [str(user) for user in users]
        await asyncio.gather(*(client.close() for client, _ in results))


async def test_every_client_of_a_killed_hub_is_admitted_by_the_survivor(private_redis) -> None:
    """When a hub is killed, all its clients move to the other hub at once: all are admitted,
    each resumes its stream exactly."""
    env = burst_env(private_redis.url)
    async with serve_subprocess(**env) as doomed, serve_subprocess(**env) as survivor:
        users = [uuid.uuid4() for _ in range(300)]
        async with asyncio.timeout(120):
            first = await asyncio.gather(*(established(doomed.ws_url, user) for user in users))
            sent = await post(survivor.base_url, notification(users, "before the kill"))
            assert sent.status_code == 202
            for client, _ in first:
                assert (await client.receive_type("notification", timeout=30))["seq"] == 1
            doomed.process.send_signal(signal.SIGKILL)
            await doomed.process.wait()
            moved = await asyncio.gather(*(established(survivor.ws_url, user, since=f"{payload['epoch']}:1")
                                           for user, (_, payload) in zip(users, first)))
        assert all(payload["recovered"] for _, payload in moved)
        await asyncio.gather(*(client.close() for client, _ in moved))
