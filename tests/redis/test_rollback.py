"""A Redis that lost its last writes must never let one (epoch, seq) name two messages, even
once the stream has passed a client's position again. The rollback is made exact here: the
user's keys are dumped, more is published, and the dump is restored."""

from __future__ import annotations

import uuid

import pytest
import redis.asyncio as aioredis
from notifyhub import Publisher
from notifyhub.backends.redis import redis_client
from notifyhub.backends.redis_streams import RedisKeys, RedisStreams
from notifyhub.backends.base import PublishToken, message_id_of
from notifyhub_protocol import new_notification_message

from tests.redis.faults import fault_settings, no_floor, notification_body, running_hubs
from tests.support.delivery_count import DeliveryCount
from tests.support.resuming_client import ResumingClient

pytestmark = pytest.mark.redis


class Snapshot:
    """A user's stream keys as they are now, to put back later."""

    def __init__(self, admin: aioredis.Redis, keys: RedisKeys, user_id: uuid.UUID) -> None:
        self._admin = admin
        self._names = [keys.meta(user_id), keys.log(user_id)]
        self._dumps: list[bytes] = []

    async def take(self) -> None:
        self._dumps = [await self._admin.dump(name) for name in self._names]

    async def restore(self) -> None:
        for name, dump in zip(self._names, self._dumps):
            await self._admin.restore(name, 0, dump, replace=True)



async def test_a_position_passed_again_after_a_rollback_is_not_continued(private_redis) -> None:
    """After a rollback, publishers that never saw the lost seqs issue them again; continuing
    from the old position is refused (None), and the stream moves to a new epoch."""
    settings = fault_settings(private_redis.url)
    client = redis_client(settings)
    keys, user_id = RedisKeys(settings.redis_prefix), uuid.uuid4()
    streams = RedisStreams(client, keys, 100, 3600)
    snapshot = Snapshot(client, keys, user_id)
    for index in range(3):
        await streams.publish([user_id], notification_body(f"kept-{index}"), PublishToken.internal(), no_floor)
    await snapshot.take()
    (last,) = [await streams.publish([user_id], notification_body(f"lost-{index}"), PublishToken.internal(), no_floor)
               for index in range(2)][-1]
    lost_id = message_id_of((await streams.history_after(user_id, last.epoch, 4, 1, None)).entries[0][1])
    await snapshot.restore()
    for index in range(2):
        await streams.publish([user_id], notification_body(f"reissued-{index}"), PublishToken.internal(), no_floor)
    assert await streams.history_after(user_id, last.epoch, 5, 10, lost_id) is None
    replay = await streams.replay(user_id, last.epoch, 5, 10)
    assert replay[0].decode() != last.epoch
    await client.aclose()


async def test_a_hub_that_saw_the_lost_seqs_publishes_into_a_new_epoch(private_redis) -> None:
    """A publisher that saw a higher seq than a rolled-back stream holds starts a new epoch
    rather than issue that seq again."""
    settings = fault_settings(private_redis.url)
    async with Publisher(settings=settings) as publisher:
        admin = aioredis.Redis.from_url(private_redis.url)
        keys, user_id = RedisKeys(settings.redis_prefix), uuid.uuid4()
        snapshot = Snapshot(admin, keys, user_id)
        await publisher.send_to_user(user_id, new_notification_message(title="t", message="a", level="info"))
        epoch = (await admin.hget(keys.meta(user_id), "epoch")).decode()
        await snapshot.take()
        await publisher.send_to_user(user_id, new_notification_message(title="t", message="b", level="info"))
        await snapshot.restore()
        await publisher.send_to_user(user_id, new_notification_message(title="t", message="c", level="info"))
        meta = await admin.hgetall(keys.meta(user_id))
        assert (meta[b"seq"], meta[b"epoch"] != epoch.encode()) == (b"2", True)
        await admin.aclose()


async def test_connected_clients_are_told_when_a_rolled_back_stream_reissues_their_seqs(private_redis) -> None:
    """Clients hold seq 5 of a stream rolled back to 3; a publisher that never saw 4 and 5
    issues them again: the clients' hub notices the repeated seqs, closes them with RESYNC,
    and they resume with `recovered: false`; no position names two messages."""
    settings = fault_settings(private_redis.url)
    async with running_hubs(1, settings) as (hub,):
        admin = aioredis.Redis.from_url(private_redis.url)
        keys, user_id, count = RedisKeys(settings.redis_prefix), uuid.uuid4(), DeliveryCount()
        snapshot = Snapshot(admin, keys, user_id)
        followers = [ResumingClient(f"client-{index}", [hub.ws_url], hub.token(user_id), count) for index in range(2)]
        for follower in followers:
            await follower.start()
        names = [follower.name for follower in followers]
        async with Publisher(settings=settings) as first:
            for index in range(5):
                if index == 3:
                    await snapshot.take()
                await first.send_to_user(user_id, new_notification_message(title="t", message=f"m{index}", level="info"))
                count.answered(f"m{index}", 202)
        for name in names:
            await count.wait_until_delivered(name, set(count.accepted))
        await snapshot.restore()
        async with Publisher(settings=settings) as unaware:
            for index in range(3):
                await unaware.send_to_user(user_id, new_notification_message(title="t", message=f"n{index}", level="info"))
                count.answered(f"n{index}", 202)
        for name in names:
            await count.wait_until_delivered(name, {"n0", "n1", "n2"})
        for follower in followers:
            await follower.stop()
        await admin.aclose()
    count.assert_no_silent_gap(*names)
    assert all(4004 in count.closes[name] for name in names), count.summary()
