"""Users' streams in Redis: key names, and the Lua scripts that keep `seq`, history and delivery
in one atomic step. Shared by the Redis backend and by `notifyhub.Publisher`.

Every key of one user carries the user's id as a hash tag (`{...}`), so a Redis Cluster keeps a
user's stream, cursors, presence and channel on one shard and the scripts stay single-slot.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from uuid import UUID

from redis.asyncio import Redis

# Drops expired entries from the front of a stream; bounded work per call.
_TRIM_EXPIRED = """
local function trim_expired(log, cutoff)
  for _ = 1, 100 do
    local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)
    if #first == 0 or tonumber(first[1][2][4]) >= cutoff then return end
    redis.call('XDEL', log, first[1][1])
  end
end
local function ensure_epoch(meta, log, new_epoch)
  local epoch = redis.call('HGET', meta, 'epoch')
  if epoch then return epoch end
  redis.call('DEL', log)
  redis.call('HSET', meta, 'epoch', new_epoch, 'seq', 0)
  return new_epoch
end
"""

# KEYS: meta, log, conns, channel. ARGV: body, max_len, max_age_ms, now_ms, new_epoch.
# The seq, the history entry and the live publish happen together, so seq order is delivery order.
PUBLISH = _TRIM_EXPIRED + """
local epoch = ensure_epoch(KEYS[1], KEYS[2], ARGV[5])
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local frame = '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq .. '-0', 'f', frame, 't', ARGV[4])
trim_expired(KEYS[2], tonumber(ARGV[4]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', KEYS[4], epoch .. ' ' .. seq .. ' -\\n' .. frame)
return redis.call('HLEN', KEYS[3])
"""

# KEYS: meta, log. ARGV: new_epoch, since_epoch, since_seq, now_ms, max_age_ms, count.
# Returns epoch, last seq, acked, read, oldest kept seq (or false), and the first `count` entries
# after the lower of the client's position and the acknowledged seq.
REPLAY = _TRIM_EXPIRED + """
local epoch = ensure_epoch(KEYS[1], KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
trim_expired(KEYS[2], tonumber(ARGV[4]) - tonumber(ARGV[5]))
local meta = redis.call('HMGET', KEYS[1], 'seq', 'acked', 'read')
local acked = tonumber(meta[2] or '0')
local lower = acked
if ARGV[2] == epoch and tonumber(ARGV[3]) < lower then lower = tonumber(ARGV[3]) end
local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
local oldest = false
if #first > 0 then oldest = first[1][1] end
local entries = redis.call('XRANGE', KEYS[2], '(' .. lower .. '-0', '+', 'COUNT', ARGV[6])
return {epoch, meta[1] or '0', tostring(acked), meta[3] or '0', oldest, entries}
"""

# KEYS: meta, log. ARGV: epoch, after_seq, count. Returns false when the position is no longer kept.
HISTORY_AFTER = """
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return false end
local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
local oldest = tonumber(redis.call('HGET', KEYS[1], 'seq')) + 1
if #first > 0 then oldest = tonumber((string.gsub(first[1][1], '-0$', ''))) end
if tonumber(ARGV[2]) < oldest - 1 then return false end
return redis.call('XRANGE', KEYS[2], '(' .. ARGV[2] .. '-0', '+', 'COUNT', ARGV[3])
"""

# KEYS: meta. ARGV: seq, field ('acked' or 'read'). Raises the cursor, never past the last seq.
ADVANCE_CURSOR = """
local last = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
local wanted = math.min(tonumber(ARGV[1]), last)
if wanted > current then
  redis.call('HSET', KEYS[1], ARGV[2], wanted)
  return wanted
end
return current
"""


@dataclass(frozen=True)
class RedisKeys:
    """Names of every key and channel under one prefix."""

    prefix: str

    def meta(self, user_id: UUID) -> str:
        return f"{self.prefix}:{{{user_id}}}:meta"

    def log(self, user_id: UUID) -> str:
        return f"{self.prefix}:{{{user_id}}}:log"

    def connections(self, user_id: UUID) -> str:
        return f"{self.prefix}:{{{user_id}}}:conns"

    def channel(self, user_id: UUID) -> str:
        return f"{self.prefix}:{{{user_id}}}:live"

    @property
    def broadcast(self) -> str:
        return f"{self.prefix}:broadcast"

    @property
    def hubs(self) -> str:
        return f"{self.prefix}:hubs"

    def hub_users(self, hub_id: str) -> str:
        return f"{self.prefix}:hub:{hub_id}:users"

    def user_of_channel(self, channel: str) -> UUID | None:
        """The user a live channel belongs to, or None for any other channel."""
        head, _, rest = channel.partition(":{")
        user, _, tail = rest.partition("}:")
        if head != self.prefix or tail != "live":
            return None
        return UUID(user)


def new_epoch() -> str:
    return secrets.token_urlsafe(9)


def now_ms() -> int:
    return int(time.time() * 1000)


class RedisStreams:
    """Publishing into users' streams, reading them back, and moving cursors."""

    def __init__(self, redis: Redis, keys: RedisKeys, max_messages: int, max_age_seconds: float) -> None:
        self.redis = redis
        self.keys = keys
        self._max_messages = max_messages
        self._max_age_ms = int(max_age_seconds * 1000)
        self._publish = redis.register_script(PUBLISH)
        self._replay = redis.register_script(REPLAY)
        self._history_after = redis.register_script(HISTORY_AFTER)
        self._advance = redis.register_script(ADVANCE_CURSOR)

    async def publish(self, user_ids: list[UUID], body: bytes) -> int:
        """Append to each user's stream and publish live; return the users' connection count."""
        now = now_ms()
        async with self.redis.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                keys = [self.keys.meta(user_id), self.keys.log(user_id), self.keys.connections(user_id),
                        self.keys.channel(user_id)]
                await self._publish(keys, [body, self._max_messages, self._max_age_ms, now, new_epoch()],
                                    client=pipe)
            counts = await pipe.execute()
        return sum(int(count) for count in counts)

    async def broadcast(self, frame: bytes) -> None:
        await self.redis.publish(self.keys.broadcast, frame)

    async def send_live(self, user_id: UUID, frame: bytes, exclude: UUID | None) -> None:
        header = f"- - {exclude or '-'}\n".encode()
        await self.redis.publish(self.keys.channel(user_id), header + frame)

    async def replay(self, user_id: UUID, since_epoch: str, since_seq: int, limit: int) -> list:
        return await self._replay([self.keys.meta(user_id), self.keys.log(user_id)],
                                  [new_epoch(), since_epoch, since_seq, now_ms(), self._max_age_ms, limit])

    async def history_after(self, user_id: UUID, epoch: str, seq: int, limit: int) -> list | None:
        # The script answers nil (None here) when the position is no longer kept.
        return await self._history_after([self.keys.meta(user_id), self.keys.log(user_id)],
                                         [epoch, seq, limit])

    async def advance(self, user_id: UUID, field: str, seq: int) -> int:
        return int(await self._advance([self.keys.meta(user_id)], [seq, field]))


def entries_of(raw: list) -> list[tuple[int, bytes]]:
    """(seq, frame) pairs from XRANGE replies (`b"<seq>-0"`, [b"f", frame, b"t", ms])."""
    return [(int(entry_id.split(b"-", 1)[0]), fields[1]) for entry_id, fields in raw]
