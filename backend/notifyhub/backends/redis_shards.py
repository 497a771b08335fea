"""Live delivery on a Redis Cluster: sharded pub/sub, one listener per master.

A user's channel (`P:{U}:live`) is a shard channel: SPUBLISH delivers it only to the clients
subscribed on the master that owns its slot, instead of being relayed to every node. So a hub
holds one pub/sub connection per master owning a channel it needs, and SSUBSCRIBEs each channel
on its owner. The broadcast channel is classic pub/sub (every node relays PUBLISH), held on one
of those connections.

Each connection is watched as on a single Redis (a PING every health check; silent for three, it
is replaced). When a connection fails, or its master hands a slot over (a failover: Redis then
sends `sunsubscribe` for the slot's channels), only that shard's channels are placed again, on the
owners the cluster names now, and once Redis confirms them their users catch up from history.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.cluster import RedisCluster
from redis.crc import key_slot
from redis.exceptions import RedisError

from .base import BackendUnavailableError
from .redis_pubsub import SILENT_CHECKS, OnMessage, pump

logger = logging.getLogger(__name__)

RELOCATE_BACKOFF_FIRST = 0.1
RELOCATE_BACKOFF_CAP = 2.0
"""Waits between attempts to place lost channels: a master that died is replaced by its replica
after the cluster's node timeout (a second or more), and the attempts in between fail fast."""

OnCaughtUp = Callable[[list[str]], None]


class Shard:
    """One pub/sub connection to one master, and the channels it holds there."""

    def __init__(self, owner: ShardedSubscriptions, address: str, client: Redis) -> None:
        self.address = address
        self._owner = owner
        self._client = client
        self.channels: dict[str, asyncio.Future[None]] = {}
        """Shard channels wanted here -> confirmed by Redis."""
        self.holds_broadcast = False
        self.pubsub: PubSub | None = None
        self.task: asyncio.Task | None = None

    def add(self, channel: str) -> asyncio.Future[None]:
        """Want `channel` here; the future is done once Redis confirmed the subscription."""
        confirmed = self.channels.get(channel)
        if confirmed is None:
            confirmed = self.channels[channel] = asyncio.get_running_loop().create_future()
            if self.pubsub is not None:
                self._owner.spawn(self._send(self.pubsub.ssubscribe(channel)))
        return confirmed

    def remove(self, channel: str) -> None:
        self.channels.pop(channel, None)
        if self.pubsub is not None:
            self._owner.spawn(self._send(self.pubsub.sunsubscribe(channel)))

    async def _send(self, command) -> None:
        """A (un)subscription on the live connection; a failure there is the listener's to see."""
        with contextlib.suppress(RedisError, OSError):
            await command

    def hold_broadcast(self) -> None:
        self.holds_broadcast = True
        if self.pubsub is not None:
            self._owner.spawn(self._send(self.pubsub.subscribe(self._owner.broadcast)))

    async def run(self, interval: float) -> None:
        """Subscribe everything wanted, then pump messages until the connection fails or there
        is nothing left to hold; then hand what is left back to the owner."""
        pubsub = self._client.pubsub()
        try:
            initial = list(self.channels)
            await ssubscribe_by_slot(pubsub, initial)
            if self.holds_broadcast:
                await pubsub.subscribe(self._owner.broadcast)
            self.pubsub = pubsub
            # Those wanted while the first subscriptions were on their way.
            await ssubscribe_by_slot(pubsub, [channel for channel in self.channels if channel not in initial])
            await pump(pubsub, interval, self._owner.on_message, self._handle,
                       lambda: bool(self.channels or self.holds_broadcast))
        except (RedisError, OSError, ConnectionError) as exc:
            logger.warning("Redis Cluster pub/sub to %s failed (%s); placing its channels again",
                           self.address, exc)
        finally:
            self.pubsub = None
            with contextlib.suppress(Exception):
                await pubsub.aclose()
            with contextlib.suppress(Exception):
                await self._client.aclose()
            self._owner.lost(self)

    def _handle(self, event: dict) -> None:
        """A reply other than a message: a subscription confirmed, or a slot given away."""
        kind, channel = event["type"], _text(event["channel"] or b"")
        if kind == "ssubscribe":
            confirmed = self.channels.get(channel)
            if confirmed is not None and not confirmed.done():
                confirmed.set_result(None)
                self._owner.confirmed(channel)
        elif kind == "sunsubscribe" and channel in self.channels:
            # Not asked for: the master gave the slot away (failover, resharding).
            self.channels.pop(channel)
            self._owner.moved(channel)

    def fail_pending(self) -> None:
        for confirmed in self.channels.values():
            if not confirmed.done():
                confirmed.set_exception(ConnectionError("Redis Cluster pub/sub connection lost"))
                confirmed.exception()  # retrieved here so an unawaited one is not reported


class ShardedSubscriptions:
    """The shard channels a hub needs, each on its owner's connection, and the broadcast channel.

    `on_message(channel, data)` gets every message; `on_caught_up(channels)` is called when
    channels that were lost (a shard's connection failed, or their slot moved) are subscribed
    again, so their users can catch up from history.
    """

    def __init__(self, cluster: RedisCluster, node_client: Callable[[str, int], Redis], broadcast: str,
                 interval: float, on_message: OnMessage, on_caught_up: OnCaughtUp) -> None:
        self._cluster = cluster
        self._node_client = node_client
        self.broadcast = broadcast
        self._interval = interval
        self.on_message = on_message
        self._on_caught_up = on_caught_up
        self._shards: dict[str, Shard] = {}
        self._wanted: set[str] = set()
        self._catching_up: set[str] = set()
        self._caught_up: list[str] = []
        self._homeless: set[str] = set()
        self._broadcast_homeless = False
        self._relocating: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        self._backoff = RELOCATE_BACKOFF_FIRST
        self._closed = False
        self.relocations = 0

    # What the backend asks

    async def start(self) -> None:
        """Place the broadcast channel; returns once the cluster's layout is known."""
        await self._cluster.initialize()
        self._place_broadcast()

    async def close(self) -> None:
        """Stop every listener. Safe to cancel."""
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=SILENT_CHECKS * self._interval)

    @property
    def connected(self) -> bool:
        """Every shard holding channels has a live connection, and so does the broadcast's."""
        return bool(self._shards) and all(shard.pubsub is not None for shard in self._shards.values())

    async def subscribe(self, channel: str) -> None:
        """SSUBSCRIBE on the channel's owner (once) and wait for Redis to confirm, so no later
        publish is missed. Raises BackendUnavailableError when that cannot be had in three
        health checks."""
        self._wanted.add(channel)
        try:
            confirmed = self._place(channel)
            await asyncio.wait_for(asyncio.shield(confirmed), SILENT_CHECKS * self._interval)
        except (TimeoutError, ConnectionError, RedisError) as exc:
            raise BackendUnavailableError(f"subscribe: {exc!r}") from exc

    def unsubscribe(self, channel: str) -> None:
        self._wanted.discard(channel)
        self._catching_up.discard(channel)
        for shard in self._shards.values():
            if channel in shard.channels:
                shard.remove(channel)

    # What the shards report

    def confirmed(self, channel: str) -> None:
        """Redis confirmed a subscription: a lost channel's user catches up (once per batch)."""
        self._backoff = RELOCATE_BACKOFF_FIRST
        if channel in self._catching_up:
            self._catching_up.discard(channel)
            if not self._caught_up:
                asyncio.get_running_loop().call_soon(self._report_caught_up)
            self._caught_up.append(channel)

    def _report_caught_up(self) -> None:
        channels, self._caught_up = self._caught_up, []
        if channels:
            self._on_caught_up(channels)

    def moved(self, channel: str) -> None:
        """A channel whose slot another master owns now: placed again, then caught up."""
        self._relocate([channel], broadcast=False)

    def lost(self, shard: Shard) -> None:
        """A shard's connection ended: its channels (and the broadcast) go elsewhere."""
        if self._shards.get(shard.address) is shard:
            del self._shards[shard.address]
        shard.fail_pending()
        if not self._closed:
            self._relocate(list(shard.channels), broadcast=shard.holds_broadcast)

    def spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # Placing channels

    def _relocate(self, channels: list[str], broadcast: bool) -> None:
        channels = [channel for channel in channels if channel in self._wanted]
        if not channels and not broadcast:
            return
        self._catching_up.update(channels)
        self._homeless.update(channels)
        self._broadcast_homeless |= broadcast
        if self._relocating is None:
            self.relocations += 1
            self._relocating = self.spawn(self._place_homeless())

    async def _place_homeless(self) -> None:
        """Place lost channels on their owners, asking the cluster for its layout first (a
        replica may have been promoted); wait longer after each attempt that fails."""
        try:
            while self._homeless or self._broadcast_homeless:
                delay, self._backoff = self._backoff, min(self._backoff * 2, RELOCATE_BACKOFF_CAP)
                await asyncio.sleep(delay)
                try:
                    await self._cluster.nodes_manager.initialize()
                except (RedisError, OSError) as exc:
                    logger.warning("Redis Cluster layout unknown (%s); trying again", exc)
                    continue
                channels, self._homeless = self._homeless, set()
                for channel in channels & self._wanted:
                    self._place(channel)
                if self._broadcast_homeless:
                    self._broadcast_homeless = False
                    self._place_broadcast()
        finally:
            self._relocating = None

    def _place(self, channel: str) -> asyncio.Future[None]:
        node = self._cluster.get_node_from_key(channel)
        return self._shard_on(node.host, node.port).add(channel)

    def _place_broadcast(self) -> None:
        if any(shard.holds_broadcast for shard in self._shards.values()):
            return
        node = self._cluster.get_node_from_key(self.broadcast)
        self._shard_on(node.host, node.port).hold_broadcast()

    def _shard_on(self, host: str, port: int) -> Shard:
        address = f"{host}:{port}"
        shard = self._shards.get(address)
        if shard is None:
            shard = self._shards[address] = Shard(self, address, self._node_client(host, port))
            shard.task = self.spawn(shard.run(self._interval))
        return shard


async def ssubscribe_by_slot(pubsub: PubSub, channels: list[str]) -> None:
    """SSUBSCRIBE `channels`, one command per slot: Redis refuses (CROSSSLOT) one whose
    channels hash to different slots, even on the master owning them all."""
    for same_slot in by_slot(channels).values():
        await pubsub.ssubscribe(*same_slot)


def by_slot(channels: list[str]) -> dict[int, list[str]]:
    """`channels` grouped by their hash slot, each group in the order given."""
    groups: dict[int, list[str]] = {}
    for channel in channels:
        groups.setdefault(key_slot(channel.encode()), []).append(channel)
    return groups


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
