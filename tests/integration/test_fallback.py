"""Fallback delivery on a real hub (both backends): a message no device acknowledged in time goes
to the webhook endpoint, signed, once; an acknowledged one never does."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from typing import Any

import httpx
import pytest
from notifyhub.backends.redis import redis_client
from notifyhub.backends.redis_schedule import FALLBACK_BUCKETS
from notifyhub.backends.redis_streams import RedisKeys
from notifyhub.fallback.vapid import generate_vapid_key

from tests.conftest import HubFactory
from tests.support.hubs import SERVICE_KEY, RunningHub, hub_settings, serve_in_process
from tests.support.push_service import serve_push_service
from tests.support.schemas import server_examples
from tests.support.webhook_receiver import SECRET, WebhookReceiver, webhook_receiver

BOOK_READY = {"type": "book_ready", "payload": server_examples(services_only=True)["book_ready"]["payload"]}
QUICK_SCALE = 0.003
"""book_ready's 300 s become 0.9 s."""


@pytest.fixture
def receiver() -> WebhookReceiver:
    with webhook_receiver() as receiver:
        yield receiver


def webhook_settings(receiver: WebhookReceiver, scale: float = QUICK_SCALE) -> dict[str, Any]:
    return {"webhook_url": receiver.url, "webhook_secret": SECRET, "fallback_delay_scale": scale,
            "fallback_poll_seconds": 0.05, "fallback_lease_seconds": 10, "webhook_timeout_seconds": 2,
            "webhook_attempts": 3, "webhook_backoff_cap_seconds": 0.5}


async def publish_book_ready(hub: RunningHub, user_id: uuid.UUID) -> str:
    response = await hub.publish({"user_ids": [str(user_id)], "message": BOOK_READY})
    assert response.status_code == 202, response.text
    return response.json()["id"]


async def metric(hub: RunningHub, name: str, labels: str = "") -> float:
    """One sample of /metrics (0 when absent)."""
    text = (await hub.get("/metrics")).text
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def until_metric(hub: RunningHub, name: str, value: float, labels: str = "", timeout: float = 15) -> None:
    """Wait until the hub has counted `value` (the scheduler got there on its own)."""
    async with asyncio.timeout(timeout):
        while await metric(hub, name, labels) < value:
            await asyncio.sleep(0.05)


SENT = '{channel="webhook",outcome="sent"}'


async def test_an_unacknowledged_message_reaches_the_webhook_signed_with_its_envelope(
        start_hub: HubFactory, receiver: WebhookReceiver) -> None:
    """A book_ready no device acknowledged is POSTed once to the webhook: signature valid,
    `webhook-id` the message and user, the body's message exactly what the user's connection got."""
    hub = await start_hub(**webhook_settings(receiver))
    user_id = uuid.uuid4()
    client = await hub.connect(user_id)
    message_id = await publish_book_ready(hub, user_id)
    envelope = await client.receive_type("book_ready")
    [request] = await asyncio.to_thread(receiver.wait_for, 1, 15)
    assert request.verified and request.webhook_id == f"{message_id}:{user_id}" and envelope["id"] == message_id
    assert request.body["type"] == "message.fallback"
    assert request.body["data"] == {"user_id": str(user_id), "message": envelope}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", request.body["timestamp"])
    await until_metric(hub, "notifyhub_fallback_deliveries_total", 1, SENT)
    assert await metric(hub, "notifyhub_fallback_acknowledged_total") == 0
    assert receiver.ids() == [f"{message_id}:{user_id}"]


async def test_messages_of_a_batch_are_scheduled_like_single_publishes(
        start_hub: HubFactory, receiver: WebhookReceiver) -> None:
    """A batch's book_ready messages, to two users, each reach the webhook once; its notification
    (a type with no fallback) never does."""
    hub = await start_hub(**webhook_settings(receiver))
    users = [uuid.uuid4(), uuid.uuid4()]
    requests = [{"user_ids": [str(user)], "message": BOOK_READY} for user in users]
    requests.append({"user_ids": [str(users[0])], "message": {
        "type": "notification", "payload": server_examples(services_only=True)["notification"]["payload"]}})
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        response = await http.post("/api/v1/messages/batch", json={"requests": requests},
                                   headers={"Authorization": f"Bearer {SERVICE_KEY}"})
    assert response.status_code == 202, response.text
    ids = [result["id"] for result in response.json()["results"]]
    await asyncio.to_thread(receiver.wait_for, 2, 15)
    await until_metric(hub, "notifyhub_fallback_deliveries_total", 2, SENT)
    assert sorted(receiver.ids()) == sorted(f"{message_id}:{user}" for message_id, user in zip(ids, users))


async def test_a_message_acknowledged_in_time_is_never_sent(start_hub: HubFactory, receiver: WebhookReceiver) -> None:
    """Acknowledged (by the user's `ack`) before its fallback is due, a message never goes to the
    webhook; one left unacknowledged beside it does."""
    hub = await start_hub(**webhook_settings(receiver, scale=0.01))  # 3 s to acknowledge in
    acked_user, idle_user = uuid.uuid4(), uuid.uuid4()
    client = await hub.connect(acked_user)
    await publish_book_ready(hub, acked_user)
    unacked_id = f"{await publish_book_ready(hub, idle_user)}:{idle_user}"
    envelope = await client.receive_type("book_ready")
    await client.send(json.dumps({"type": "ack", "seq": envelope["seq"]}))
    await client.send('{"type": "ping"}')
    await client.receive_type("pong")  # the ack was handled before the ping
    await until_metric(hub, "notifyhub_fallback_acknowledged_total", 1)
    await until_metric(hub, "notifyhub_fallback_deliveries_total", 1, SENT)
    assert receiver.ids() == [unacked_id]


async def test_a_failing_endpoint_is_retried_and_gets_the_message_once(
        start_hub: HubFactory, receiver: WebhookReceiver) -> None:
    """A 500, then a 429 with Retry-After, then 2xx: the message is retried with the same
    `webhook-id`, counted as sent once, and the retries are counted."""
    receiver.fail_next(1, 500)
    receiver.fail_next(1, 429, retry_after="0")
    hub = await start_hub(**webhook_settings(receiver))
    user_id = uuid.uuid4()
    message_id = await publish_book_ready(hub, user_id)
    requests = await asyncio.to_thread(receiver.wait_for, 3, 15)
    assert [r.webhook_id for r in requests] == [f"{message_id}:{user_id}"] * 3 and all(r.verified for r in requests)
    await until_metric(hub, "notifyhub_fallback_deliveries_total", 1, SENT)
    assert await metric(hub, "notifyhub_fallback_retries_total", '{channel="webhook"}') == 2
    assert await metric(hub, "notifyhub_fallback_deliveries_total", '{channel="webhook",outcome="failed"}') == 0


async def test_an_endpoint_that_keeps_failing_is_given_up_and_counted(
        start_hub: HubFactory, receiver: WebhookReceiver) -> None:
    """Past NOTIFYHUB_WEBHOOK_ATTEMPTS the message is counted as failed, and not sent again
    later; a 4xx other than 429 fails it at once."""
    receiver.fail_next(3, 503)
    receiver.fail_next(1, 400)
    hub = await start_hub(**webhook_settings(receiver))
    await publish_book_ready(hub, uuid.uuid4())
    await until_metric(hub, "notifyhub_fallback_deliveries_total", 1, '{channel="webhook",outcome="failed"}')
    await publish_book_ready(hub, uuid.uuid4())
    await until_metric(hub, "notifyhub_fallback_deliveries_total", 2, '{channel="webhook",outcome="failed"}')
    assert len(receiver.ids()) == 4 and len(set(receiver.ids())) == 2


async def test_types_without_a_fallback_are_never_sent(start_hub: HubFactory, receiver: WebhookReceiver) -> None:
    """A notification (no fallback in its policy) is not sent, however long it stays unacknowledged."""
    hub = await start_hub(**webhook_settings(receiver))
    note = {"type": "notification", "payload": server_examples(services_only=True)["notification"]["payload"]}
    assert (await hub.publish({"user_ids": [str(uuid.uuid4())], "message": note})).status_code == 202
    user_id = uuid.uuid4()
    marker_id = await publish_book_ready(hub, user_id)  # published after, due after
    await until_metric(hub, "notifyhub_fallback_deliveries_total", 1, SENT)
    assert receiver.ids() == [f"{marker_id}:{user_id}"]


async def test_a_hub_stops_within_its_bound_while_a_webhook_hangs(backend_settings: dict[str, Any],
                                                                 receiver: WebhookReceiver) -> None:
    """Stopping a hub whose webhook request hangs takes the shutdown bound, not the webhook's
    timeout; on Redis the claimed message stays in the schedule (it comes due after its lease)."""
    receiver.hold_next(1)
    settings = hub_settings(**{**backend_settings, **webhook_settings(receiver), "webhook_timeout_seconds": 20,
                               "fallback_lease_seconds": 90, "shutdown_timeout_seconds": 0.5})
    loop = asyncio.get_running_loop()
    async with serve_in_process(settings) as hub:
        await publish_book_ready(hub, uuid.uuid4())
        await asyncio.to_thread(receiver.wait_for, 1, 15, 1)
        stopping = loop.time()
    assert loop.time() - stopping < 5
    if settings.backend == "redis":
        client = redis_client(settings)
        keys = RedisKeys(settings.redis_prefix)
        due = [await client.zcard(keys.fallback_due(bucket)) for bucket in range(FALLBACK_BUCKETS)]
        await client.aclose()
        assert sum(due) == 1


async def test_push_and_webhook_both_carry_an_unacknowledged_message(start_hub: HubFactory,
                                                                     receiver: WebhookReceiver) -> None:
    """With both channels configured, a book_ready nobody acknowledged reaches the user's push
    subscription (decrypted: the message) and the webhook; one acknowledged in time reaches neither."""
    private_key, public_key = generate_vapid_key()
    async with serve_push_service(public_key) as service:
        hub = await start_hub(**webhook_settings(receiver, scale=0.01), vapid_private_key=private_key,
                              vapid_subject="mailto:ops@example.com", push_allow_insecure_endpoints=True,
                              push_retry_window_seconds=2, push_timeout_seconds=2)
        idle, attentive = uuid.uuid4(), uuid.uuid4()
        subscriptions = [service.subscribe(), service.subscribe()]
        for user, subscription in zip((idle, attentive), subscriptions):
            async with httpx.AsyncClient(base_url=hub.base_url) as http:
                response = await http.post("/api/v1/push/subscriptions", json=subscription.json(),
                                           headers={"Authorization": f"Bearer {hub.token(user)}"})
            assert response.status_code == 201, response.text
        client = await hub.connect(attentive)
        message_id = await publish_book_ready(hub, idle)
        await publish_book_ready(hub, attentive)
        envelope = await client.receive_type("book_ready")
        await client.send(json.dumps({"type": "ack", "seq": envelope["seq"]}))
        await client.send('{"type": "ping"}')
        await client.receive_type("pong")
        await until_metric(hub, "notifyhub_fallback_acknowledged_total", 1)
        await until_metric(hub, "notifyhub_fallback_deliveries_total", 1, SENT)
        await until_metric(hub, "notifyhub_fallback_deliveries_total", 1, '{channel="push",outcome="sent"}')
        [pushed] = service.delivered_to(subscriptions[0])
    assert json.loads(pushed.payload)["id"] == message_id
    assert service.delivered_to(subscriptions[1]) == []
    assert receiver.ids() == [f"{message_id}:{idle}"]
