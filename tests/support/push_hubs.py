"""A hub with Web Push on, pushing to the loopback push service (push_service.py), and the steps
tests take with it: subscribe a user, publish a message, hand it to the `push` channel."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
from notifyhub.fallback.channel import ChannelOutcome, FallbackDelivery
from notifyhub.fallback.vapid import generate_vapid_key

from tests.support.hubs import RunningHub
from tests.support.push_service import FakeSubscription, PushService

SUBSCRIPTIONS = "/api/v1/push/subscriptions"
PUBLIC_KEY = "/api/v1/push/vapid-public-key"
APP_ORIGIN = "https://app.example"
VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY = generate_vapid_key()
PUSH_SETTINGS = {"vapid_private_key": VAPID_PRIVATE_KEY, "vapid_subject": "mailto:ops@example.com",
                 "push_allow_insecure_endpoints": True, "allowed_origins": [APP_ORIGIN],
                 "push_backoff_base_seconds": 0.01, "push_backoff_cap_seconds": 0.05}
"""A hub that pushes to the loopback service, with retries fast enough for tests."""


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def subscribe(hub: RunningHub, token: str, body: Any, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        return await http.post(SUBSCRIPTIONS, json=body, headers={**bearer(token), **headers})


async def unsubscribe(hub: RunningHub, token: str, endpoint: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        return await http.request("DELETE", SUBSCRIPTIONS, json={"endpoint": endpoint}, headers=bearer(token))


async def subscribed(hub: RunningHub, service: PushService, user_id: uuid.UUID, count: int = 1) -> list[FakeSubscription]:
    """count new subscriptions of the user, kept by the hub."""
    subscriptions = [service.subscribe() for _ in range(count)]
    for subscription in subscriptions:
        response = await subscribe(hub, hub.token(user_id), subscription.json())
        assert response.status_code == 201, response.text
    return subscriptions


async def published_envelope(hub: RunningHub, user_id: uuid.UUID, title: str = "Le Petit Prince") -> bytes:
    """A book_ready message published to the user, exactly as the user's WebSocket received it."""
    client = await hub.connect(user_id)
    payload = {"book_id": str(uuid.uuid4()), "title": title, "total_pages": 120,
               "url": "https://app.hailango.example/books/1"}
    response = await hub.publish({"user_ids": [str(user_id)], "message": {"type": "book_ready", "payload": payload}})
    assert response.status_code == 202, response.text
    while True:  # a new connection first replays what the user was sent before
        raw = await asyncio.wait_for(client.connection.recv(), 5)
        raw = raw.encode() if isinstance(raw, str) else raw
        if json.loads(raw)["payload"].get("book_id") == payload["book_id"]:
            return raw


def delivery_of(user_id: uuid.UUID, envelope: bytes) -> FallbackDelivery:
    document = json.loads(envelope)
    return FallbackDelivery(user_id, "epoch", document.get("seq", 1), document["id"], document["type"], envelope)


async def send_push(hub: RunningHub, delivery: FallbackDelivery) -> ChannelOutcome:
    return await hub.server.app.state.push_channel.send(delivery)


def pushes_counted(hub: RunningHub, outcome: str) -> float:
    value = hub.hub.metrics.registry.get_sample_value("notifyhub_pushes_total", {"outcome": outcome})
    return value or 0.0
