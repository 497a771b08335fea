"""The Redis backend's fallback schedule, shared by every hub: it survives any hub being killed.

Entries are spread over FALLBACK_BUCKETS buckets by user. A bucket is a sorted set (entry name ->
due time, Unix ms) and a hash (entry name -> the message), both under the bucket's hash tag, so
each script below touches one slot and a Redis Cluster spreads the buckets over its shards
instead of keeping one global set on one of them.

Every hub polls every bucket. A claim is one script: it takes a bucket's due entries and moves
their due time to the end of a lease, so no other hub takes them meanwhile; the claiming hub
sends them, then completes (removes) each. A hub killed after its claim leaves its entries in
place: they come due again when the lease ends, and any hub takes them. The channels' sent
markers (`first_send`) keep a message from going out twice through one channel.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import RedisError

from ..fallback.schedule import DueEntry, FallbackSchedule, entry_name
from .base import BackendUnavailableError, StreamState, with_seq
from .redis_races import unavailable_on_error

if TYPE_CHECKING:  # redis_streams imports this module
    from .redis_streams import Appended, RedisKeys

logger = logging.getLogger(__name__)

FALLBACK_BUCKETS = 8
"""Buckets the schedule is spread over. Not a setting: every hub and Publisher of one prefix
must agree on it, and entries in a bucket that a new count no longer names would never be sent.
Eight spread the schedule over up to eight shards of a cluster for eight claims per poll."""

# KEYS: due, entries. ARGV: now_ms, lease_until_ms, limit.
# Returns name, frame, name, frame... of the due entries it claimed (due times moved to the
# lease's end); a name without its entry (completed in between) is dropped.
CLAIM = """
local names = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local claimed = {}
for _, name in ipairs(names) do
  local frame = redis.call('HGET', KEYS[2], name)
  if frame then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], name)
    claimed[#claimed + 1] = name
    claimed[#claimed + 1] = frame
  else
    redis.call('ZREM', KEYS[1], name)
  end
end
return claimed
"""

# KEYS: due, entries. ARGV: name.
COMPLETE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
"""

# KEYS: due, entries. ARGV: due_ms, then name and frame of each entry. Adds each entry once.
SCHEDULE = """
for i = 2, #ARGV, 2 do
  if redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[i]) == 1 then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
"""


def bucket_of(user_id: UUID) -> int:
    """The bucket holding a user's entries."""
    return user_id.int % FALLBACK_BUCKETS


async def schedule_after_publish(redis: Redis | RedisCluster, keys: RedisKeys, appended: list[Appended],
                                 body: bytes, due: int) -> None:
    """Schedule what a cluster publish appended (a repeated publish's users are skipped: its
    first attempt scheduled them, or its hub died before it could). One command per bucket.

    Raises nothing: the publish has happened, and a bucket Redis refused now is logged (its
    users get no fallback for this message) rather than turned into a failed publish."""
    by_bucket: dict[int, list] = defaultdict(list)
    for place in appended:
        if not place.repeated:
            by_bucket[bucket_of(place.user_id)] += [entry_name(place.user_id, place.epoch, place.seq),
                                                    with_seq(body, place.seq)]
    for bucket, pairs in by_bucket.items():
        try:
            await redis.eval(SCHEDULE, 2, keys.fallback_due(bucket), keys.fallback_entries(bucket), due, *pairs)
        except (RedisError, OSError) as exc:
            logger.warning("published, but the fallback of %d user(s) could not be scheduled: %s",
                           len(pairs) // 2, exc)


class RedisFallbackSchedule(FallbackSchedule):
    """The schedule of one prefix, as one hub sees it."""

    def __init__(self, redis: Redis | RedisCluster, keys: RedisKeys, marker_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._clock = clock
        self._keys = keys
        self._marker_ms = int(marker_seconds * 1000)
        self._claim = redis.register_script(CLAIM)
        self._complete = redis.register_script(COMPLETE)
        self._next_bucket = 0

    async def claim_due(self, limit: int, lease_seconds: float) -> list[DueEntry]:
        """Claims bucket by bucket, starting one further each call, so that a full batch from one
        bucket does not keep the others waiting."""
        now = int(self._clock() * 1000)
        until = now + int(lease_seconds * 1000)
        claimed: list[DueEntry] = []
        first, self._next_bucket = self._next_bucket, (self._next_bucket + 1) % FALLBACK_BUCKETS
        for step in range(FALLBACK_BUCKETS):
            if len(claimed) >= limit:
                break
            bucket = (first + step) % FALLBACK_BUCKETS
            reply = await self._call("claim", self._claim(
                [self._keys.fallback_due(bucket), self._keys.fallback_entries(bucket)],
                [now, until, limit - len(claimed)]))
            claimed += [DueEntry.parse(_text(name), frame) for name, frame in zip(reply[::2], reply[1::2])]
        return claimed

    async def complete(self, entry: DueEntry) -> None:
        bucket = bucket_of(entry.user_id)
        await self._call("complete", self._complete(
            [self._keys.fallback_due(bucket), self._keys.fallback_entries(bucket)], [entry.name]))

    async def stream_state(self, user_id: UUID) -> StreamState | None:
        epoch, last, acked, read = await self._call(
            "stream state", self._redis.hmget(self._keys.meta(user_id), "epoch", "seq", "acked", "read"))
        if epoch is None:
            return None
        return StreamState(_text(epoch), int(last or 0), int(acked or 0), int(read or 0))

    async def first_send(self, channel: str, user_id: UUID, message_id: str) -> bool:
        marker = self._keys.sent_marker(channel, user_id, message_id)
        return bool(await self._call("sent marker", self._redis.set(marker, b"1", nx=True, px=self._marker_ms)))

    @staticmethod
    async def _call(action: str, command):
        """Await a command; any Redis failure (redis-py's own races included) is BackendUnavailableError."""
        async with unavailable_on_error(f"fallback {action}"):
            return await command


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
