"""redis-py's cluster client, whose commands wait for a free connection instead of failing.

redis-py's asyncio `RedisCluster` opens at most `max_connections` connections per node and
refuses a command at once (`MaxConnectionsError`, with no message) when its node has none free,
where a single Redis's `BlockingConnectionPool` waits. So that a burst (a reconnect storm of
handshakes) queues on a cluster as it does on one Redis, this client lets at most
`max_connections` commands be in flight at once, all nodes together: no node then needs more
connections than it may open, and a command waits its turn up to the pool timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio.cluster import RedisCluster
from redis.exceptions import MaxConnectionsError


class WaitingRedisCluster(RedisCluster):
    """A `RedisCluster` whose commands (and `connection_turn()` holders) are at most
    `max_connections` in flight; the others wait, in order, up to `pool_timeout` seconds."""

    def __init__(self, *args: Any, max_connections: int, pool_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, max_connections=max_connections, **kwargs)
        self._turns = asyncio.Semaphore(max_connections)
        self._pool_timeout = pool_timeout

    @contextlib.asynccontextmanager
    async def connection_turn(self) -> AsyncIterator[None]:
        """Hold one of the `max_connections` turns: one connection per node it talks to.

        Raises MaxConnectionsError when none is free within the pool timeout. Safe to cancel
        while waiting (the turn is not taken)."""
        try:
            if self._turns.locked():  # no timer for a turn that is free, as it is but in a burst
                async with asyncio.timeout(self._pool_timeout):
                    await self._turns.acquire()
            else:
                await self._turns.acquire()
        except TimeoutError:
            raise MaxConnectionsError(
                f"no free Redis Cluster connection within {self._pool_timeout:g} s") from None
        try:
            yield
        finally:
            self._turns.release()

    async def execute_command(self, *args: Any, **kwargs: Any) -> Any:
        """As `RedisCluster.execute_command`, once a turn is free (see `connection_turn`)."""
        async with self.connection_turn():
            return await super().execute_command(*args, **kwargs)
