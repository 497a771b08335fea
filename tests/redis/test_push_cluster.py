"""Web Push on a real Redis Cluster: a user's subscriptions and sent records share the user's
slot, so the scripts and `SET NX` of the push store run there as on one Redis."""

from __future__ import annotations

import uuid

import pytest
from notifyhub.fallback.channel import ChannelOutcome

from tests.support.hubs import hub_settings, serve_in_process
from tests.support.push_hubs import PUSH_SETTINGS, VAPID_PUBLIC_KEY, delivery_of, published_envelope, subscribed
from tests.support.push_service import serve_push_service
from tests.support.redis_cluster import own_cluster
from tests.support.redis_server import unique_prefix

pytestmark = pytest.mark.redis


async def test_push_subscriptions_and_sent_records_work_on_a_cluster() -> None:
    """On a cluster a subscription is kept, pushed to once, and a second send is skipped."""
    with own_cluster() as cluster:
        settings = hub_settings(backend="redis", redis_cluster=True, redis_url=cluster.url,
                                redis_prefix=unique_prefix(), redis_health_check_seconds=2.0, **PUSH_SETTINGS)
        async with serve_push_service(VAPID_PUBLIC_KEY) as service, serve_in_process(settings) as hub:
            user_id = uuid.uuid4()
            await subscribed(hub, service, user_id, 2)
            delivery = delivery_of(user_id, await published_envelope(hub, user_id))
            channel = hub.server.app.state.push_channel
            assert await channel.send(delivery) == ChannelOutcome(sent=2)
            assert await channel.send(delivery) == ChannelOutcome(skipped=2)
            assert [push.payload for push in service.delivered] == [delivery.envelope] * 2
