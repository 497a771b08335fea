"""Reading pub/sub on a real redis-server: messages that reach the hub in one read are each handed
on, in the order they were published, without waiting for more data from Redis."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from notifyhub.backends.redis import redis_client
from notifyhub.backends.redis_pubsub import BufferedReplies, pump
from notifyhub.settings import Settings
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from tests.support.redis_server import unique_prefix

pytestmark = pytest.mark.redis

QUIET_INTERVAL = 60.0
"""The health check here: no PING wakes the reader during a test, so a message left behind in the
buffer would wait a minute for more data to arrive."""
PROMPTLY = 10.0
"""Every message is handed on well within this, a busy machine included."""
MESSAGES = 2000
PADDING = b"x" * 200
"""About the size of a notification, so that the messages span several reads of the socket."""


@pytest.fixture
async def clients(private_redis) -> AsyncIterator[tuple[Redis, Redis]]:
    """A command client and a pub/sub client (no retries), as the hub makes them."""
    settings = Settings(backend="redis", redis_url=private_redis.url)
    commands, listener = redis_client(settings), redis_client(settings, retries=0)
    yield commands, listener
    await commands.aclose()
    await listener.aclose()


@contextlib.asynccontextmanager
async def subscribed(listener: Redis, *channels: str) -> AsyncIterator[PubSub]:
    pubsub = listener.pubsub()
    await pubsub.subscribe(*channels)
    try:
        yield pubsub
    finally:
        await pubsub.aclose()


async def publish_pipelined(commands: Redis, messages: list[tuple[str, bytes]]) -> None:
    """Every PUBLISH in one round trip, so that Redis writes the messages out back to back."""
    async with commands.pipeline(transaction=False) as pipe:
        for channel, data in messages:
            pipe.publish(channel, data)
        assert await pipe.execute() == [1] * len(messages)


def numbered(channels: list[str]) -> list[tuple[str, bytes]]:
    return [(channels[n % len(channels)], b"%d:" % n + PADDING) for n in range(MESSAGES)]


async def test_pipelined_messages_are_each_handed_on_in_order_without_waiting(clients) -> None:
    """2,000 messages published in one pipeline on two channels all reach the hub's handler,
    each once, in publish order, without waiting for a health check's PING to bring more data."""
    commands, listener = clients
    channels = [f"{unique_prefix()}:{name}" for name in ("a", "b")]
    received: list[tuple[bytes, bytes]] = []
    confirmed, all_received = asyncio.Event(), asyncio.Event()
    subscriptions: list[bytes] = []

    def on_message(channel: bytes, data: bytes) -> None:
        received.append((channel, data))
        if len(received) == MESSAGES:
            all_received.set()

    def on_event(event: dict) -> None:
        if event["type"] == "subscribe":
            subscriptions.append(event["channel"])
            if len(subscriptions) == len(channels):
                confirmed.set()

    async with subscribed(listener, *channels) as pubsub:
        reader = asyncio.create_task(pump(pubsub, QUIET_INTERVAL, on_message, on_event))
        try:
            async with asyncio.timeout(PROMPTLY):
                await confirmed.wait()
            sent = numbered(channels)
            await publish_pipelined(commands, sent)
            waiting = asyncio.ensure_future(all_received.wait())
            finished, _ = await asyncio.wait({reader, waiting}, timeout=PROMPTLY,
                                             return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            if reader in finished:
                reader.result()  # raises what stopped it
            assert all_received.is_set(), f"{len(received)} of {MESSAGES} handed on within {PROMPTLY} s"
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
    assert received == [(channel.encode(), data) for channel, data in sent]


async def test_replies_that_arrive_together_are_taken_together(clients) -> None:
    """Messages already in the buffer come out in batches (not one wait per message), in order,
    and the last batch needs no more data from Redis to be handed over."""
    commands, listener = clients
    channel = f"{unique_prefix()}:live"
    async with subscribed(listener, channel) as pubsub:
        replies = BufferedReplies(pubsub)
        async with asyncio.timeout(PROMPTLY):
            assert (await replies.next_batch(QUIET_INTERVAL))[0][:2] == [b"subscribe", channel.encode()]
            sent = numbered([channel])
            await publish_pipelined(commands, sent)
            await pubsub.ping()  # its PONG is the last reply: Redis sends it after every message
            batches: list[list] = []
            while not batches or not _is_pong(batches[-1][-1]):
                batches.append(await replies.next_batch(QUIET_INTERVAL))
    messages = [reply for batch in batches for reply in batch if not _is_pong(reply)]
    assert messages == [[b"message", channel.encode(), data] for _, data in sent]
    assert len(batches) <= MESSAGES // 10, [len(batch) for batch in batches]


async def test_a_connection_that_redis_py_reconnected_is_given_up(clients) -> None:
    """When redis-py re-establishes the pub/sub connection under the reader (a subscribe after a
    failed write), the reader raises ConnectionError: messages sent in between are lost, and the
    hub must resubscribe and catch up rather than read on."""
    _, listener = clients
    async with subscribed(listener, f"{unique_prefix()}:live") as pubsub:
        replies = BufferedReplies(pubsub)
        await pubsub.connection.disconnect()
        await pubsub.connection.connect()
        with pytest.raises(ConnectionError):
            await replies.next_batch(QUIET_INTERVAL)


def _is_pong(reply) -> bool:
    """PING's answer on a subscribed connection: a plain PONG in RESP3, a list in RESP2."""
    return reply == b"PONG" or reply == [b"pong", b""]
