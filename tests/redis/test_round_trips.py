"""Round trips to Redis: a batch's messages go in one, and so do publishes issued together, and
each user still gets them in order.

Counted by redis-server itself, on a server of the test's own so that nothing else is counted:
`total_reads_processed` in INFO stats is one per read of a client's socket, and a read takes at
most 16 KB, so commands sent in one round trip cost one read per 16 KB of them, and commands
sent one after the other at least one read each."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from notifyhub.backends.base import IdempotencyKeyReusedError, Publication, PublishToken
from notifyhub.backends.redis import redis_client
from notifyhub.backends.redis_streams import RedisKeys, RedisStreams
from notifyhub.backends.redis_wire import round_trip
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from tests.redis.faults import fault_settings, no_floor, notification_body

pytestmark = pytest.mark.redis

USERS = 20
MESSAGES = 200




READ_BYTES = 16 * 1024
"""The most redis-server reads from a client's socket at once (PROTO_IOBUF_LEN)."""


async def _reads_and_bytes(client) -> tuple[int, int]:
    """Reads redis-server made so far and the bytes it read, this INFO's own included."""
    stats = await client.info("stats")
    return int(stats["total_reads_processed"]), int(stats["total_net_input_bytes"])


async def _round_trips(client, reads_before: int, bytes_before: int) -> int:
    """Round trips since the counts before: reads beyond those the bytes sent needed anyway
    (the INFO asking counts as one)."""
    reads, received = await _reads_and_bytes(client)
    return reads - reads_before - (received - bytes_before) // READ_BYTES


@pytest.fixture
async def streams(private_redis):
    settings = fault_settings(private_redis.url)
    client = redis_client(settings)
    streams = RedisStreams(client, RedisKeys(settings.redis_prefix), 1000, 3600)
    await streams.publish([uuid.uuid4()], notification_body("connects"), PublishToken.internal(), no_floor)
    yield streams
    await client.aclose()


async def test_a_batch_goes_to_redis_in_one_round_trip_in_order(streams: RedisStreams) -> None:
    """200 messages to 20 users cost one round trip, and each user's stream holds its messages in
    the batch's order, seq 1, 2, 3..."""
    users = [uuid.uuid4() for _ in range(USERS)]
    bodies = [notification_body(f"m{index}") for index in range(MESSAGES)]
    publications = [Publication([users[index % USERS]], body, PublishToken.internal())
                    for index, body in enumerate(bodies)]
    before = await _reads_and_bytes(streams.redis)
    appended = await streams.publish_many(publications, no_floor)
    assert await _round_trips(streams.redis, *before) <= 2  # the batch's, and the INFO asking
    assert [[place.seq for place in places] for places in appended] == [[1 + index // USERS]
                                                                        for index in range(MESSAGES)]
    for number, user in enumerate(users):
        entries = [(int(entry_id.split(b"-")[0]), fields[b"f"])
                   for entry_id, fields in await streams.redis.xrange(streams.keys.log(user))]
        assert entries == [(seq, b'{"seq":%d,' % seq + body[1:])
                           for seq, body in enumerate(bodies[number::USERS], start=1)]


async def test_concurrent_publishes_share_a_round_trip_and_keep_their_own_answers(streams: RedisStreams) -> None:
    """Publishes issued together (publishers in flight) go to Redis in one round trip; each gets
    its own answer, so a reused idempotency key refuses that publish alone."""
    user, token = uuid.uuid4(), PublishToken.for_key("order-1", "first body", 60)
    await streams.publish([user], notification_body("first"), token, no_floor)
    users = [uuid.uuid4() for _ in range(USERS)]
    before = await _reads_and_bytes(streams.redis)
    outcomes = await asyncio.gather(
        *(streams.publish([other], notification_body(f"to {index}"), PublishToken.internal(), no_floor)
          for index, other in enumerate(users)),
        streams.publish([user], notification_body("reused"), PublishToken.for_key("order-1", "another body", 60), no_floor),
        return_exceptions=True)
    assert await _round_trips(streams.redis, *before) <= 2  # the publishes', and the INFO asking
    assert [[(place.user_id, place.seq) for place in places] for places in outcomes[:-1]] == [
        [(other, 1)] for other in users]
    assert isinstance(outcomes[-1], IdempotencyKeyReusedError)


async def test_an_error_reply_takes_its_commands_place_and_the_others_run(private_redis) -> None:
    """In one round trip, a command Redis refuses answers with its error; those around it run."""
    client = redis_client(fault_settings(private_redis.url))
    connection = await client.connection_pool.get_connection()
    try:
        set_, refused, read = await round_trip(connection, [("SET", "k", "v"), ("INCR", "k"), ("GET", "k")])
    finally:
        await client.connection_pool.release(connection)
        await client.aclose()
    assert (set_, read) == (b"OK", b"v")
    assert isinstance(refused, ResponseError)


async def test_a_round_trip_that_timed_out_leaves_no_reply_behind(private_redis) -> None:
    """A reply that came too late is never taken for the next command's on that connection."""
    client = redis_client(fault_settings(private_redis.url, redis_timeout_seconds=0.05), retries=0)
    connection = await client.connection_pool.get_connection()
    try:
        with pytest.raises(RedisTimeoutError):
            await round_trip(connection, [("BLPOP", "nothing", "0.2")])  # answers after 0.2 s
        assert await round_trip(connection, [("ECHO", "next")]) == [b"next"]
    finally:
        await client.connection_pool.release(connection)
        await client.aclose()
