"""Users' streams in Redis: key names, and the Lua scripts that keep `seq`, history and delivery
in one atomic step. Shared by the Redis backend and by `notifyhub.Publisher`.

Every key of one user carries the user's id as a hash tag (`{...}`), so a Redis Cluster keeps a
user's stream, cursors, presence and channel on one shard and the scripts stay single-slot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import NoScriptError, RedisError

from .base import (
    BackendUnavailableError,
    IdempotencyKeyReusedError,
    OutcomeUnknownError,
    Page,
    PublishToken,
    new_epoch,
)
from .owner_pipelines import OwnerCalls, publish_on_owners
from .replication import Replication

# Drops expired entries from the front of a stream; bounded work per call.
_HELPERS = """
local function trim_expired(log, cutoff)
  for _ = 1, 100 do
    local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)
    if #first == 0 or tonumber(first[1][2][4]) >= cutoff then return end
    redis.call('XDEL', log, first[1][1])
  end
end
local function ensure_epoch(meta, log, latest, new_epoch)
  local epoch = redis.call('HGET', meta, 'epoch')
  if epoch then return epoch end
  redis.call('DEL', log, latest)
  redis.call('HSET', meta, 'epoch', new_epoch, 'seq', 0)
  return new_epoch
end
local function last_seq(meta)
  return tonumber(redis.call('HGET', meta, 'seq') or '0')
end
-- Redis lost writes the caller had seen: its seqs may be issued again, so they get a new name.
local function renew_epoch(meta, new_epoch)
  redis.call('HSET', meta, 'epoch', new_epoch)
  return new_epoch
end
-- XRANGE entries without those conflated away: an entry with a key ('k') at or before `through`
-- whose key a later message has (the `latest` hash holds each key's last seq). Also returns how
-- many entries were read and the seq of the last one (0 when none).
local function conflate(entries, latest, through)
  local kept, last = {}, 0
  for _, entry in ipairs(entries) do
    local seq = tonumber((string.gsub(entry[1], '-0$', '')))
    local key = entry[2][6]
    local newer = 0
    if key and seq <= through then newer = tonumber(redis.call('HGET', latest, key) or '0') end
    if newer <= seq then kept[#kept + 1] = entry end
    last = seq
  end
  return kept, #entries, last
end
local function message_id(frame)
  local _, start = string.find(frame, '"id":"', 1, true)
  if not start then return '' end
  return string.sub(frame, start + 1, string.find(frame, '"', start + 1, true) - 1)
end
"""

# KEYS: meta, log, conns, channel, token, latest. ARGV: body, max_len, max_age_ms, now_ms, new_epoch,
# fingerprint, token_ms, floor_epoch, floor_seq, conflation key ('' for none).
# The token check, the seq, the history entry, the live publish and the token's record happen
# together: a publish that is repeated (retried) is a no-op, and seq order is delivery order.
# A repeat writes the token again (same value and expiry) so that a WAIT after it covers the
# first attempt's writes too, which precede it in the replication stream.
# `floor` is the highest position the calling hub saw: a stream behind it lost writes.
# The live publish is PUBLISH on a single Redis, SPUBLISH (the user's shard only) on a cluster.
# A conflation key is kept with the entry ('k') and its seq in `latest`, which reads of history use
# to skip the key's earlier entries.
# Returns {'new'|'repeated', epoch, seq, connections} or {'reused'}.
PUBLISH_TEMPLATE = _HELPERS + """
local recorded = redis.call('GET', KEYS[5])
if recorded then
  local fingerprint, epoch, seq = string.match(recorded, '^(%S*) (%S+) (%d+)$')
  if fingerprint ~= ARGV[6] then return {'reused'} end
  redis.call('SET', KEYS[5], recorded, 'KEEPTTL')
  return {'repeated', epoch, tonumber(seq), redis.call('HLEN', KEYS[3])}
end
local epoch = ensure_epoch(KEYS[1], KEYS[2], KEYS[6], ARGV[5])
if epoch == ARGV[8] and last_seq(KEYS[1]) < tonumber(ARGV[9]) then
  epoch = renew_epoch(KEYS[1], ARGV[5])
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local frame = '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2)
if ARGV[10] == '' then
  redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq .. '-0', 'f', frame, 't', ARGV[4])
else
  redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq .. '-0', 'f', frame, 't', ARGV[4], 'k', ARGV[10])
  redis.call('HSET', KEYS[6], ARGV[10], seq)
  redis.call('PEXPIRE', KEYS[6], ARGV[3])
end
trim_expired(KEYS[2], tonumber(ARGV[4]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[5], ARGV[6] .. ' ' .. epoch .. ' ' .. seq, 'PX', ARGV[7])
redis.call('@PUBLISH@', KEYS[4], epoch .. ' ' .. seq .. ' -\\n' .. frame)
return {'new', epoch, seq, redis.call('HLEN', KEYS[3])}
"""
PUBLISH = PUBLISH_TEMPLATE.replace("@PUBLISH@", "PUBLISH")
SHARDED_PUBLISH = PUBLISH_TEMPLATE.replace("@PUBLISH@", "SPUBLISH")

# KEYS: meta, log, latest. ARGV: new_epoch, since_epoch, since_seq, now_ms, max_age_ms, count,
# since_message_id ('' when the client did not say).
# Returns epoch, last seq, acked, read, oldest kept seq (or false), the first `count` entries
# after the lower of the client's position and the acknowledged seq without those conflated
# away, how many entries were read, and the last seq read. A position ahead of the
# stream in its epoch, or whose kept message is another one, means lost writes: the stream gets
# a new epoch first.
REPLAY = _HELPERS + """
local epoch = ensure_epoch(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
if ARGV[2] == epoch then
  local since = tonumber(ARGV[3])
  local reissued = false
  if ARGV[7] ~= '' and since > 0 then
    local at = redis.call('XRANGE', KEYS[2], since .. '-0', since .. '-0')
    reissued = #at > 0 and message_id(at[1][2][2]) ~= ARGV[7]
  end
  if since > last_seq(KEYS[1]) or reissued then epoch = renew_epoch(KEYS[1], ARGV[1]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
trim_expired(KEYS[2], tonumber(ARGV[4]) - tonumber(ARGV[5]))
local meta = redis.call('HMGET', KEYS[1], 'seq', 'acked', 'read')
local acked = tonumber(meta[2] or '0')
local lower = acked
if ARGV[2] == epoch and tonumber(ARGV[3]) < lower then lower = tonumber(ARGV[3]) end
local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
local oldest = false
if #first > 0 then oldest = first[1][1] end
local entries, read, last = conflate(redis.call('XRANGE', KEYS[2], '(' .. lower .. '-0', '+', 'COUNT', ARGV[6]),
                                     KEYS[3], tonumber(meta[1] or '0'))
return {epoch, meta[1] or '0', tostring(acked), meta[3] or '0', oldest, entries, read, last}
"""

# KEYS: meta, log, latest. ARGV: epoch, after_seq, count, message_id ('' when unknown), new_epoch,
# conflate_through.
# Returns false when the position is no longer kept, or (after starting a new epoch) when it
# cannot be this stream's: ahead of it, or the entry at after_seq is another message. Else the
# next `count` entries without those conflated away, how many were read and the last seq read.
HISTORY_AFTER = _HELPERS + """
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return false end
local after = tonumber(ARGV[2])
if after > last_seq(KEYS[1]) then
  renew_epoch(KEYS[1], ARGV[5])
  return false
end
if ARGV[4] ~= '' and after > 0 then
  local at = redis.call('XRANGE', KEYS[2], after .. '-0', after .. '-0')
  if #at > 0 and message_id(at[1][2][2]) ~= ARGV[4] then
    renew_epoch(KEYS[1], ARGV[5])
    return false
  end
end
local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
local oldest = last_seq(KEYS[1]) + 1
if #first > 0 then oldest = tonumber((string.gsub(first[1][1], '-0$', ''))) end
if after < oldest - 1 then return false end
local entries, read, last = conflate(redis.call('XRANGE', KEYS[2], '(' .. after .. '-0', '+', 'COUNT', ARGV[3]),
                                     KEYS[3], tonumber(ARGV[6]))
return {entries, read, last}
"""

# KEYS: conns, channel. ARGV: header and frame. A message of a live type: no seq, no history.
# Returns the user's connections on all hubs.
LIVE_TEMPLATE = """
redis.call('@PUBLISH@', KEYS[2], ARGV[1])
return redis.call('HLEN', KEYS[1])
"""
LIVE = LIVE_TEMPLATE.replace("@PUBLISH@", "PUBLISH")
SHARDED_LIVE = LIVE_TEMPLATE.replace("@PUBLISH@", "SPUBLISH")

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

    def latest(self, user_id: UUID) -> str:
        """Each conflation key's last seq in the user's stream."""
        return f"{self.prefix}:{{{user_id}}}:latest"

    def connections(self, user_id: UUID) -> str:
        return f"{self.prefix}:{{{user_id}}}:conns"

    def channel(self, user_id: UUID) -> str:
        return f"{self.prefix}:{{{user_id}}}:live"

    def publish_token(self, user_id: UUID, token: str) -> str:
        """Records that the publish with this token reached the user (and at which seq)."""
        return f"{self.prefix}:{{{user_id}}}:done:{token}"

    def push_subscriptions(self, user_id: UUID) -> str:
        """The user's Web Push subscriptions: a hash of subscription id -> subscription (JSON)."""
        return f"{self.prefix}:{{{user_id}}}:push"

    def push_sent(self, user_id: UUID, subscription_id: str, message_id: str) -> str:
        """Records that a message was pushed to one subscription (set before the push is sent)."""
        return f"{self.prefix}:{{{user_id}}}:pushed:{subscription_id}:{message_id}"

    def idempotency_key(self, key: str) -> str:
        """The claim of an Idempotency-Key: the fingerprint of the request that used it."""
        return f"{self.prefix}:idempotency:{key}"

    @property
    def broadcast(self) -> str:
        return f"{self.prefix}:broadcast"

    @property
    def hubs(self) -> str:
        return f"{self.prefix}:hubs"

    def hub_users(self, hub_id: str) -> str:
        return f"{self.prefix}:hub:{hub_id}:users"

    def hub_samples(self, hub_id: str) -> str:
        """The hub's last console samples (a list of JSON documents, oldest first)."""
        return f"{self.prefix}:hub:{hub_id}:samples"

    def user_of_channel(self, channel: str) -> UUID | None:
        """The user a live channel belongs to, or None for any other channel."""
        head, _, rest = channel.partition(":{")
        user, _, tail = rest.partition("}:")
        if head != self.prefix or tail != "live":
            return None
        return UUID(user)


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True, slots=True)
class Appended:
    """Where a publish put its message in one user's stream (`repeated`: by an earlier attempt
    with the same token)."""

    user_id: UUID
    epoch: str
    seq: int
    connections: int
    repeated: bool


Floors = Callable[[UUID], tuple[str, int]]
"""The highest (epoch, seq) the caller saw of a user's stream, ("", 0) when none."""


class RedisStreams:
    """Publishing into users' streams, reading them back, and moving cursors."""

    def __init__(self, redis: Redis | RedisCluster, keys: RedisKeys, max_messages: int, max_age_seconds: float,
                 replication: Replication = Replication(), retries: int = 0) -> None:
        self.redis = redis
        self.keys = keys
        self.sharded = isinstance(redis, RedisCluster)
        self._max_messages = max_messages
        self._max_age_ms = int(max_age_seconds * 1000)
        self._replication = replication
        self._retries = retries
        self._publish_script = SHARDED_PUBLISH if self.sharded else PUBLISH
        self._publish_sha = redis.register_script(self._publish_script).sha
        self._replay = redis.register_script(REPLAY)
        self._history_after = redis.register_script(HISTORY_AFTER)
        self._advance = redis.register_script(ADVANCE_CURSOR)
        self._live = redis.register_script(SHARDED_LIVE if self.sharded else LIVE)

    async def publish(self, user_ids: list[UUID], body: bytes, token: PublishToken,
                      floors: Floors, conflation_key: str | None = None) -> list[Appended]:
        """Append to each user's stream and publish live, once per user and token; with a
        `conflation_key`, the message supersedes the user's earlier ones with that key.

        Raises BackendUnavailableError when no connection to Redis could be had (nothing was
        sent), OutcomeUnknownError when the scripts were sent but their answer was lost (each
        user has the message at most once: retry with the same token to complete it), and
        IdempotencyKeyReusedError when a user recorded the token with another fingerprint.
        """
        calls = [self._publish_args(user_id, body, token, floors, conflation_key) for user_id in user_ids]
        if self.sharded:
            replies, acknowledged = await publish_on_owners(
                self.redis, OwnerCalls(self._publish_script, self._publish_sha, calls),
                self._replication, self._retries)
        else:
            replies, acknowledged = await self._publish_on_one(calls)
        if any(reply[0] == b"reused" for reply in replies):
            raise IdempotencyKeyReusedError()
        unconfirmed = self._replication.unconfirmed(acknowledged)
        if unconfirmed is not None:
            raise unconfirmed
        return [Appended(user_id, _text(reply[1]), int(reply[2]), int(reply[3]), reply[0] == b"repeated")
                for user_id, reply in zip(user_ids, replies)]

    def _publish_args(self, user_id: UUID, body: bytes, token: PublishToken, floors: Floors,
                      conflation_key: str | None) -> list:
        keys = [self.keys.meta(user_id), self.keys.log(user_id), self.keys.connections(user_id),
                self.keys.channel(user_id), self.keys.publish_token(user_id, token.value),
                self.keys.latest(user_id)]
        floor_epoch, floor_seq = floors(user_id)
        return [len(keys), *keys, body, self._max_messages, self._max_age_ms, now_ms(), new_epoch(),
                token.fingerprint, int(token.window_seconds * 1000), floor_epoch, floor_seq,
                conflation_key or ""]

    async def _publish_on_one(self, calls: list[list]) -> tuple[list, list[int]]:
        """Every call on one connection of a single Redis, then WAIT when replicas must confirm."""
        pipe = self.redis.pipeline(transaction=False)
        try:
            # Taking a connection (waiting for a free one, connecting) sends nothing yet.
            pipe.connection = await self.redis.connection_pool.get_connection()
        except (RedisError, OSError) as exc:
            raise BackendUnavailableError(f"publish: {exc}") from exc
        try:
            return await self._run_publish(pipe, calls)
        except (RedisError, OSError) as exc:
            raise OutcomeUnknownError(f"publish: {exc!r}") from exc
        finally:
            await pipe.reset()  # gives the connection back to the pool

    async def _run_publish(self, pipe: Pipeline, calls: list[list]) -> tuple[list, list[int]]:
        """EVALSHA every call in one round trip; a Redis that lost its scripts (NOSCRIPT: the
        call did not run) gets the script and those calls once more. Returns the replies and
        the replicas WAIT counted (none asked: an empty list)."""
        replies: list = [None] * len(calls)
        pending = list(range(len(calls)))
        waiting = bool(self._replication.replicas)
        for attempt in range(2):
            if attempt:
                pipe.execute_command("SCRIPT LOAD", self._publish_script)
            for index in pending:
                pipe.execute_command("EVALSHA", self._publish_sha, *calls[index])
            if waiting:
                pipe.execute_command(*self._replication.wait_command())
            answers = await pipe.execute(raise_on_error=False)
            answers = answers[1:] if attempt else answers
            acknowledged = [answers.pop()] if waiting else []
            missing = []
            for index, answer in zip(pending, answers):
                if isinstance(answer, NoScriptError):
                    missing.append(index)
                elif isinstance(answer, Exception):
                    raise answer
                else:
                    replies[index] = answer
            if not missing:
                if acknowledged and isinstance(acknowledged[0], Exception):
                    raise acknowledged[0]
                return replies, acknowledged
            pending = missing
        raise OutcomeUnknownError("publish: Redis kept losing its scripts")

    async def claim_idempotency_key(self, key: str, fingerprint: str, window_seconds: float) -> bool:
        """See Backend.claim_idempotency_key."""
        previous = await self.redis.set(self.keys.idempotency_key(key), fingerprint, nx=True, get=True,
                                        px=int(window_seconds * 1000))
        if previous is None:
            return True
        if _text(previous) != fingerprint:
            raise IdempotencyKeyReusedError()
        return False

    async def release_idempotency_key(self, key: str) -> None:
        await self.redis.delete(self.keys.idempotency_key(key))

    async def broadcast(self, frame: bytes) -> None:
        await self.redis.publish(self.keys.broadcast, frame)

    async def send_live(self, user_id: UUID, frame: bytes, exclude: UUID | None) -> None:
        header = f"- - {exclude or '-'}\n".encode()
        publish = self.redis.spublish if self.sharded else self.redis.publish
        await publish(self.keys.channel(user_id), header + frame)

    async def publish_live(self, user_ids: list[UUID], frame: bytes) -> int:
        """Publish a live-only message on each user's channel; the connections the users held."""
        data = b"- - -\n" + frame
        counts = await asyncio.gather(*(self._live([self.keys.connections(user), self.keys.channel(user)], [data])
                                        for user in user_ids))
        return sum(int(count) for count in counts)

    async def replay(self, user_id: UUID, since_epoch: str, since_seq: int, limit: int,
                     since_message_id: str | None = None) -> list:
        return await self._replay([self.keys.meta(user_id), self.keys.log(user_id), self.keys.latest(user_id)],
                                  [new_epoch(), since_epoch, since_seq, now_ms(), self._max_age_ms, limit,
                                   since_message_id or ""])

    async def history_after(self, user_id: UUID, epoch: str, seq: int, limit: int,
                            message_id: str | None, conflate_through: int = 0) -> Page | None:
        """The page after `seq` (entries up to `conflate_through` conflated), or None when the
        position cannot be continued."""
        answer = await self._history_after(
            [self.keys.meta(user_id), self.keys.log(user_id), self.keys.latest(user_id)],
            [epoch, seq, limit, message_id or "", new_epoch(), conflate_through])
        if answer is None:
            return None
        raw, read, last = answer
        return Page(entries_of(raw), max(seq, int(last)), int(read) < limit)

    async def advance(self, user_id: UUID, field: str, seq: int) -> int:
        return int(await self._advance([self.keys.meta(user_id)], [seq, field]))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def entries_of(raw: list) -> list[tuple[int, bytes]]:
    """(seq, frame) pairs from XRANGE replies (`b"<seq>-0"`, [b"f", frame, b"t", ms])."""
    return [(int(entry_id.split(b"-", 1)[0]), fields[1]) for entry_id, fields in raw]
