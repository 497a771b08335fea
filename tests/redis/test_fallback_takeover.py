"""The fallback schedule in Redis outlives a hub: a hub killed while sending leaves its claimed
messages to another hub once their lease ends, and no message reaches the webhook twice."""

from __future__ import annotations

import asyncio
import re
import signal
import uuid

import httpx
import pytest

from tests.support.hubs import SERVICE_KEY, HubProcess, serve_subprocess
from tests.support.schemas import server_examples
from tests.support.webhook_receiver import SECRET, webhook_receiver

pytestmark = pytest.mark.redis

MESSAGES = 6
BATCH = 3
"""Hub A claims this many at a time: it is stuck sending the first three (held open by the
receiver), so the other three are due and unclaimed when it is killed."""
LEASE_SECONDS = 21
BOOK_READY = {"type": "book_ready", "payload": server_examples(services_only=True)["book_ready"]["payload"]}


def hub_env(redis_url: str, webhook_url: str) -> dict[str, str]:
    # The webhook timeout (20 s) outlasts the hold, so hub A is still waiting when it is killed;
    # one attempt, so nothing is repeated by hub A itself.
    return {"backend": "redis", "redis_url": redis_url, "redis_prefix": "takeover",
            "redis_health_check_seconds": "0.5", "webhook_url": webhook_url, "webhook_secret": SECRET,
            "webhook_timeout_seconds": "20", "webhook_attempts": "1", "webhook_backoff_cap_seconds": "0.1",
            "fallback_delay_scale": "0.003", "fallback_poll_seconds": "0.1",
            "fallback_lease_seconds": str(LEASE_SECONDS), "fallback_batch_size": str(BATCH)}


async def metric(hub: HubProcess, sample: str) -> float:
    async with httpx.AsyncClient(base_url=hub.base_url, timeout=10) as http:
        text = (await http.get("/metrics", headers={"Authorization": f"Bearer {SERVICE_KEY}"})).text
    match = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def publish(hub: HubProcess, users: list[uuid.UUID]) -> list[str]:
    """One book_ready to every user; the `webhook-id` each of them will get."""
    async with httpx.AsyncClient(base_url=hub.base_url, timeout=10) as http:
        response = await http.post("/api/v1/messages", json={"user_ids": [str(u) for u in users], "message": BOOK_READY},
                                   headers={"Authorization": f"Bearer {SERVICE_KEY}"})
    assert response.status_code == 202, response.text
    return [f"{response.json()['id']}:{user}" for user in users]


async def test_a_hub_killed_while_sending_is_taken_over_and_nothing_is_sent_twice(private_redis) -> None:
    """Hub A claims three due messages and is SIGKILLed while their POSTs are held open; hub B
    sends the three A never claimed at once, and after the lease finds A's three marked as
    begun, so skips them: the receiver got every message, each once (by `webhook-id`)."""
    with webhook_receiver() as receiver:
        receiver.hold_next(BATCH)
        settings = hub_env(private_redis.url, receiver.url)
        async with serve_subprocess(**settings) as hub_a:
            ids = await publish(hub_a, [uuid.uuid4() for _ in range(MESSAGES)])  # all due at once
            await asyncio.to_thread(receiver.wait_for, BATCH, 20, BATCH)
            async with serve_subprocess(**settings) as hub_b:
                hub_a.process.send_signal(signal.SIGKILL)
                await hub_a.process.wait()
                sent = 'notifyhub_fallback_deliveries_total{channel="webhook",outcome="sent"}'
                skipped = 'notifyhub_fallback_deliveries_total{channel="webhook",outcome="skipped"}'
                try:
                    async with asyncio.timeout(LEASE_SECONDS + 20):
                        while await metric(hub_b, skipped) < BATCH:
                            await asyncio.sleep(0.1)
                except TimeoutError:
                    pytest.fail(f"hub B skipped {await metric(hub_b, skipped)}, sent {await metric(hub_b, sent)}; "
                                f"received {receiver.ids()}; hub B said:\n{''.join(hub_b.output)}"
                                f"hub A said:\n{''.join(hub_a.output)}")
                assert await metric(hub_b, sent) == MESSAGES - BATCH
                receiver.release()
        assert sorted(receiver.ids()) == sorted(ids)  # every message, none twice
        assert all(request.verified for request in receiver.received)
