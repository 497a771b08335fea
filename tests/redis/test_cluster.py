"""Three `notifyhub serve` hubs on a real Redis Cluster (three masters, one replica each), while
masters fail over, die, and come back without their last writes."""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.redis.faults import notification, post
from tests.redis.test_bursts import established
from tests.support.delivery_count import DeliveryCount
from tests.support.hubs import HubProcess, hub_settings, serve_subprocess
from tests.support.redis_cluster import RedisClusterProcesses, own_cluster
from tests.support.redis_server import unique_prefix
from tests.support.resuming_client import ResumingClient
from notifyhub.auth import issue_token

pytestmark = pytest.mark.redis

USERS = 4
MESSAGES = 60
"""Per user, sent one after the other through random hubs, each with its own Idempotency-Key."""
HEALTH_CHECK = "0.3"


@pytest.fixture
def cluster():
    with own_cluster() as running:
        yield running


def cluster_env(cluster: RedisClusterProcesses, **settings: str) -> dict[str, str]:
    return {"backend": "redis", "redis_cluster": "true", "redis_url": cluster.url,
            "redis_prefix": unique_prefix(), "redis_health_check_seconds": HEALTH_CHECK, **settings}


@contextlib.asynccontextmanager
async def three_hubs(settings: dict[str, str]) -> AsyncIterator[list[HubProcess]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(serve_subprocess(**settings)) for _ in range(3)]


@contextlib.contextmanager
def hub_output_on_failure(hubs: list[HubProcess]):
    """A failure shows what the hubs logged (their warnings say what they saw of the cluster)."""
    try:
        yield
    except BaseException:
        for index, hub in enumerate(hubs):
            print(f"--- hub {index} ---\n{''.join(hub.output)}")
        raise


def token(user_id: uuid.UUID) -> str:
    return issue_token(hub_settings(), user_id, "learner@example.com", 600)


def meta_key(settings: dict[str, str], user_id: uuid.UUID) -> str:
    return f"{settings['redis_prefix']}:{{{user_id}}}:meta"


async def send_until_accepted(hubs: list[HubProcess], count: DeliveryCount, user_id: uuid.UUID, text: str,
                              rng: random.Random) -> None:
    """Publish through random hubs until accepted; 503 and 504 are answered by sending it again
    with the same Idempotency-Key, as a service should."""
    key = str(uuid.uuid4())
    async with asyncio.timeout(30):
        while True:
            try:
                status = (await post(rng.choice(hubs).base_url, notification([user_id], text), key, timeout=5)).status_code
            except httpx.TransportError:
                status = 0
            count.answered(text, status)
            if status == 202:
                return
            assert status in (0, 503, 504), status


async def churn(followers: list[ResumingClient], rng: random.Random, stop: asyncio.Event) -> None:
    """Drop a random client's connection every 100-300 ms: it resumes on the next hub."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), rng.uniform(0.1, 0.3))
        rng.choice(followers).drop()


async def run_churn(cluster: RedisClusterProcesses, fault, **settings: str) -> None:
    """USERS users, two resuming clients each on different hubs, MESSAGES per user; `fault(user)`
    runs once a third of the messages are accepted. Each client gets 1..MESSAGES exactly, in
    order, with no reset."""
    environment = cluster_env(cluster, **settings)
    rng = random.Random(11)
    async with three_hubs(environment) as hubs:
        users = [uuid.uuid4() for _ in range(USERS)]
        counts = {user: DeliveryCount() for user in users}
        followers = {user: [ResumingClient(f"client-{index}", [hubs[(index + turn) % 3].ws_url for turn in range(3)],
                                           token(user), counts[user]) for index in range(2)] for user in users}
        everyone = [follower for group in followers.values() for follower in group]
        for follower in everyone:
            await follower.start()
        third = asyncio.Event()

        async def publish(user: uuid.UUID) -> None:
            for number in range(1, MESSAGES + 1):
                await send_until_accepted(hubs, counts[user], user, str(number), rng)
                if number == MESSAGES // 3 and user == users[0]:
                    third.set()

        stop = asyncio.Event()
        churning = asyncio.create_task(churn(everyone, rng, stop))
        expected = [str(number) for number in range(1, MESSAGES + 1)]
        with hub_output_on_failure(hubs):
            publishing = asyncio.gather(*(publish(user) for user in users))
            await third.wait()
            await fault(environment, users[0])
            await publishing
            for user in users:
                for follower in followers[user]:
                    await counts[user].wait_until_delivered(follower.name, set(expected), timeout=30)
        stop.set()
        await churning
        for follower in everyone:
            await follower.stop()
    for user in users:
        count = counts[user]
        names = [follower.name for follower in followers[user]]
        count.assert_exact(*names)
        for name in names:
            assert [text for _, _, text in count.deliveries[name]] == expected, count.summary()


async def test_every_message_arrives_once_in_order_while_a_master_fails_over(cluster) -> None:
    """While clients keep reconnecting to three hubs, the master holding a user's stream hands
    over to its replica (CLUSTER FAILOVER): every user's clients get 1..N exactly once, in order,
    and none is told to resync."""
    async def fail_over(environment, user) -> None:
        master = cluster.master_of(meta_key(environment, user))
        await asyncio.to_thread(cluster.fail_over_to, cluster.replica_of(master))

    await run_churn(cluster, fail_over)


async def test_every_message_arrives_once_in_order_while_a_master_is_killed(cluster) -> None:
    """The same while the master holding a user's stream is killed (SIGKILL) and its replica takes
    over after the node timeout, and the killed node comes back as its replica: publishes wait for
    a replica (NOTIFYHUB_REDIS_WAIT_REPLICAS=1), so nothing accepted is lost; those refused
    meanwhile (503, 504) are sent again with their key."""
    async def kill(environment, user) -> None:
        master = cluster.master_of(meta_key(environment, user))
        replica = cluster.replica_of(master)
        cluster.kill(master)
        await asyncio.to_thread(cluster.wait_until_master, replica)
        # Until a replica is back, the promoted one has none to wait for: its publishes get 504.
        await asyncio.to_thread(cluster.start_again, master)

    await run_churn(cluster, kill, redis_wait_replicas="1")


async def test_a_replica_promoted_without_the_last_writes_leaves_no_client_with_a_silent_gap(cluster) -> None:
    """Writes are lost for real: the replica is cut off (frozen, its link dropped by the master)
    while messages are accepted and delivered, the master is killed, and the stale replica is promoted (CLUSTER FAILOVER
    TAKEOVER). Every client is told (`recovered: false` or 4004 RESYNC); no (epoch, seq) names
    two messages; everything accepted afterwards arrives."""
    environment = cluster_env(cluster)
    rng = random.Random(5)
    async with three_hubs(environment) as hubs:
        user = uuid.uuid4()
        count = DeliveryCount()
        followers = [ResumingClient(f"client-{index}", [hubs[(index + turn) % 3].ws_url for turn in range(3)],
                                    token(user), count) for index in range(3)]
        names = [follower.name for follower in followers]
        with hub_output_on_failure(hubs):
            for follower in followers:
                await follower.start()
            for number in range(3):
                await send_until_accepted(hubs, count, user, f"kept-{number}", rng)
            master = cluster.master_of(meta_key(environment, user))
            replica = cluster.replica_of(master)
            await asyncio.to_thread(cluster.wait_until_replicated)
            cluster.cut_replication(master, replica)
            for number in range(3):
                await send_until_accepted(hubs, count, user, f"lost-{number}", rng)
            for name in names:
                await count.wait_until_delivered(name, set(count.accepted))
            cluster.kill(master)
            replica.resume()
            await asyncio.to_thread(cluster.fail_over_to, replica, "TAKEOVER")
            later = [f"later-{number}" for number in range(3)]
            for text in later:
                await send_until_accepted(hubs, count, user, text, rng)
            for name in names:
                await count.wait_until_delivered(name, set(later))
        for follower in followers:
            await follower.stop()
    count.assert_no_silent_gap(*names)
    for name in names:
        assert count.resets[name] or 4004 in count.closes[name], count.summary()


BURST_USERS = 60
"""Users connecting at once to a fresh hub: their channels lie in many slots of every master."""


async def connect_all(hub: HubProcess, users: list[uuid.UUID]) -> list:
    """Every user connects at once and is admitted (a 1013 fails the test)."""
    async with asyncio.timeout(120):
        return [client for client, _ in await asyncio.gather(*(established(hub.ws_url, user) for user in users))]


async def deliver_to_each(hub: HubProcess, users: list[uuid.UUID], clients: list) -> None:
    """A message targeted at all `users` reaches each one's client."""
    async with asyncio.timeout(120):
        assert (await post(hub.base_url, notification(users, "to each"))).status_code == 202
        frames = await asyncio.gather(*(client.receive_type("notification", timeout=30) for client in clients))
    assert [frame["payload"]["message"] for frame in frames] == ["to each"] * len(users)
    await asyncio.gather(*(client.close() for client in clients))


async def test_a_burst_of_users_on_a_fresh_hub_is_admitted_whatever_their_slots(cluster) -> None:
    """Users connecting at once to a hub whose pub/sub connections are still starting are all
    admitted, and each gets the message sent to it (their channels, in different slots, are each
    subscribed where Redis accepts them)."""
    # A pool the burst's registry writes cannot exhaust: this test is about subscriptions.
    async with serve_subprocess(**cluster_env(cluster, redis_pool_size="400")) as hub:
        with hub_output_on_failure([hub]):
            users = [uuid.uuid4() for _ in range(BURST_USERS)]
            await deliver_to_each(hub, users, await connect_all(hub, users))


async def test_a_burst_larger_than_the_pool_waits_for_connections_instead_of_being_refused(cluster) -> None:
    """Ten times more handshakes at once than NOTIFYHUB_REDIS_POOL_SIZE: each waits for a free
    connection to the cluster, and all are admitted and served."""
    async with serve_subprocess(**cluster_env(cluster, redis_pool_size="4", redis_pool_timeout_seconds="60")) as hub:
        with hub_output_on_failure([hub]):
            users = [uuid.uuid4() for _ in range(40)]
            await deliver_to_each(hub, users, await connect_all(hub, users))


async def test_a_burst_while_every_shard_listener_restarts_is_admitted_and_nobody_misses_a_message(cluster) -> None:
    """Every master drops the hub's pub/sub connection while a burst of new users connects: the
    new users are all admitted, and old and new users alike get the message sent to them next."""
    async with serve_subprocess(**cluster_env(cluster, redis_pool_size="400")) as hub:
        with hub_output_on_failure([hub]):
            old = [uuid.uuid4() for _ in range(BURST_USERS // 2)]
            # One at a time: the hub's pub/sub connections start with one channel each.
            old_clients = [(await established(hub.ws_url, user))[0] for user in old]
            new = [uuid.uuid4() for _ in range(BURST_USERS // 2)]
            masters = [node for node in cluster.live_nodes() if cluster.role(node) == "master"]

            def drop_pubsub_connections() -> None:
                for master in masters:
                    with contextlib.closing(cluster.client(master)) as client:
                        assert client.client_kill_filter(_type="pubsub") >= 1

            new_clients, _ = await asyncio.gather(connect_all(hub, new), asyncio.to_thread(drop_pubsub_connections))
            await deliver_to_each(hub, old + new, old_clients + new_clients)
