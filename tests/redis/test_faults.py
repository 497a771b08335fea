"""Redis under faults, for real: each test starts its own redis-server and hubs, causes one
fault, and counts what the clients got (see tests/support/delivery_count.py)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import httpx
import pytest
import redis.asyncio as aioredis
from notifyhub import OutcomeUnknownError, Publisher
from notifyhub_protocol import new_notification_message

from tests.redis.faults import fault_settings, notification, post, running_hubs, send
from tests.support.delivery_count import DeliveryCount
from tests.support.redis_server import own_redis
from tests.support.resuming_client import ResumingClient

pytestmark = pytest.mark.redis

AOF = ("--appendonly", "yes", "--appendfsync", "always")


@contextlib.asynccontextmanager
async def following(count: DeliveryCount, hubs, user_id: uuid.UUID, clients: int):
    """`clients` resuming clients of one user, spread over the hubs."""
    followers = [ResumingClient(f"client-{index}", [hubs[index % len(hubs)].ws_url], hubs[0].token(user_id), count)
                 for index in range(clients)]
    try:
        for follower in followers:
            await follower.start()
        yield [follower.name for follower in followers]
    finally:
        for follower in followers:
            await follower.stop()


async def wait_for_all(count: DeliveryCount, names: list[str], texts: set[str]) -> None:
    for name in names:
        await count.wait_until_delivered(name, texts)


async def test_redis_restart_with_intact_data_resyncs_nobody_and_refuses_nothing_after() -> None:
    """A clean restart of Redis with its append-only file: open connections stay open and miss
    nothing, no client is told to resync, and the first publish after it is accepted."""
    with own_redis(*AOF) as server:
        async with running_hubs(2, fault_settings(server.url)) as hubs:
            count, user_id = DeliveryCount(), uuid.uuid4()
            async with following(count, hubs, user_id, clients=6) as names:
                for index in range(5):
                    assert await send(count, hubs[index % 2], user_id, f"before-{index}") == 202
                await wait_for_all(count, names, set(count.accepted))
                server.shut_down()
                server.start()
                for index in range(5):
                    assert await send(count, hubs[index % 2], user_id, f"after-{index}") == 202
                await wait_for_all(count, names, set(count.accepted))
            count.assert_exact(*names)
            assert not any(count.closes.values()), count.closes


async def test_redis_restarted_empty_tells_every_client_and_names_nothing_twice() -> None:
    """Redis killed and started without its data: clients are told (`recovered: false`), seqs
    start a new epoch, and everything accepted afterwards arrives."""
    with own_redis() as server:
        async with running_hubs(2, fault_settings(server.url)) as hubs:
            count, user_id = DeliveryCount(), uuid.uuid4()
            async with following(count, hubs, user_id, clients=4) as names:
                for index in range(5):
                    await send(count, hubs[0], user_id, f"before-{index}")
                await wait_for_all(count, names, set(count.accepted))
                server.stop()
                server.start()
                after = {f"after-{index}" for index in range(5)}
                for text in sorted(after):
                    assert await send(count, hubs[1], user_id, text) == 202
                await wait_for_all(count, names, after)
            count.assert_no_silent_gap(*names)
            assert all(count.resets[name] for name in names), count.summary()


async def test_rolled_back_append_only_file_gives_a_new_epoch_instead_of_reissuing_seqs() -> None:
    """Redis restarted from an append-only file that lost its last writes (as after a host
    crash): the seqs it issues again get a new epoch, clients are told, none is lost silently."""
    with own_redis(*AOF) as server:
        async with running_hubs(2, fault_settings(server.url)) as (listening, publishing):
            count, user_id = DeliveryCount(), uuid.uuid4()
            async with following(count, [listening], user_id, clients=3) as names:
                for index in range(5):
                    await send(count, publishing, user_id, f"kept-{index}")
                await wait_for_all(count, names, set(count.accepted))
                copy = server.copy_append_only_file()
                for index in range(3):
                    await send(count, publishing, user_id, f"rolled-back-{index}")
                await wait_for_all(count, names, set(count.accepted))
                server.stop()
                server.restore_append_only_file(copy)
                server.start()
                later = {f"later-{index}" for index in range(3)}
                for text in sorted(later):
                    assert await send(count, publishing, user_id, text) == 202
                await wait_for_all(count, names, later)
            count.assert_no_silent_gap(*names)
            assert all(count.resets[name] for name in names), count.summary()


async def test_a_publish_lost_in_a_stalled_redis_is_never_doubled_by_its_retry() -> None:
    """Redis stalls (DEBUG SLEEP) past the timeout after a publish was sent: the publisher is told
    the outcome is unknown, Redis runs the publish late, and the retry with the same
    idempotency key completes it without doubling."""
    with own_redis("--enable-debug-command", "local") as server:
        settings = fault_settings(server.url, redis_timeout_seconds=0.5, redis_retries=1)
        async with running_hubs(1, settings) as (hub,), Publisher(settings=settings) as publisher:
            count, user_id = DeliveryCount(), uuid.uuid4()
            async with following(count, [hub], user_id, clients=1) as names:
                await publisher.send_to_user(user_id, _message("before"))  # its connection is pooled now
                count.answered("before", 202)
                admin = aioredis.Redis.from_url(server.url)
                stall = asyncio.create_task(admin.execute_command("DEBUG", "SLEEP", "2"))
                await asyncio.sleep(0.2)  # DEBUG SLEEP gives no signal that it began
                key = str(uuid.uuid4())
                with pytest.raises(OutcomeUnknownError):
                    await publisher.send_to_user(user_id, _message("stalled"), idempotency_key=key)
                await stall
                await admin.aclose()
                await publisher.send_to_user(user_id, _message("stalled"), idempotency_key=key)
                count.answered("stalled", 202)
                assert await send(count, hub, user_id, "after") == 202
                await wait_for_all(count, names, {"before", "stalled", "after"})
            count.assert_exact(*names)


async def test_a_publish_cut_off_mid_request_and_retried_with_its_key_arrives_once() -> None:
    """A service gives up on a publish while Redis is frozen (SIGSTOP), and sends it again
    with the same Idempotency-Key once Redis is back: the user gets it exactly once, under the
    id of the answer."""
    with own_redis() as server:
        async with running_hubs(1, fault_settings(server.url)) as (hub,):
            count, user_id = DeliveryCount(), uuid.uuid4()
            async with following(count, [hub], user_id, clients=1) as names:
                assert await send(count, hub, user_id, "before") == 202
                key = str(uuid.uuid4())
                server.pause()
                try:
                    with contextlib.suppress(httpx.TimeoutException):
                        cut_off = await post(hub.base_url, notification([user_id], "cut-off"), key, timeout=0.3)
                        assert cut_off.status_code in (503, 504), cut_off.text
                finally:
                    server.resume()
                retried = await post(hub.base_url, notification([user_id], "cut-off"), key)
                count.answered("cut-off", retried.status_code)
                assert retried.status_code == 202
                again = await post(hub.base_url, notification([user_id], "cut-off"), key)
                assert (again.status_code, again.json()["id"]) == (202, retried.json()["id"])
                assert await send(count, hub, user_id, "after") == 202
                await wait_for_all(count, names, {"before", "cut-off", "after"})
            count.assert_exact(*names)


async def _command_connections(admin: aioredis.Redis) -> set[str]:
    """Ids of the connections to Redis other than pub/sub and this one."""
    clients = await admin.client_list()
    return {client["id"] for client in clients if int(client["sub"]) == 0 and client["cmd"] != "client|list"}


def _message(text: str):
    return new_notification_message(title="t", message=text, level="info")


async def test_connections_closed_by_redis_when_idle_are_replaced_without_refusals() -> None:
    """Redis closes idle connections (`timeout 1`): the next publishes and connects are served
    on new connections, with no 503, no 1013 and no resync."""
    with own_redis() as server:
        # A slow health check leaves the hub's connections idle between its registry updates,
        # and so does a slow look for due fallbacks (every second by default).
        async with running_hubs(1, fault_settings(server.url, redis_health_check_seconds=3.0,
                                                  fallback_poll_seconds=60)) as (hub,):
            count, user_id = DeliveryCount(), uuid.uuid4()
            admin = aioredis.Redis.from_url(server.url)
            async with following(count, [hub], user_id, clients=2) as names:
                assert await send(count, hub, user_id, "before") == 202
                idle = await _command_connections(admin)
                await admin.config_set("timeout", 1)
                async with asyncio.timeout(10):  # until Redis closed every one of them
                    while idle & await _command_connections(admin):
                        await asyncio.sleep(0.1)
                for index in range(3):
                    assert await send(count, hub, user_id, f"after-{index}") == 202
                late = await hub.connect(user_id)
                assert late.established["payload"]["last_seq"] == 4
                await wait_for_all(count, names, set(count.accepted))
            await admin.aclose()
            count.assert_exact(*names)
            assert not any(count.closes.values()), count.closes


async def test_concurrent_publishes_to_one_user_through_several_hubs_get_seqs_one_to_n() -> None:
    """Publishes to one user at the same moment through three hubs are all accepted and get the
    seqs 1..N exactly, each once."""
    with own_redis() as server:
        async with running_hubs(3, fault_settings(server.url)) as hubs:
            user_id, total = uuid.uuid4(), 60
            answers = await asyncio.gather(*(post(hubs[index % 3].base_url, notification([user_id], f"m{index}"))
                                             for index in range(total)))
            assert [answer.status_code for answer in answers] == [202] * total
            client = await hubs[0].connect(user_id)
            frames = []
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(30):  # a stall is reported with what arrived, not as a hang
                    while len(frames) < total:
                        frames.append(await client.receive_type("notification"))
            assert [frame["seq"] for frame in frames] == list(range(1, total + 1))
            assert {frame["payload"]["message"] for frame in frames} == {f"m{index}" for index in range(total)}


async def test_deleted_keys_start_a_new_epoch_and_an_old_position_is_not_recovered() -> None:
    """When a user's keys are deleted (evicted, expired), the stream starts a new epoch and a
    client resuming from the old one is told `recovered: false`."""
    with own_redis() as server:
        settings = fault_settings(server.url)
        async with running_hubs(1, settings) as (hub,):
            user_id = uuid.uuid4()
            client = await hub.connect(user_id)
            old_epoch = client.established["payload"]["epoch"]
            for text in ("one", "two"):
                assert (await post(hub.base_url, notification([user_id], text))).status_code == 202
                await client.receive_type("notification")
            await client.close()
            admin = aioredis.Redis.from_url(server.url)
            prefix = settings.redis_prefix
            await admin.delete(f"{prefix}:{{{user_id}}}:meta", f"{prefix}:{{{user_id}}}:log")
            await admin.aclose()
            assert (await post(hub.base_url, notification([user_id], "three"))).status_code == 202
            resumed = await hub.connect(user_id, since=f"{old_epoch}:2")
            payload = resumed.established["payload"]
            assert (payload["recovered"], payload["last_seq"]) == (False, 1)
            assert payload["epoch"] != old_epoch
            assert (await resumed.receive_type("notification"))["payload"]["message"] == "three"
