"""The Redis backend: several hubs share users' streams, presence and stats through Redis.

Each hub holds one pub/sub connection. It subscribes to the broadcast channel, and to a user's
channel only while it holds a connection of that user (never by pattern). The hub owns the
listener loop: a connection that errors, or stays silent past three health checks (half-open),
is replaced, every channel is subscribed again, and every local connection catches up from
history, so a message accepted during the gap still arrives, once. The connection is read a batch
of replies at a time (redis_pubsub.py).

On a Redis Cluster (NOTIFYHUB_REDIS_CLUSTER) commands go through redis-py's cluster client, and
users' channels are shard channels held per master by `ShardedSubscriptions` (redis_shards.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.client import PubSub
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.maint_notifications import MaintNotificationsConfig
from redis.exceptions import RedisError

from ..settings import Settings
from .base import (
    Backend,
    BackendUnavailableError,
    Deliveries,
    HubSummary,
    Page,
    Publication,
    PublishToken,
    Replay,
    Since,
    StreamState,
    UserView,
    resume_start,
)
from .positions import StreamPositions
from .redis_cluster_client import WaitingRedisCluster
from .redis_pubsub import pump
from .redis_races import unavailable_on_error
from .redis_schedule import RedisFallbackSchedule
from .redis_shards import ShardedSubscriptions
from .redis_streams import RedisKeys, RedisStreams, entries_of
from .replication import Replication

logger = logging.getLogger(__name__)

RECONNECT_BACKOFF_CAP = 2.0
HUB_EXPIRY_CHECKS = 3
"""A hub that has not refreshed its registration for this many health checks is gone."""

REVOKE_HEADER = b"revoke - -"
"""The header of a control message on a user's channel: the hubs holding the user's connections
close them with CONNECTION_REVOKED. A message's header starts with its epoch (12 characters), so
this one is never taken for a message by a hub that knows it."""

# KEYS: the hub registry. ARGV: hub id, registration (JSON with its version `v`), version. A hub's
# registrations go out on different connections (each connection's own, the periodic one), so
# they can reach Redis out of order: an older one never replaces a newer one.
REGISTER = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local ok, entry = pcall(cjson.decode, current)
  if ok and type(entry) == 'table' and tonumber(entry.v or 0) > tonumber(ARGV[3]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""


RETRY_BACKOFF_BASE = 0.05
RETRY_BACKOFF_CAP = 0.5
"""Waits between retries of a Redis command: exponential from 50 ms, at most half a second, so
that a restart of a few seconds is ridden out by the default three retries of a 1 s timeout."""


def redis_client(settings: Settings, url: str | None = None, retries: int | None = None,
                 cluster: bool | None = None) -> Redis | RedisCluster:
    """A client whose commands wait (bounded) for a free pooled connection, fail within the
    command timeout instead of hanging, and are retried with backoff after a lost connection.

    With NOTIFYHUB_REDIS_CLUSTER, redis-py's cluster client: `url` is any node, and the pool size
    bounds the commands in flight on all nodes together (see WaitingRedisCluster)."""
    timeout = settings.redis_command_timeout_seconds
    retry = Retry(ExponentialBackoff(cap=RETRY_BACKOFF_CAP, base=RETRY_BACKOFF_BASE),
                  settings.redis_retries if retries is None else retries)
    if settings.redis_cluster if cluster is None else cluster:
        # Maintenance notifications off: their handshake on a connection to a node that just died
        # fails with an AttributeError inside redis-py instead of a ConnectionError.
        return WaitingRedisCluster.from_url(
            url or settings.redis_url, max_connections=settings.redis_pool_size,
            pool_timeout=settings.redis_pool_timeout_seconds, socket_timeout=timeout,
            socket_connect_timeout=timeout, retry=retry,
            maint_notifications_config=MaintNotificationsConfig(enabled=False))
    pool = BlockingConnectionPool.from_url(
        url or settings.redis_url, max_connections=settings.redis_pool_size,
        timeout=settings.redis_pool_timeout_seconds, socket_timeout=timeout,
        socket_connect_timeout=timeout, retry=retry)
    return Redis.from_pool(pool)


def node_url(url: str, host: str, port: int) -> str:
    """`url` (scheme, credentials, options) aimed at one node of a cluster."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    return urlunsplit(parts._replace(netloc=f"{credentials}@{host}:{port}" if credentials else f"{host}:{port}"))


def streams_for(settings: Settings, redis: Redis | RedisCluster, keys: RedisKeys) -> RedisStreams:
    """Users' streams with the history limits and the replication wait of these settings."""
    replication = Replication(settings.redis_wait_replicas, int(settings.redis_wait_timeout_seconds * 1000))
    return RedisStreams(redis, keys, settings.history_max_messages, settings.history_max_age_seconds,
                        replication, settings.redis_retries)


class RedisBackend(Backend):
    def __init__(self, settings: Settings) -> None:
        self.hub_id = uuid.uuid4().hex
        self._interval = settings.redis_health_check_seconds
        self._redis = redis_client(settings)
        self._keys = RedisKeys(settings.redis_prefix)
        self._broadcast_channel = self._keys.broadcast.encode()
        self._streams = streams_for(settings, self._redis, self._keys)
        self.schedule = RedisFallbackSchedule(self._redis, self._keys, settings.history_max_age_seconds)
        # No retries on pub/sub connections: redis-py would reconnect and resubscribe silently,
        # and the hub would never learn that it missed messages in between.
        self._pubsub_redis = None if settings.redis_cluster else redis_client(settings, retries=0)
        self._shards = None if not settings.redis_cluster else ShardedSubscriptions(
            self._redis, lambda host, port: redis_client(settings, node_url(settings.redis_url, host, port),
                                                         retries=0, cluster=False),
            self._keys.broadcast, self._interval, self._on_message, self._caught_up)
        self._positions = StreamPositions(settings.redis_positions_remembered)
        self._local: dict[UUID, int] = {}
        self._registrations = 0
        self._users_by_channel: dict[bytes, UUID] = {}
        """The user of each channel a local connection holds, so a message's user is looked up, not parsed."""
        self._subscribed: dict[str, asyncio.Future[None]] = {}
        self._pubsub: PubSub | None = None
        self._tasks: list[asyncio.Task] = []
        self._deliveries: Deliveries | None = None
        self.reconnects = 0

    @property
    def redis(self) -> Redis | RedisCluster:
        """The command client, for stores that keep their keys beside the hub's (fallback/)."""
        return self._redis

    @property
    def keys(self) -> RedisKeys:
        return self._keys

    # Lifecycle

    async def start(self, deliveries: Deliveries) -> None:
        self._deliveries = deliveries
        if self._shards is not None:
            async with unavailable_on_error("cluster layout"):
                await self._shards.start()
            listener = None
        else:
            listener = asyncio.create_task(self._listen(), name="notifyhub-redis-listener")
        self._tasks = [task for task in (listener, asyncio.create_task(
            self._register_loop(), name="notifyhub-redis-registry")) if task is not None]

    async def close(self) -> None:
        """Stop the listener and the registry, forget this hub's presence, close the pools.
        Safe to cancel (the hub bounds it by its shutdown timeout)."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=HUB_EXPIRY_CHECKS * self._interval)
        if self._shards is not None:
            await self._shards.close()
        with contextlib.suppress(RedisError, OSError):
            await self._forget_hub(self.hub_id)
        await self._redis.aclose()
        if self._pubsub_redis is not None:
            await self._pubsub_redis.aclose()

    async def check_health(self) -> None:
        """Healthy while the pub/sub connection is up (live messages arrive) and Redis answers a
        PING from the command pool (publishes go through)."""
        if not (self._shards.connected if self._shards is not None else self._pubsub is not None):
            raise BackendUnavailableError("the Redis pub/sub connection is down; reconnecting")
        try:
            await self._redis.ping()
        except (RedisError, OSError) as exc:  # the detail is shown to probes: no address in it
            raise BackendUnavailableError("Redis did not answer a PING") from exc

    # Publishing

    async def publish(self, user_ids: list[UUID], body: bytes, token: PublishToken | None = None,
                      conflation_key: str | None = None, fallback_seconds: float | None = None) -> int:
        [reached] = await self.publish_many([Publication(user_ids, body, token, conflation_key, fallback_seconds)])
        return reached

    async def publish_many(self, publications: list[Publication]) -> list[int]:
        """Every message's scripts in one round trip (per master on a cluster); see Backend."""
        with_tokens = [publication if publication.token else replace(publication, token=PublishToken.internal())
                       for publication in publications]
        reached = []
        for appended in await self._streams.publish_many(with_tokens, self._positions.floor):
            for place in appended:
                self._positions.saw(place.user_id, place.epoch, place.seq)
            reached.append(sum(place.connections for place in appended))
        return reached

    async def claim_idempotency_key(self, key: str, fingerprint: str, window_seconds: float) -> bool:
        async with unavailable_on_error("idempotency key"):
            return await self._streams.claim_idempotency_key(key, fingerprint, window_seconds)

    async def release_idempotency_key(self, key: str) -> None:
        async with unavailable_on_error("idempotency key"):
            await self._streams.release_idempotency_key(key)

    async def broadcast(self, frame: bytes) -> int:
        async with unavailable_on_error("broadcast"):
            await self._streams.broadcast(frame)
            return (await self.cluster_stats())["total_connections"]

    async def send_live(self, user_id: UUID, frame: bytes, exclude: UUID | None) -> None:
        async with unavailable_on_error("send"):
            await self._streams.send_live(user_id, frame, exclude)

    async def publish_live(self, user_ids: list[UUID], frame: bytes) -> int:
        async with unavailable_on_error("publish"):
            return await self._streams.publish_live(user_ids, frame)

    # History and cursors

    async def replay(self, user_id: UUID, since: Since | None, limit: int) -> Replay:
        async with unavailable_on_error("replay"):
            epoch, last, acked, read, oldest, raw, covered, through = await self._streams.replay(
                user_id, since.epoch if since else "", since.seq if since else 0, limit,
                since.message_id if since else None)
        state = StreamState(_text(epoch), int(last), int(acked), int(read))
        self._positions.saw(user_id, state.epoch, state.last_seq)
        oldest_seq = int(oldest.split(b"-", 1)[0]) if oldest else None
        start, recovered = resume_start(since, state, oldest_seq)
        # The page starts at the lower of the two positions; what the client has is skipped here,
        # so a page can come out empty yet incomplete. The connection then reads on from `start`.
        entries = [(seq, f) for seq, f in entries_of(raw) if seq > start]
        return Replay(state, recovered, start, entries, int(covered) < limit, max(start, int(through)))

    async def history_after(self, user_id: UUID, epoch: str, seq: int, limit: int,
                            message_id: str | None = None, conflate_through: int = 0) -> Page | None:
        async with unavailable_on_error("history"):
            return await self._streams.history_after(user_id, epoch, seq, limit, message_id, conflate_through)

    async def acknowledge(self, user_id: UUID, seq: int) -> int:
        async with unavailable_on_error("acknowledge"):
            return await self._streams.advance(user_id, "acked", seq)

    async def mark_read(self, user_id: UUID, seq: int) -> int:
        async with unavailable_on_error("mark read"):
            return await self._streams.advance(user_id, "read", seq)

    # Presence and subscriptions

    async def connection_opened(self, user_id: UUID, connection_id: UUID) -> None:
        self._local[user_id] = self._local.get(user_id, 0) + 1
        self._users_by_channel[self._keys.channel(user_id).encode()] = user_id
        async with unavailable_on_error("join"):
            await self._together([("HSET", self._keys.connections(user_id), str(connection_id), self.hub_id),
                                  ("SADD", self._keys.hub_users(self.hub_id), str(user_id)),
                                  self._registration()])
            await self._subscribe(self._keys.channel(user_id))

    async def connection_closed(self, user_id: UUID, connection_id: UUID) -> None:
        remaining = self._local.get(user_id, 0) - 1
        if remaining > 0:
            self._local[user_id] = remaining
        else:
            self._local.pop(user_id, None)
            channel = self._keys.channel(user_id)
            self._users_by_channel.pop(channel.encode(), None)
            self._subscribed.pop(channel, None)
            if self._shards is not None:
                self._shards.unsubscribe(channel)
            elif self._pubsub is not None:
                with contextlib.suppress(RedisError, OSError):
                    await self._pubsub.unsubscribe(channel)
        async with unavailable_on_error("leave"):
            await self._together([("HDEL", self._keys.connections(user_id), str(connection_id)),
                                  *([("SREM", self._keys.hub_users(self.hub_id), str(user_id))] if remaining <= 0 else []),
                                  self._registration()])

    async def _together(self, commands: list[tuple]) -> list:
        """Commands that need no atomicity: in one pipeline on a single Redis; each on its own on
        a cluster, whose keys live on several masters (and whose pipeline, when it retries, drops
        every connection of the client, including those other commands are using)."""
        if self._shards is not None:
            return list(await asyncio.gather(*(self._redis.execute_command(*command) for command in commands)))
        async with self._redis.pipeline(transaction=False) as pipe:
            for command in commands:
                pipe.execute_command(*command)
            return await pipe.execute()

    async def presence(self, user_id: UUID) -> int:
        async with unavailable_on_error("presence"):
            return int(await self._redis.hlen(self._keys.connections(user_id)))

    async def cluster_stats(self) -> dict[str, int]:
        async with unavailable_on_error("stats"):
            hubs = self._live_hubs(await self._redis.hgetall(self._keys.hubs))
            hubs[self.hub_id] = {"connections": sum(self._local.values())}
            users = await self._hub_users(list(hubs))
        return {"connected_users": len(users), "total_connections": sum(h["connections"] for h in hubs.values()),
                "hubs": len(hubs)}

    # The operations console

    async def hub_summaries(self) -> list[HubSummary]:
        async with unavailable_on_error("hubs"):
            hubs = self._live_hubs(await self._redis.hgetall(self._keys.hubs))
            hubs[self.hub_id] = {"connections": sum(self._local.values()), "seen": time.time()}
            users = await self._together([("SCARD", self._keys.hub_users(hub)) for hub in hubs])
        return [HubSummary(hub, entry["connections"], int(count), entry["seen"])
                for (hub, entry), count in zip(hubs.items(), users)]

    async def user_view(self, user_id: UUID, limit: int) -> UserView:
        async with unavailable_on_error("user"):
            connections, meta, newest = await self._together([
                ("HGETALL", self._keys.connections(user_id)),
                ("HMGET", self._keys.meta(user_id), "epoch", "seq", "acked", "read"),
                ("XREVRANGE", self._keys.log(user_id), "+", "-", "COUNT", limit)])
        epoch, last, acked, read = meta
        state = None if epoch is None else StreamState(_text(epoch), int(last or 0), int(acked or 0),
                                                       int(read or 0))
        entries = [(int(entry_id.split(b"-", 1)[0]), fields[b"f"]) for entry_id, fields in reversed(newest)]
        return UserView({_text(c): _text(hub) for c, hub in connections.items()}, state, entries)

    async def revoke(self, user_id: UUID, reason: str) -> int:
        """A control message on the user's channel, which exactly the hubs holding the user's
        connections listen to, in order with the user's messages."""
        publish = self._redis.spublish if self._shards is not None else self._redis.publish
        async with unavailable_on_error("revoke"):
            connections = await self._redis.hlen(self._keys.connections(user_id))
            await publish(self._keys.channel(user_id), REVOKE_HEADER + b"\n" + reason.encode())
        return int(connections)

    async def share_sample(self, sample: bytes, keep: int, ttl_seconds: float) -> None:
        key = self._keys.hub_samples(self.hub_id)
        async with unavailable_on_error("share sample"):
            await self._together([("RPUSH", key, sample), ("LTRIM", key, -keep, -1),
                                  ("PEXPIRE", key, int(ttl_seconds * 1000))])

    async def shared_samples(self) -> dict[str, list[bytes]] | None:
        async with unavailable_on_error("samples"):
            hubs = list(self._live_hubs(await self._redis.hgetall(self._keys.hubs)))
            lists = await self._together([("LRANGE", self._keys.hub_samples(hub), 0, -1) for hub in hubs])
        return dict(zip(hubs, lists))

    async def _hub_users(self, hubs: list[str]) -> set[bytes]:
        """Every user connected to one of these hubs. Each hub's set is read on its own (no
        SUNION): on a cluster, the sets live in different slots."""
        return set().union(*await self._together([("SMEMBERS", self._keys.hub_users(hub)) for hub in hubs]))

    def _live_hubs(self, registry: dict[bytes, bytes]) -> dict[str, dict]:
        horizon = time.time() - HUB_EXPIRY_CHECKS * self._interval
        hubs = {_text(hub): json.loads(entry) for hub, entry in registry.items()}
        return {hub: entry for hub, entry in hubs.items() if entry["seen"] >= horizon}

    async def _subscribe(self, channel: str) -> None:
        """Subscribe (once) and wait for Redis to confirm, so no later publish is missed."""
        if self._shards is not None:
            return await self._shards.subscribe(channel)
        confirmed = self._subscribed.get(channel)
        if confirmed is None:
            if self._pubsub is None:
                raise BackendUnavailableError("subscribe: not connected to Redis")
            confirmed = self._subscribed[channel] = asyncio.get_running_loop().create_future()
            await self._pubsub.subscribe(channel)
        try:
            await asyncio.wait_for(asyncio.shield(confirmed), HUB_EXPIRY_CHECKS * self._interval)
        except (TimeoutError, ConnectionError) as exc:
            raise BackendUnavailableError(f"subscribe: {exc!r}") from exc

    # The listener

    async def _listen(self) -> None:
        """Keep one healthy pub/sub connection for as long as the hub runs."""
        backoff = 0.1
        connected_before = False
        while True:
            pubsub = self._pubsub_redis.pubsub()
            try:
                await self._subscribe_all(pubsub)
                if connected_before:
                    self.reconnects += 1
                    logger.warning("Redis pub/sub reconnected; catching connections up from history")
                    self._deliveries.resynchronise()
                connected_before, backoff = True, 0.1
                await pump(pubsub, self._interval, self._on_message, self._handle)
            except (RedisError, OSError, ConnectionError) as exc:
                logger.warning("Redis pub/sub failed (%s); reconnecting in %.1fs", exc, backoff)
            finally:
                self._pubsub = None
                self._fail_pending_subscriptions()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, RECONNECT_BACKOFF_CAP)

    async def _subscribe_all(self, pubsub: PubSub) -> None:
        channels = [self._keys.broadcast] + [self._keys.channel(user) for user in self._local]
        loop = asyncio.get_running_loop()
        self._subscribed = {channel: loop.create_future() for channel in channels}
        await pubsub.subscribe(*channels)
        self._pubsub = pubsub

    def _fail_pending_subscriptions(self) -> None:
        for future in self._subscribed.values():
            if not future.done():
                future.set_exception(ConnectionError("Redis pub/sub connection lost"))
                future.exception()  # retrieved here so an unawaited one is not reported
        self._subscribed = {}

    def _handle(self, event: dict) -> None:
        """A reply other than a message: a subscription Redis confirmed."""
        if event["type"] == "subscribe":
            confirmed = self._subscribed.get(_text(event["channel"]))
            if confirmed is not None and not confirmed.done():
                confirmed.set_result(None)

    def _on_message(self, channel: bytes, data: bytes) -> None:
        """A message of the broadcast channel or of a user's channel, from any connection."""
        if channel == self._broadcast_channel:
            self._deliveries.deliver_to_all(data)
        else:
            user_id = self._users_by_channel.get(channel) or self._keys.user_of_channel(channel.decode())
            header, _, frame = data.partition(b"\n")
            if header == REVOKE_HEADER:
                self._deliveries.revoke_user(user_id, frame.decode(errors="replace"))
                return
            epoch, seq, exclude = header.decode().split(" ")
            if seq != "-":
                self._positions.saw(user_id, epoch, int(seq))
            self._deliveries.deliver_to_user(user_id, epoch, None if seq == "-" else int(seq), frame,
                                             None if exclude == "-" else UUID(exclude))

    def _caught_up(self, channels: list[str]) -> None:
        """A cluster shard's channels were lost and are subscribed again: their users catch up."""
        self.reconnects += 1
        logger.warning("Redis Cluster pub/sub resubscribed %d channel(s); catching their users up", len(channels))
        self._deliveries.resynchronise([self._keys.user_of_channel(channel) for channel in channels])

    # Hub registry: stats across hubs, and cleaning up after hubs that died

    async def _register_loop(self) -> None:
        while True:
            with contextlib.suppress(RedisError, OSError):
                await self._register()
                await self._forget_dead_hubs()
            await asyncio.sleep(self._interval)

    def _registration(self) -> tuple:
        """The command that records this hub's connections now, versioned (REGISTER)."""
        self._registrations += 1
        entry = json.dumps({"connections": sum(self._local.values()), "seen": time.time(), "v": self._registrations})
        return "EVAL", REGISTER, 1, self._keys.hubs, self.hub_id, entry, self._registrations

    async def _register(self) -> None:
        await self._redis.execute_command(*self._registration())

    async def _forget_dead_hubs(self) -> None:
        registry = await self._redis.hgetall(self._keys.hubs)
        live = self._live_hubs(registry)
        for hub in {_text(h) for h in registry} - set(live):
            logger.info("removing the presence of hub %s, which stopped reporting", hub)
            await self._forget_hub(hub)

    async def _forget_hub(self, hub_id: str) -> None:
        """Drop a hub's connections from presence and the hub from the registry."""
        users = await self._redis.smembers(self._keys.hub_users(hub_id))
        for user in users:
            key = self._keys.connections(UUID(_text(user)))
            stale = [conn for conn, owner in (await self._redis.hgetall(key)).items() if _text(owner) == hub_id]
            if stale:
                await self._redis.hdel(key, *stale)
        await self._redis.delete(self._keys.hub_users(hub_id))
        await self._redis.delete(self._keys.hub_samples(hub_id))
        await self._redis.hdel(self._keys.hubs, hub_id)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
