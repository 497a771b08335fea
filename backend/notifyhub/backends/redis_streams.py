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
from redis.asyncio.connection import AbstractConnection
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import NoScriptError, RedisError

from ..fallback.schedule import due_ms
from .base import (
    BackendUnavailableError,
    IdempotencyKeyReusedError,
    OutcomeUnknownError,
    Page,
    Publication,
    PublishToken,
    new_epoch,
)
from .owner_pipelines import OwnerCalls, publish_on_owners
from .redis_schedule import bucket_of, schedule_after_publish
from .redis_wire import round_trip
from .replication import Replication
from .shared_round_trips import SharedRoundTrips

AGE_TRIM_EVERY = 16
"""A publish drops expired entries from the front of a user's stream when its seqs reach a multiple
of this, not at every message: an XRANGE per publish was about a tenth of a one-message script
call's time on redis-server. Reads trim before they read (REPLAY, HISTORY_AFTER), so what a client
gets is unchanged; a stream holds at most this many expired entries more between publishes. At
most 100: a trim drops up to 100."""

# Drops expired entries from the front of a stream (bounded work per call); returns the first
# entry kept (nil when none).
_HELPERS = """
local function trim_expired(log, cutoff)
  for _ = 1, 100 do
    local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)[1]
    if not first or tonumber(first[2][4]) >= cutoff then return first end
    redis.call('XDEL', log, first[1])
  end
  return redis.call('XRANGE', log, '-', '+', 'COUNT', 1)[1]
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
-- The epoch and last seq a publish continues from, read in one call: a stream without an epoch
-- starts anew (`fresh`: its leftover keys are to be deleted before the first append), one behind
-- `floor` (in the floor's epoch) gets a new epoch. Writes nothing: the caller writes both.
local function stream_position(meta, new_epoch, floor_epoch, floor_seq)
  local stream = redis.call('HMGET', meta, 'epoch', 'seq')
  if not stream[1] then return new_epoch, 0, true end
  local seq = tonumber(stream[2] or '0')
  if stream[1] == floor_epoch and seq < floor_seq then return new_epoch, seq, false end
  return stream[1], seq, false
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

# One user's messages of one publish, in order. KEYS: meta, log, conns, channel, latest, then each
# message's token, then (on a single Redis, when a message has a fallback) the user's schedule
# bucket: its due set and entries (redis_schedule.py). ARGV: message count, max_len, max_age_ms,
# now_ms, new_epoch, floor_epoch, floor_seq, user id, then per message: body, fingerprint, token_ms,
# conflation key ('' for none), fallback due ms ('' for none).
# Per message, the token's record (SET NX: the check and the record in one call), the seq, the
# history entry and the live publish happen together: a message that is repeated (retried) is a
# no-op, and seq order is delivery order. A repeat writes the token again (same value and expiry)
# so that a WAIT after it covers the first attempt's writes too, which precede it in the
# replication stream.
# `floor` is the highest position the calling hub saw: a stream behind it lost writes.
# The live publish is PUBLISH on a single Redis, SPUBLISH (the user's shard only) on a cluster, one
# per message in the format every hub reads. A conflation key is kept with the entry ('k') and its
# seq in `latest`, which reads of history use to skip the key's earlier entries.
# What is the user's rather than a message's is done once per call: the epoch and last seq read
# (one HMGET), the floor check, the connections counted; and when a message is new, the epoch and
# last seq written (one HSET), expiries, and trimming when the seqs reach a multiple of
# AGE_TRIM_EVERY.
# Returns per message {'new'|'repeated', epoch, seq, connections} or {'reused'}.
PUBLISH_TEMPLATE = _HELPERS + """
local count = tonumber(ARGV[1])
local meta, log, conns, channel, latest = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local scheduled = #KEYS == count + 7
local epoch, seq, fresh = stream_position(meta, ARGV[5], ARGV[6], tonumber(ARGV[7]))
local before = seq
local replies, appended, conflated = {}, false, false
for i = 1, count do
  local token, at = KEYS[5 + i], 8 + (i - 1) * 5
  local body, fingerprint, key, due = ARGV[at + 1], ARGV[at + 2], ARGV[at + 4], ARGV[at + 5]
  if redis.call('SET', token, fingerprint .. ' ' .. epoch .. ' ' .. (seq + 1), 'PX', ARGV[at + 3], 'NX') then
    if fresh and not appended then redis.call('DEL', log, latest) end
    appended = true
    seq = seq + 1
    local frame = '{"seq":' .. seq .. ',' .. string.sub(body, 2)
    if key == '' then
      redis.call('XADD', log, 'MAXLEN', ARGV[2], seq .. '-0', 'f', frame, 't', ARGV[4])
    else
      redis.call('XADD', log, 'MAXLEN', ARGV[2], seq .. '-0', 'f', frame, 't', ARGV[4], 'k', key)
      redis.call('HSET', latest, key, seq)
      conflated = true
    end
    redis.call('@PUBLISH@', channel, epoch .. ' ' .. seq .. ' -\\n' .. frame)
    if due ~= '' and scheduled then
      local entry = ARGV[8] .. ' ' .. epoch .. ' ' .. seq
      redis.call('ZADD', KEYS[count + 6], 'NX', due, entry)
      redis.call('HSET', KEYS[count + 7], entry, frame)
    end
    replies[i] = {'new', epoch, seq}
  else
    local recorded = redis.call('GET', token)
    local first_fingerprint, first_epoch, first_seq = string.match(recorded, '^(%S*) (%S+) (%d+)$')
    if first_fingerprint == fingerprint then
      redis.call('SET', token, recorded, 'KEEPTTL')
      replies[i] = {'repeated', first_epoch, tonumber(first_seq)}
    else
      replies[i] = {'reused'}
    end
  end
end
if appended then
  redis.call('HSET', meta, 'epoch', epoch, 'seq', seq)
  if conflated then redis.call('PEXPIRE', latest, ARGV[3]) end
  if math.floor(before / @AGE_TRIM_EVERY@) ~= math.floor(seq / @AGE_TRIM_EVERY@) then
    trim_expired(log, tonumber(ARGV[4]) - tonumber(ARGV[3]))
  end
  redis.call('PEXPIRE', meta, ARGV[3])
  redis.call('PEXPIRE', log, ARGV[3])
end
local connections = redis.call('HLEN', conns)
for _, reply in ipairs(replies) do
  if reply[2] then reply[4] = connections end
end
return replies
"""
PUBLISH_TEMPLATE = PUBLISH_TEMPLATE.replace("@AGE_TRIM_EVERY@", str(AGE_TRIM_EVERY))
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
local first = trim_expired(KEYS[2], tonumber(ARGV[4]) - tonumber(ARGV[5]))
local meta = redis.call('HMGET', KEYS[1], 'seq', 'acked', 'read')
local acked = tonumber(meta[2] or '0')
local lower = acked
if ARGV[2] == epoch and tonumber(ARGV[3]) < lower then lower = tonumber(ARGV[3]) end
local oldest = false
if first then oldest = first[1] end
local entries, read, last = conflate(redis.call('XRANGE', KEYS[2], '(' .. lower .. '-0', '+', 'COUNT', ARGV[6]),
                                     KEYS[3], tonumber(meta[1] or '0'))
return {epoch, meta[1] or '0', tostring(acked), meta[3] or '0', oldest, entries, read, last}
"""

# KEYS: meta, log, latest. ARGV: epoch, after_seq, count, message_id ('' when unknown), new_epoch,
# conflate_through, now_ms, max_age_ms. Expired entries are dropped first.
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
local first = trim_expired(KEYS[2], tonumber(ARGV[7]) - tonumber(ARGV[8]))
local oldest = last_seq(KEYS[1]) + 1
if first then oldest = tonumber((string.gsub(first[1], '-0$', ''))) end
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

    def user_tag(self, user_id: UUID) -> str:
        """What every key of the user starts with: the prefix and the user's hash tag."""
        return f"{self.prefix}:{{{user_id}}}:"

    def meta(self, user_id: UUID) -> str:
        return self.user_tag(user_id) + "meta"

    def log(self, user_id: UUID) -> str:
        return self.user_tag(user_id) + "log"

    def latest(self, user_id: UUID) -> str:
        """Each conflation key's last seq in the user's stream."""
        return self.user_tag(user_id) + "latest"

    def connections(self, user_id: UUID) -> str:
        return self.user_tag(user_id) + "conns"

    def channel(self, user_id: UUID) -> str:
        return self.user_tag(user_id) + "live"

    def publish_token(self, user_id: UUID, token: str) -> str:
        """Records that the publish with this token reached the user (and at which seq)."""
        return f"{self.user_tag(user_id)}done:{token}"

    def publish_keys(self, user_id: UUID, tokens: list[str]) -> list[str]:
        """The publish script's KEYS (meta, log, conns, channel, latest, each token's record),
        the user's id turned into text once: a batch builds them for every user."""
        tag = self.user_tag(user_id)
        return [tag + "meta", tag + "log", tag + "conns", tag + "live", tag + "latest",
                *(f"{tag}done:{token}" for token in tokens)]

    def fallback_due(self, bucket: int) -> str:
        """A bucket's schedule: entry name -> due time (Unix ms), a sorted set."""
        return f"{self.prefix}:fallback:{{fallback-{bucket}}}:due"

    def fallback_entries(self, bucket: int) -> str:
        """A bucket's entries: entry name -> the message as the user got it."""
        return f"{self.prefix}:fallback:{{fallback-{bucket}}}:entries"

    def sent_marker(self, channel: str, user_id: UUID, message_id: str) -> str:
        """Present once `channel` began sending the message to the user."""
        return f"{self.prefix}:{{{user_id}}}:sent:{channel}:{message_id}"

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
        self._round_trips = SharedRoundTrips(self._publish_on_one)  # on a single Redis

    async def publish(self, user_ids: list[UUID], body: bytes, token: PublishToken,
                      floors: Floors, conflation_key: str | None = None,
                      fallback_seconds: float | None = None) -> list[Appended]:
        """Append to each user's stream and publish live, once per user and token; with a
        `conflation_key`, the message supersedes the user's earlier ones with that key; with
        `fallback_seconds`, each user's new message is scheduled for its fallback: in the same
        script on a single Redis, by a second command afterwards on a cluster (the schedule's
        buckets are in other slots than the user's keys), which a hub killed in between skips.

        Raises BackendUnavailableError when no connection to Redis could be had (nothing was
        sent), OutcomeUnknownError when the scripts were sent but their answer was lost (each
        user has the message at most once: retry with the same token to complete it), and
        IdempotencyKeyReusedError when a user recorded the token with another fingerprint.
        """
        [appended] = await self.publish_many(
            [Publication(user_ids, body, token, conflation_key, fallback_seconds)], floors)
        return appended

    async def publish_many(self, publications: list[Publication], floors: Floors) -> list[list[Appended]]:
        """`publish` for several messages (each with its token): one script call per user for
        all of the user's messages, in this order, and every call in one round trip per Redis
        master (on a single Redis, shared with concurrent publishes: shared_round_trips.py), so
        each user gets them in this order. Returns where each message went. Raises as `publish`
        does, for all of them together."""
        now = now_ms()
        dues = [None if publication.fallback_seconds is None else due_ms(now, publication.fallback_seconds)
                for publication in publications]
        groups = messages_per_user(publications)
        calls = [self._publish_args(user_id, [(publications[index], dues[index]) for index, _ in places],
                                    floors, now)
                 for user_id, places in groups.items()]
        if self.sharded:
            replies, acknowledged = await publish_on_owners(
                self.redis, OwnerCalls(self._publish_script, self._publish_sha, calls),
                self._replication, self._retries)
        else:
            replies, acknowledged = await self._round_trips.run(calls)
            failed = next((reply for reply in replies if isinstance(reply, Exception)), None)
            if failed is not None:
                raise OutcomeUnknownError(f"publish: {failed!r}") from failed
        if any(answer[0] == b"reused" for reply in replies for answer in reply):
            raise IdempotencyKeyReusedError()
        unconfirmed = self._replication.unconfirmed(acknowledged)
        if unconfirmed is not None:
            raise unconfirmed
        appended: list[list] = [[None] * len(publication.user_ids) for publication in publications]
        for (user_id, places), reply in zip(groups.items(), replies):
            for (index, position), answer in zip(places, reply):
                appended[index][position] = Appended(user_id, _text(answer[1]), int(answer[2]), int(answer[3]),
                                                     answer[0] == b"repeated")
        if self.sharded:
            for publication, places, due in zip(publications, appended, dues):
                if due is not None:
                    await schedule_after_publish(self.redis, self.keys, places, publication.body, due)
        return appended

    def _publish_args(self, user_id: UUID, messages: list[tuple[Publication, int | None]], floors: Floors,
                      now: int) -> list:
        """The publish script's KEYS and ARGV for one user's messages (each with its fallback's
        due time or None); on a single Redis, when one is due, also the user's schedule bucket."""
        keys = self.keys.publish_keys(user_id, [publication.token.value for publication, _ in messages])
        if not self.sharded and any(due is not None for _, due in messages):
            bucket = bucket_of(user_id)
            keys += (self.keys.fallback_due(bucket), self.keys.fallback_entries(bucket))
        floor_epoch, floor_seq = floors(user_id)
        args = [len(messages), self._max_messages, self._max_age_ms, now, new_epoch(), floor_epoch, floor_seq,
                str(user_id)]
        for publication, due in messages:
            token = publication.token
            args += (publication.body, token.fingerprint, int(token.window_seconds * 1000),
                     publication.conflation_key or "", "" if due is None else due)
        return [len(keys), *keys, *args]

    async def _publish_on_one(self, calls: list[list]) -> tuple[list, list[int]]:
        """Every call on one connection of a single Redis, then WAIT when replicas must confirm;
        a call's error reply is returned in its place."""
        pool = self.redis.connection_pool
        try:
            # Taking a connection (waiting for a free one, connecting) sends nothing yet.
            connection = await pool.get_connection()
        except (RedisError, OSError) as exc:
            raise BackendUnavailableError(f"publish: {exc}") from exc
        try:
            return await self._run_publish(connection, calls)
        except (RedisError, OSError) as exc:
            raise OutcomeUnknownError(f"publish: {exc!r}") from exc
        finally:
            await pool.release(connection)

    async def _run_publish(self, connection: AbstractConnection, calls: list[list]) -> tuple[list, list[int]]:
        """EVALSHA every call in one round trip; a Redis that lost its scripts (NOSCRIPT: the
        call did not run) gets the script and those calls once more. Returns the replies (an
        error reply as its exception) and the replicas WAIT counted (none asked: an empty list)."""
        replies: list = [None] * len(calls)
        pending = list(range(len(calls)))
        waiting = bool(self._replication.replicas)
        for attempt in range(2):
            commands = [("SCRIPT", "LOAD", self._publish_script)] if attempt else []
            commands += [("EVALSHA", self._publish_sha, *calls[index]) for index in pending]
            if waiting:
                commands.append(self._replication.wait_command())
            answers = await round_trip(connection, commands)
            answers = answers[1:] if attempt else answers
            acknowledged = [answers.pop()] if waiting else []
            missing = []
            for index, answer in zip(pending, answers):
                if isinstance(answer, NoScriptError):
                    missing.append(index)
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
            [epoch, seq, limit, message_id or "", new_epoch(), conflate_through, now_ms(), self._max_age_ms])
        if answer is None:
            return None
        raw, read, last = answer
        return Page(entries_of(raw), max(seq, int(last)), int(read) < limit)

    async def advance(self, user_id: UUID, field: str, seq: int) -> int:
        return int(await self._advance([self.keys.meta(user_id)], [seq, field]))


def messages_per_user(publications: list[Publication]) -> dict[UUID, list[tuple[int, int]]]:
    """Each user's messages among `publications`, in their order: (publication, place among its
    users) pairs, the places `publish_many` answers in."""
    groups: dict[UUID, list[tuple[int, int]]] = {}
    for index, publication in enumerate(publications):
        for position, user_id in enumerate(publication.user_ids):
            groups.setdefault(user_id, []).append((index, position))
    return groups


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def entries_of(raw: list) -> list[tuple[int, bytes]]:
    """(seq, frame) pairs from XRANGE replies (`b"<seq>-0"`, [b"f", frame, b"t", ms])."""
    return [(int(entry_id.split(b"-", 1)[0]), fields[1]) for entry_id, fields in raw]
