"""The fallback schedule across Redis faults: messages that come due while redis-server is
stalled (SIGSTOP) or killed and restarted from its append-only file are each sent once when it
is back, and the schedule is then empty, so none comes due again."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as redis

from notifyhub.backends.redis_schedule import FALLBACK_BUCKETS
from notifyhub.backends.redis_streams import RedisKeys
from tests.redis.test_fallback_takeover import metric, publish
from tests.support.hubs import serve_subprocess
from tests.support.redis_server import RedisProcess, own_redis
from tests.support.webhook_receiver import SECRET, webhook_receiver

pytestmark = pytest.mark.redis

MESSAGES = 8
PREFIX = "fallback-faults"
AOF = ("--appendonly", "yes", "--appendfsync", "always")
SENT = 'notifyhub_fallback_deliveries_total{channel="webhook",outcome="sent"}'
OUTAGE_SECONDS = 4.0
"""Longer than the 3 s after which the messages are due: they come due during the outage."""


def hub_env(redis_url: str, webhook_url: str) -> dict[str, str]:
    return {"backend": "redis", "redis_url": redis_url, "redis_prefix": PREFIX,
            "redis_health_check_seconds": "0.5", "webhook_url": webhook_url, "webhook_secret": SECRET,
            "webhook_timeout_seconds": "5", "webhook_attempts": "3", "webhook_backoff_cap_seconds": "0.2",
            "fallback_delay_scale": "0.01", "fallback_poll_seconds": "0.1", "fallback_lease_seconds": "20"}


async def scheduled(url: str) -> int:
    """Entries left in the schedule, in every bucket."""
    keys, client = RedisKeys(PREFIX), redis.Redis.from_url(url)
    try:
        return sum([await client.zcard(keys.fallback_due(bucket)) for bucket in range(FALLBACK_BUCKETS)])
    finally:
        await client.aclose()


async def stall(server: RedisProcess) -> None:
    server.pause()
    await asyncio.sleep(OUTAGE_SECONDS)  # the outage itself: nothing to await but time
    server.resume()


async def kill_and_restart(server: RedisProcess) -> None:
    server.stop()
    await asyncio.sleep(OUTAGE_SECONDS)
    server.start()


@pytest.mark.parametrize("fault", [stall, kill_and_restart], ids=["stalled", "killed-and-restarted"])
async def test_messages_due_during_a_redis_outage_are_each_sent_once_after_it(fault) -> None:
    """Every message due while Redis was away reaches the webhook once it is back, none twice,
    and nothing is left scheduled to come due again."""
    with own_redis(*AOF) as server, webhook_receiver() as receiver:
        async with serve_subprocess(**hub_env(server.url, receiver.url)) as hub:
            ids = await publish(hub, [uuid.uuid4() for _ in range(MESSAGES)])
            assert await scheduled(server.url) == MESSAGES
            await fault(server)
            try:
                await asyncio.to_thread(receiver.wait_for, MESSAGES, 30)
                async with asyncio.timeout(30):
                    while await metric(hub, SENT) < MESSAGES or await scheduled(server.url):
                        await asyncio.sleep(0.1)
            except TimeoutError:
                pytest.fail(f"received {receiver.ids()}; hub said:\n{''.join(hub.output)}")
            assert sorted(receiver.ids()) == sorted(ids)  # every message, none twice
            assert await metric(hub, SENT) == MESSAGES
