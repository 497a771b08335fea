"""On a Redis Cluster, commands beyond the pool size wait for a turn, within the pool timeout."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from notifyhub.backends.redis import redis_client
from notifyhub.settings import Settings
from redis.exceptions import MaxConnectionsError


def cluster_client(timeout: float):
    return redis_client(Settings(redis_url="redis://127.0.0.1:7000/0", redis_cluster=True, redis_pool_size=2,
                                 redis_pool_timeout_seconds=timeout))


async def test_a_command_beyond_the_pool_waits_for_a_turn_to_be_released() -> None:
    """With both turns held, a third waits (instead of failing at once) and gets the first freed."""
    client = cluster_client(timeout=5)
    async with contextlib.AsyncExitStack() as held:
        for _ in range(2):
            await held.enter_async_context(client.connection_turn())
        waiting = asyncio.create_task(client.connection_turn().__aenter__())
        done, _ = await asyncio.wait({waiting}, timeout=0.1)
        assert not done
    await asyncio.wait_for(waiting, 1)

async def test_no_turn_within_the_pool_timeout_is_a_named_error() -> None:
    """A command that gets no turn within NOTIFYHUB_REDIS_POOL_TIMEOUT_SECONDS is refused with a
    MaxConnectionsError saying so (the hub answers 503 / 1013 and logs it)."""
    client = cluster_client(timeout=0.05)
    async with client.connection_turn(), client.connection_turn():
        with pytest.raises(MaxConnectionsError, match="no free Redis Cluster connection within 0.05 s"):
            async with client.connection_turn():
                pass
