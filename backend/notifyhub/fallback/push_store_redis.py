"""PushStore in Redis (see push_store.py for the keys): a user's subscriptions are one hash under
the user's hash tag, a sent record one key set with `SET NX` and an expiry."""

from __future__ import annotations

from uuid import UUID

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster

from ..backends.redis_races import unavailable_on_error
from ..backends.redis_streams import RedisKeys
from ..errors import PushSubscriptionLimitError
from .push_subscription import PushSubscription, subscription_id


# KEYS: the user's push hash. ARGV: subscription id, subscription (JSON), limit, then the ids of
# expired subscriptions to remove first. Returns 1 when added, 0 when replaced, -1 over the limit.
SAVE_SUBSCRIPTION = """
for i = 4, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 0
end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""


class RedisPushStore:
    """PushStore in Redis, through the Redis backend's own client (its pool, timeouts, retries)."""

    def __init__(self, redis: Redis | RedisCluster, keys: RedisKeys) -> None:
        self._redis = redis
        self._keys = keys
        self._save = redis.register_script(SAVE_SUBSCRIPTION)

    async def save(self, user_id: UUID, subscription: PushSubscription, limit: int) -> bool:
        key = self._keys.push_subscriptions(user_id)
        async with unavailable_on_error("push subscriptions"):
            expired = [stored.id for stored in await self._read(key) if stored.expired()]
            added = await self._save(keys=[key], args=[subscription.id, subscription.stored(), limit, *expired])
        if added == -1:
            raise PushSubscriptionLimitError(limit)
        return added == 1

    async def remove(self, user_id: UUID, endpoint: str) -> None:
        async with unavailable_on_error("push subscriptions"):
            await self._redis.hdel(self._keys.push_subscriptions(user_id), subscription_id(endpoint))

    async def subscriptions(self, user_id: UUID, now: float | None = None) -> list[PushSubscription]:
        key = self._keys.push_subscriptions(user_id)
        async with unavailable_on_error("push subscriptions"):
            stored = await self._read(key)
            expired = [subscription.id for subscription in stored if subscription.expired(now)]
            if expired:
                await self._redis.hdel(key, *expired)
        return [subscription for subscription in stored if subscription.id not in expired]

    async def _read(self, key: str) -> list[PushSubscription]:
        return [PushSubscription.from_stored(value) for value in (await self._redis.hgetall(key)).values()]

    async def mark_sent(self, user_id: UUID, subscription_id: str, message_id: str, ttl_seconds: float) -> bool:
        async with unavailable_on_error("push sent record"):
            return bool(await self._redis.set(self._keys.push_sent(user_id, subscription_id, message_id), b"1",
                                              nx=True, px=max(int(ttl_seconds * 1000), 1)))
