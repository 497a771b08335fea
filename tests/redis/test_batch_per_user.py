"""A batch's messages to one user go to Redis as one script call, on a single Redis and on a Redis
Cluster: each message still gets its own token check, seq, history entry, live publish and
fallback, and the answers map to (message, user) as they did one call per message. And expired
messages, which publishes trim only now and then, are never read."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from notifyhub.backends.base import IdempotencyKeyReusedError, Publication, PublishToken
from notifyhub.backends.redis import redis_client, streams_for
from notifyhub.backends.redis_schedule import bucket_of
from notifyhub.backends.redis_streams import AGE_TRIM_EVERY, Appended, RedisKeys, RedisStreams

from tests.redis.faults import fault_settings, no_floor, notification_body
from tests.support.redis_cluster import own_cluster

pytestmark = pytest.mark.redis

FALLBACK_SECONDS = 300.0




def _token(key: str, fingerprint: str = "same") -> PublishToken:
    return PublishToken.for_key(key, fingerprint, 60)


def _places(appended: list[list[Appended]]) -> list[list[tuple[uuid.UUID, int, bool]]]:
    return [[(place.user_id, place.seq, place.repeated) for place in places] for places in appended]


@pytest.fixture(scope="module")
def cluster():
    with own_cluster() as running:
        yield running


@pytest.fixture(params=["single", "cluster"])
async def streams(request: pytest.FixtureRequest) -> AsyncIterator[RedisStreams]:
    """Streams on a redis-server of the test's own, or on a Redis Cluster (three masters)."""
    if request.param == "single":
        settings = fault_settings(request.getfixturevalue("private_redis").url)
    else:
        settings = fault_settings(request.getfixturevalue("cluster").url, redis_cluster=True)
    client = redis_client(settings)
    yield streams_for(settings, client, RedisKeys(settings.redis_prefix))
    await client.aclose()


@pytest.fixture
async def single(private_redis) -> AsyncIterator[RedisStreams]:
    settings = fault_settings(private_redis.url)
    client = redis_client(settings)
    yield streams_for(settings, client, RedisKeys(settings.redis_prefix))
    await client.aclose()


async def _history(streams: RedisStreams, user: uuid.UUID) -> list[tuple[int, bytes]]:
    return [(int(entry_id.split(b"-")[0]), fields[b"f"])
            for entry_id, fields in await streams.redis.xrange(streams.keys.log(user))]


async def _script_calls(streams: RedisStreams) -> int:
    stats = await streams.redis.info("commandstats")
    return int(stats.get("cmdstat_evalsha", {}).get("calls", 0))


async def test_interleaved_users_get_their_messages_in_order_and_each_answer_its_place(streams) -> None:
    """Messages to users in any interleaving: each user's stream holds its own in the batch's
    order, and each (message, user) is answered with its own seq."""
    a, b, c = (uuid.uuid4() for _ in range(3))
    targets = [[a], [b], [a, c], [b], [c, a], [a]]
    bodies = [notification_body(f"m{index}") for index in range(len(targets))]
    appended = await streams.publish_many(
        [Publication(users, body, PublishToken.internal()) for users, body in zip(targets, bodies)], no_floor)
    assert _places(appended) == [[(a, 1, False)], [(b, 1, False)], [(a, 2, False), (c, 1, False)],
                                 [(b, 2, False)], [(c, 2, False), (a, 3, False)], [(a, 4, False)]]
    for user in (a, b, c):
        mine = [body for users, body in zip(targets, bodies) if user in users]
        assert await _history(streams, user) == [(seq, b'{"seq":%d,' % seq + body[1:])
                                                 for seq, body in enumerate(mine, start=1)]
    assert len({place.epoch for places in appended for place in places if place.user_id == a}) == 1


async def test_a_token_repeated_within_a_batch_or_by_a_retry_appends_once(streams) -> None:
    """A message already recorded for a user (an earlier partial attempt), the same token twice in
    one batch, and the whole batch sent again: each user has each message once, every repeat
    answered with the first seq."""
    a, b = uuid.uuid4(), uuid.uuid4()
    first, second = _token("order-1"), _token("order-2")
    await streams.publish([a], notification_body("first"), first, no_floor)  # the attempt that reached only a
    batch = [Publication([a, b], notification_body("first"), first), Publication([a], notification_body("second"), second),
             Publication([a], notification_body("second"), second)]
    appended = await streams.publish_many(batch, no_floor)
    assert _places(appended) == [[(a, 1, True), (b, 1, False)], [(a, 2, False)], [(a, 2, True)]]
    again = await streams.publish_many(batch, no_floor)
    assert _places(again) == [[(a, 1, True), (b, 1, True)], [(a, 2, True)], [(a, 2, True)]]
    assert [seq for seq, _ in await _history(streams, a)] == [1, 2]
    assert [seq for seq, _ in await _history(streams, b)] == [1]


async def test_a_reused_token_refuses_the_batch_and_a_retry_doubles_nothing(streams) -> None:
    """A token recorded with another fingerprint refuses the batch; the user's other messages in
    it are done, so the batch sent again without the reused one repeats them."""
    user = uuid.uuid4()
    await streams.publish([user], notification_body("original"), _token("order-1"), no_floor)
    other = Publication([user], notification_body("other"), _token("order-2"))
    with pytest.raises(IdempotencyKeyReusedError):
        await streams.publish_many(
            [other, Publication([user], notification_body("changed"), _token("order-1", "another body"))], no_floor)
    assert _places(await streams.publish_many([other], no_floor)) == [[(user, 2, True)]]
    assert [seq for seq, _ in await _history(streams, user)] == [1, 2]


async def test_messages_with_and_without_a_fallback_in_one_users_batch_schedule_only_theirs(streams) -> None:
    """Of one user's messages, those of a type with a fallback are scheduled, each under its own
    seq with its own frame; the others and other users are not."""
    user, other = uuid.uuid4(), uuid.uuid4()
    batch = [Publication([user], notification_body("with 1"), PublishToken.internal(), fallback_seconds=FALLBACK_SECONDS),
             Publication([user, other], notification_body("without"), PublishToken.internal()),
             Publication([user], notification_body("with 3"), PublishToken.internal(), fallback_seconds=FALLBACK_SECONDS)]
    appended = await streams.publish_many(batch, no_floor)
    epoch = appended[0][0].epoch
    keys, bucket = streams.keys, bucket_of(user)
    names = {name.decode() for name in await streams.redis.zrange(keys.fallback_due(bucket), 0, -1)}
    assert names == {f"{user} {epoch} 1", f"{user} {epoch} 3"}
    history = dict(await _history(streams, user))
    for seq in (1, 3):
        assert await streams.redis.hget(keys.fallback_entries(bucket), f"{user} {epoch} {seq}") == history[seq]
    if bucket_of(other) != bucket:
        assert await streams.redis.zcard(keys.fallback_due(bucket_of(other))) == 0


async def test_conflation_keys_within_one_users_batch_keep_the_latest_per_key(streams) -> None:
    """Several messages with conflation keys to one user in one batch: `latest` names each key's
    last seq (with the history's expiry) and history reads skip the superseded ones."""
    user = uuid.uuid4()
    keyed = [("progress:x", "x1"), ("progress:y", "y1"), ("progress:x", "x2"), (None, "plain")]
    appended = await streams.publish_many(
        [Publication([user], notification_body(text), PublishToken.internal(), key) for key, text in keyed], no_floor)
    latest = streams.keys.latest(user)
    assert await streams.redis.hgetall(latest) == {b"progress:x": b"3", b"progress:y": b"2"}
    assert await streams.redis.pttl(latest) > 0
    page = await streams.history_after(user, appended[0][0].epoch, 0, 10, None, conflate_through=4)
    assert page is not None and [seq for seq, _ in page.entries] == [2, 3, 4]


async def test_a_floor_ahead_of_the_stream_renews_its_epoch_once_for_the_users_messages(streams) -> None:
    """A stream behind the position the hub saw lost writes: the user's next messages, all of
    them, go under one new epoch and continue its seq."""
    user = uuid.uuid4()
    [before] = await streams.publish([user], notification_body("first"), PublishToken.internal(), no_floor)
    appended = await streams.publish_many(
        [Publication([user], notification_body(f"m{index}"), PublishToken.internal()) for index in range(3)],
        lambda _: (before.epoch, 5))
    places = [places[0] for places in appended]
    assert [place.seq for place in places] == [2, 3, 4]
    assert len({place.epoch for place in places}) == 1 and places[0].epoch != before.epoch


async def test_a_batch_calls_the_script_once_per_user(single) -> None:
    """Six messages to three users, interleaved, cost redis-server three script calls."""
    a, b, c = (uuid.uuid4() for _ in range(3))
    publications = [Publication(users, notification_body("m"), PublishToken.internal())
                    for users in ([a], [b], [a], [c, b], [a], [c])]
    await single.publish([uuid.uuid4()], notification_body("loads the script"), PublishToken.internal(), no_floor)
    before = await _script_calls(single)
    await single.publish_many(publications, no_floor)
    assert await _script_calls(single) - before == 3


async def test_each_message_is_published_live_on_its_own_in_the_format_every_hub_reads(single) -> None:
    """Live delivery stays one pub/sub message per message, `<epoch> <seq> -\\n<frame>`, in order,
    so hubs of the previous version read a batch's messages during a rolling upgrade."""
    user = uuid.uuid4()
    bodies = [notification_body(f"m{index}") for index in range(3)]
    pubsub = single.redis.pubsub()
    await pubsub.subscribe(single.keys.channel(user))
    try:
        assert (await pubsub.get_message(timeout=5))["type"] == "subscribe"
        appended = await single.publish_many([Publication([user], body, PublishToken.internal()) for body in bodies],
                                             no_floor)
        received = [(await pubsub.get_message(timeout=5))["data"] for _ in bodies]
    finally:
        await pubsub.aclose()
    epoch = appended[0][0].epoch.encode()
    assert received == [b"%s %d -\n{\"seq\":%d," % (epoch, seq, seq) + body[1:]
                        for seq, body in enumerate(bodies, start=1)]


async def test_repeats_alone_leave_an_expired_stream_absent(single) -> None:
    """A call whose messages are all repeats writes no stream keys: a stream that expired while
    the tokens were kept is not brought back as keys without an expiry."""
    user = uuid.uuid4()
    token = _token("order-1")
    await single.publish([user], notification_body("first"), token, no_floor)
    await single.redis.delete(single.keys.meta(user), single.keys.log(user))
    [[place]] = await single.publish_many([Publication([user], notification_body("first"), token)], no_floor)
    assert place.repeated and place.seq == 1
    assert await single.redis.exists(single.keys.meta(user), single.keys.log(user)) == 0


AGE = 0.6


@pytest.fixture
async def short_lived(private_redis) -> AsyncIterator[RedisStreams]:
    """Streams whose messages expire after AGE seconds."""
    settings = fault_settings(private_redis.url)
    client = redis_client(settings)
    yield RedisStreams(client, RedisKeys(settings.redis_prefix), 1000, AGE)
    await client.aclose()


async def _two_expired_then_one_kept(streams: RedisStreams, user: uuid.UUID) -> str:
    """Seqs 1 and 2 past AGE, seq 3 within it (which keeps the stream's keys); returns the epoch."""
    [[first], _] = await streams.publish_many(
        [Publication([user], notification_body(f"old {index}"), PublishToken.internal()) for index in range(2)], no_floor)
    # The feature under test is the passing of time.
    await asyncio.sleep(AGE / 2 + 0.05)
    await streams.publish([user], notification_body("kept"), PublishToken.internal(), no_floor)
    await asyncio.sleep(AGE / 2)
    return first.epoch


async def test_a_read_after_a_position_never_returns_expired_messages(short_lived) -> None:
    """Publishes trim expired messages only every AGE_TRIM_EVERY seqs; a read of history after a
    position drops them first, so it neither returns them nor continues from among them."""
    user = uuid.uuid4()
    epoch = await _two_expired_then_one_kept(short_lived, user)
    await short_lived.publish([user], notification_body("new"), PublishToken.internal(), no_floor)
    assert await short_lived.redis.xlen(short_lived.keys.log(user)) == 4  # seq 4: no trim yet
    assert await short_lived.history_after(user, epoch, 0, 10, None) is None
    page = await short_lived.history_after(user, epoch, 2, 10, None)
    assert page is not None and [seq for seq, _ in page.entries] == [3, 4]
    assert await short_lived.redis.xlen(short_lived.keys.log(user)) == 2


async def test_a_publish_reaching_a_multiple_of_the_trim_interval_drops_expired_messages(short_lived) -> None:
    """A stream that only receives messages still loses its expired ones, at the latest when its
    seq reaches the next multiple of AGE_TRIM_EVERY."""
    user = uuid.uuid4()
    await _two_expired_then_one_kept(short_lived, user)
    await short_lived.publish_many([Publication([user], notification_body(f"new {index}"), PublishToken.internal())
                                    for index in range(AGE_TRIM_EVERY - 4)], no_floor)
    assert await short_lived.redis.xlen(short_lived.keys.log(user)) == AGE_TRIM_EVERY - 1
    await short_lived.publish([user], notification_body("the multiple"), PublishToken.internal(), no_floor)
    assert await short_lived.redis.xlen(short_lived.keys.log(user)) == AGE_TRIM_EVERY - 2
