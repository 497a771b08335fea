"""The fallback schedule in Redis: scheduled by the publish script itself, claimed under a lease
by one hub at a time, and, on a Redis Cluster, scheduled after the publish and sent all the same."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest
from notifyhub import Publisher
from notifyhub.backends.redis import redis_client
from notifyhub.backends.redis_schedule import FALLBACK_BUCKETS, RedisFallbackSchedule, bucket_of
from notifyhub.backends.redis_streams import RedisKeys
from notifyhub.settings import Settings
from notifyhub_protocol import new_book_ready_message

from tests.support.hubs import SERVICE_KEY, serve_subprocess
from tests.support.redis_cluster import own_cluster
from tests.support.redis_server import unique_prefix
from tests.support.schemas import server_examples
from tests.support.webhook_receiver import SECRET, webhook_receiver

pytestmark = pytest.mark.redis


def book_ready():
    return new_book_ready_message(book_id=uuid.uuid4(), title="Hanzi 1", total_pages=12)


async def test_a_claim_keeps_other_hubs_off_until_its_lease_ends(redis_settings) -> None:
    """A Publisher's book_ready is in the schedule as soon as it is accepted (one script), once
    however often it is repeated with its key; one hub's claim keeps another's off for the lease,
    after which the other takes it; completed, no one gets it again."""
    settings = Settings(**redis_settings)
    user = uuid.uuid4()
    message = book_ready()
    async with Publisher(settings=settings) as publisher:
        await publisher.send_to_user(user, message, idempotency_key="order-1")
        await publisher.send_to_user(user, message, idempotency_key="order-1")
    redis, keys = redis_client(settings), RedisKeys(settings.redis_prefix)
    try:
        assert await redis.zcard(keys.fallback_due(bucket_of(user))) == 1
        clock = [time.time() + 300]  # book_ready's after-seconds, at scale 1
        hub_a, hub_b = (RedisFallbackSchedule(redis, keys, 60, clock=lambda: clock[0]) for _ in range(2))
        [claimed] = await hub_a.claim_due(10, lease_seconds=30)
        assert (claimed.user_id, claimed.seq) == (user, 1) and claimed.delivery().message_id == str(message.id)
        assert await hub_b.claim_due(10, 30) == []
        clock[0] += 30  # hub A was killed: its lease ends
        assert await hub_b.claim_due(10, 30) == [claimed]
        await hub_b.complete(claimed)
        clock[0] += 60
        assert await hub_a.claim_due(10, 30) == [] == await hub_b.claim_due(10, 30)
        assert await hub_a.first_send("webhook", user, str(message.id)) is True
        assert await hub_b.first_send("webhook", user, str(message.id)) is False
    finally:
        await redis.aclose()


async def test_a_batch_is_claimed_across_buckets(redis_settings) -> None:
    """Messages to users of every bucket are all claimed, at most the batch at a time."""
    settings = Settings(**redis_settings)
    users = [uuid.UUID(int=(index << 64) + index) for index in range(2 * FALLBACK_BUCKETS)]
    async with Publisher(settings=settings) as publisher:
        await publisher.send_to_users(users, book_ready())
    redis, keys = redis_client(settings), RedisKeys(settings.redis_prefix)
    try:
        schedule = RedisFallbackSchedule(redis, keys, 60, clock=lambda: time.time() + 300)
        first = await schedule.claim_due(5, 60)
        rest = await schedule.claim_due(100, 60)
        assert len(first) == 5 and sorted(e.user_id for e in first + rest) == sorted(users)
    finally:
        await redis.aclose()


async def test_fallbacks_are_sent_on_a_redis_cluster() -> None:
    """On a cluster (the schedule's buckets in other slots than the users' streams, so scheduled
    by a second command after the publish), every unacknowledged book_ready reaches the webhook once."""
    payload = server_examples(services_only=True)["book_ready"]["payload"]
    users = [uuid.uuid4() for _ in range(4)]
    with own_cluster() as cluster, webhook_receiver() as receiver:
        settings = {"backend": "redis", "redis_cluster": "true", "redis_url": cluster.url,
                    "redis_prefix": unique_prefix(), "redis_health_check_seconds": "0.5",
                    "webhook_url": receiver.url, "webhook_secret": SECRET, "fallback_delay_scale": "0.003",
                    "fallback_poll_seconds": "0.1", "fallback_lease_seconds": "10", "webhook_timeout_seconds": "2",
                    "webhook_attempts": "2", "webhook_backoff_cap_seconds": "0.5"}
        async with serve_subprocess(**settings) as hub:
            async with httpx.AsyncClient(base_url=hub.base_url, timeout=10) as http:
                response = await http.post("/api/v1/messages", headers={"Authorization": f"Bearer {SERVICE_KEY}"},
                                           json={"user_ids": [str(u) for u in users],
                                                 "message": {"type": "book_ready", "payload": payload}})
            assert response.status_code == 202, response.text
            received = await asyncio.to_thread(receiver.wait_for, len(users), 20)
        message_id = response.json()["id"]
        assert sorted(r.webhook_id for r in received) == sorted(f"{message_id}:{u}" for u in users)
        assert all(r.verified and r.body["data"]["message"]["id"] == message_id for r in received)
