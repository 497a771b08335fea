"""Web Push on a real hub, on both backends, against a push service on loopback
(tests/support/push_service.py) that verifies VAPID and decrypts every push: the subscription
API (its contract, its refusals, CORS and the SSRF guard), then `PushChannel.send` as the
fallback scheduler calls it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from notifyhub.fallback.channel import ChannelOutcome
from notifyhub.fallback.push_payload import MAX_PLAINTEXT_BYTES

from tests.conftest import HubFactory
from tests.support.hubs import SERVICE_KEY, RunningHub, hub_settings, serve_in_process
from tests.support.push_hubs import (APP_ORIGIN, PUBLIC_KEY, PUSH_SETTINGS, SUBSCRIPTIONS, VAPID_PUBLIC_KEY, bearer,
                                     delivery_of, published_envelope, pushes_counted, send_push, subscribe,
                                     subscribed, unsubscribe)
from tests.support.push_service import PushService, Reply, b64url, serve_push_service


@pytest.fixture
async def service() -> AsyncIterator[PushService]:
    async with serve_push_service(VAPID_PUBLIC_KEY) as running:
        yield running


@pytest.fixture
async def push_hub(start_hub: HubFactory) -> RunningHub:
    return await start_hub(**PUSH_SETTINGS)


# The subscription API


async def test_the_public_key_is_the_hubs_vapid_key(push_hub: RunningHub) -> None:
    """A page subscribes with the key the hub signs its pushes with, without any token."""
    async with httpx.AsyncClient(base_url=push_hub.base_url) as http:
        response = await http.get(PUBLIC_KEY)
    assert response.status_code == 200
    assert response.json() == {"public_key": VAPID_PUBLIC_KEY}


async def test_without_a_vapid_key_push_answers_404(start_hub: HubFactory, service: PushService) -> None:
    """A hub with push off says so on every push route, with its reason, and keeps nothing."""
    hub = await start_hub()
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        key = await http.get(PUBLIC_KEY)
    subscribed = await subscribe(hub, hub.token(), service.subscribe().json())
    for response in (key, subscribed):
        assert response.status_code == 404
        assert response.json()["error"] == "push_not_configured"
    assert hub.server.app.state.push_channel is None


async def test_subscribing_again_is_idempotent_and_takes_the_new_keys(push_hub: RunningHub, service: PushService) -> None:
    """The same endpoint again answers 200 with the same id, and later pushes use its new keys."""
    user_id = uuid.uuid4()
    subscription = service.subscribe()
    first = await subscribe(push_hub, push_hub.token(user_id), subscription.json())
    subscription.new_keys()
    again = await subscribe(push_hub, push_hub.token(user_id), subscription.json())
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() and len(first.json()["id"]) == 22
    envelope = await published_envelope(push_hub, user_id)
    assert await send_push(push_hub, delivery_of(user_id, envelope)) == ChannelOutcome(sent=1)
    assert [push.payload for push in service.delivered] == [envelope]
    assert not service.refused


async def test_unsubscribing_stops_pushes_and_answers_204_when_already_gone(push_hub: RunningHub,
                                                                          service: PushService) -> None:
    """A removed subscription gets nothing more; removing it twice is not an error."""
    user_id = uuid.uuid4()
    [subscription] = await subscribed(push_hub, service, user_id)
    for _ in range(2):
        response = await unsubscribe(push_hub, push_hub.token(user_id), subscription.endpoint)
        assert response.status_code == 204 and response.content == b""
    envelope = await published_envelope(push_hub, user_id)
    assert await send_push(push_hub, delivery_of(user_id, envelope)) == ChannelOutcome()
    assert service.requests == []


async def test_another_users_token_does_not_remove_a_subscription(push_hub: RunningHub, service: PushService) -> None:
    """A subscription belongs to the user who made it: another user's DELETE leaves it alone."""
    user_id = uuid.uuid4()
    [subscription] = await subscribed(push_hub, service, user_id)
    assert (await unsubscribe(push_hub, push_hub.token(), subscription.endpoint)).status_code == 204
    assert await send_push(push_hub, delivery_of(user_id, await published_envelope(push_hub, user_id))) == ChannelOutcome(sent=1)


@pytest.mark.parametrize("authorization, reason", [
    (None, "missing_token"),
    ("Bearer not-a-jwt", "malformed_token"),
    ("Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoieCJ9.c2lnbmF0dXJl", "invalid_signature"),
])
async def test_a_missing_or_refused_token_is_401(push_hub: RunningHub, service: PushService,
                                                authorization: str | None, reason: str) -> None:
    """Without the user's valid JWT nothing is kept, and the answer says why."""
    headers = {"Authorization": authorization} if authorization else {}
    async with httpx.AsyncClient(base_url=push_hub.base_url) as http:
        response = await http.post(SUBSCRIPTIONS, json=service.subscribe().json(), headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["error"] == reason and response.json()["detail"]
    assert response.headers["www-authenticate"] == "Bearer"


def _with(document: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    *path, last = pointer.strip("/").split("/")
    target = document
    for part in path:
        target = target[part]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return document


INVALID = {
    "p256dh too short": ("/keys/p256dh", b64url(b"\x04" + bytes(31))),
    "p256dh not a point": ("/keys/p256dh", b64url(b"\x04" + bytes(64))),
    "auth of 12 bytes": ("/keys/auth", b64url(bytes(12))),
    "auth not base64url": ("/keys/auth", "!!!!"),
    "no keys": ("/keys", ...),
    "endpoint not a string": ("/endpoint", 42),
    "endpoint not a URL": ("/endpoint", "push.example.com/x"),
    "expirationTime a string": ("/expirationTime", "tomorrow"),
    "expirationTime past": ("/expirationTime", 1000.0),
}


@pytest.mark.parametrize("pointer, value", INVALID.values(), ids=INVALID.keys())
async def test_an_invalid_subscription_is_422_naming_the_field(push_hub: RunningHub, service: PushService,
                                                              pointer: str, value: Any) -> None:
    """A page learns which field of its subscription the hub refused."""
    response = await subscribe(push_hub, push_hub.token(), _with(service.subscribe().json(), pointer, value))
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_message"
    assert pointer in [error["pointer"] for error in response.json()["errors"]], response.json()


GUARDED_ENDPOINTS = ["http://push.example.com/x", "https://127.0.0.1/x", "https://10.1.2.3/x",
                     "https://192.168.0.1:8443/x", "https://169.254.169.254/latest/meta-data",
                     "https://[::1]/x", "https://[fd00::1]/x", "https://0.0.0.0/x", "https://localhost/x",
                     "https://push.localhost/x", "https://user:secret@push.example.com/x"]


@pytest.mark.parametrize("endpoint", GUARDED_ENDPOINTS)
async def test_the_ssrf_guard_refuses_private_and_insecure_endpoints(start_hub: HubFactory, service: PushService,
                                                                     endpoint: str) -> None:
    """By default no user can make the hub POST to a private address or over plain http."""
    hub = await start_hub(**{**PUSH_SETTINGS, "push_allow_insecure_endpoints": False})
    response = await subscribe(hub, hub.token(), {**service.subscribe().json(), "endpoint": endpoint})
    assert response.status_code == 422, response.text
    assert [error["pointer"] for error in response.json()["errors"]] == ["/endpoint"]
    public = await subscribe(hub, hub.token(), {**service.subscribe().json(),
                                                 "endpoint": "https://fcm.googleapis.com/fcm/send/abc"})
    assert public.status_code == 201, public.text


async def test_a_user_over_the_subscription_limit_is_409(start_hub: HubFactory, service: PushService) -> None:
    """The per-user limit refuses one more endpoint, but not one the user already has."""
    hub = await start_hub(**PUSH_SETTINGS, max_push_subscriptions_per_user=2)
    user_id = uuid.uuid4()
    kept = await subscribed(hub, service, user_id, 2)
    refused = await subscribe(hub, hub.token(user_id), service.subscribe().json())
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == "too_many_push_subscriptions"
    assert (await subscribe(hub, hub.token(user_id), kept[0].json())).status_code == 200
    assert (await subscribe(hub, hub.token(), service.subscribe().json())).status_code == 201  # another user


async def test_a_body_over_the_limit_is_413(push_hub: RunningHub, service: PushService) -> None:
    """A subscription body larger than NOTIFYHUB_PUSH_MAX_BODY_BYTES is refused unread."""
    body = {**service.subscribe().json(), "padding": "x" * 5000}
    response = await subscribe(push_hub, push_hub.token(), body)
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


async def test_a_page_of_an_allowed_origin_passes_the_cors_preflight(push_hub: RunningHub, service: PushService) -> None:
    """A browser lets the app's page call the push routes: preflight, then the request."""
    async with httpx.AsyncClient(base_url=push_hub.base_url) as http:
        preflight = await http.options(SUBSCRIPTIONS, headers={
            "Origin": APP_ORIGIN, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type"})
        created = await http.post(SUBSCRIPTIONS, json=service.subscribe().json(),
                                  headers={**bearer(push_hub.token()), "Origin": APP_ORIGIN})
        key = await http.get(PUBLIC_KEY, headers={"Origin": APP_ORIGIN})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == APP_ORIGIN
    assert {"POST", "DELETE"} <= {method.strip() for method in preflight.headers["access-control-allow-methods"].split(",")}
    assert {"authorization", "content-type"} <= {name.strip().lower()
                                                 for name in preflight.headers["access-control-allow-headers"].split(",")}
    assert created.status_code == 201 and created.headers["access-control-allow-origin"] == APP_ORIGIN
    assert key.status_code == 200 and key.headers["access-control-allow-origin"] == APP_ORIGIN


async def test_a_page_of_another_origin_is_refused(push_hub: RunningHub, service: PushService) -> None:
    """An origin outside NOTIFYHUB_ALLOWED_ORIGINS gets 403 and no CORS grant, and nothing is kept."""
    user_id = uuid.uuid4()
    async with httpx.AsyncClient(base_url=push_hub.base_url) as http:
        preflight = await http.options(SUBSCRIPTIONS, headers={"Origin": "https://evil.example",
                                                               "Access-Control-Request-Method": "POST"})
        posted = await http.post(SUBSCRIPTIONS, json=service.subscribe().json(),
                                 headers={**bearer(push_hub.token(user_id)), "Origin": "https://evil.example"})
    for response in (preflight, posted):
        assert response.status_code == 403
        assert response.json()["error"] == "origin_not_allowed"
        assert "access-control-allow-origin" not in response.headers
    assert await push_hub.server.app.state.push_store.subscriptions(user_id) == []


async def test_expired_subscriptions_are_not_used(push_hub: RunningHub, service: PushService) -> None:
    """A subscription past its expirationTime is not pushed to, and is forgotten."""
    user_id = uuid.uuid4()
    subscription = service.subscribe(expiration_ms=(time.time() + 3600) * 1000)
    assert (await subscribe(push_hub, push_hub.token(user_id), subscription.json())).status_code == 201
    store = push_hub.server.app.state.push_store
    assert len(await store.subscriptions(user_id)) == 1
    assert await store.subscriptions(user_id, now=time.time() + 7200) == []
    assert await send_push(push_hub, delivery_of(user_id, await published_envelope(push_hub, user_id))) == ChannelOutcome()
    assert service.requests == []


# The channel


async def test_a_push_decrypts_to_the_exact_envelope(push_hub: RunningHub, service: PushService) -> None:
    """Each device's service worker receives the message exactly as the WebSocket carries it,
    signed with the hub's VAPID key for that push service, with TTL, Urgency and Topic."""
    user_id = uuid.uuid4()
    subscriptions = await subscribed(push_hub, service, user_id, 2)
    envelope = await published_envelope(push_hub, user_id)
    delivery = delivery_of(user_id, envelope)
    assert await send_push(push_hub, delivery) == ChannelOutcome(sent=2)
    assert not service.refused
    for subscription in subscriptions:
        [push] = service.delivered_to(subscription)
        assert push.payload == envelope
        assert push.claims["aud"] == service.base_url and push.claims["sub"] == "mailto:ops@example.com"
        assert push.headers["ttl"] == "86400" and push.headers["urgency"] == "normal"
        assert push.headers["topic"] == uuid.UUID(delivery.message_id).hex
    assert pushes_counted(push_hub, "sent") == 2


async def test_a_second_send_of_a_delivery_is_skipped(push_hub: RunningHub, service: PushService) -> None:
    """A delivery handed over again (after a hub was killed) is not pushed twice."""
    user_id = uuid.uuid4()
    await subscribed(push_hub, service, user_id)
    delivery = delivery_of(user_id, await published_envelope(push_hub, user_id))
    assert await send_push(push_hub, delivery) == ChannelOutcome(sent=1)
    assert await send_push(push_hub, delivery) == ChannelOutcome(skipped=1)
    assert len(service.requests) == 1


async def test_a_second_hub_skips_what_the_first_sent(start_hub: HubFactory, backend_settings: dict[str, Any],
                                                      service: PushService) -> None:
    """On Redis the sent records are shared: another hub's scheduler does not push again."""
    if backend_settings["backend"] != "redis":
        pytest.skip("the memory backend is one hub")
    first, second = await start_hub(**PUSH_SETTINGS), await start_hub(**PUSH_SETTINGS)
    user_id = uuid.uuid4()
    await subscribed(first, service, user_id)
    delivery = delivery_of(user_id, await published_envelope(first, user_id))
    assert await send_push(first, delivery) == ChannelOutcome(sent=1)
    assert await send_push(second, delivery) == ChannelOutcome(skipped=1)
    assert len(service.requests) == 1


@pytest.mark.parametrize("status", [404, 410])
async def test_a_gone_subscription_is_dropped(push_hub: RunningHub, service: PushService, status: int) -> None:
    """When the push service says a subscription is gone, it counts failed and is forgotten."""
    user_id = uuid.uuid4()
    gone, kept = await subscribed(push_hub, service, user_id, 2)
    service.program(gone, Reply(status))
    assert await send_push(push_hub, delivery_of(user_id, await published_envelope(push_hub, user_id))) == ChannelOutcome(sent=1, failed=1)
    assert [subscription.endpoint for subscription in
            await push_hub.server.app.state.push_store.subscriptions(user_id)] == [kept.endpoint]
    assert pushes_counted(push_hub, "dropped") == 1
    assert await send_push(push_hub, delivery_of(user_id, await published_envelope(push_hub, user_id, "next"))) == ChannelOutcome(sent=1)
    assert len(service.requests_to(gone)) == 1


async def test_a_429_is_retried_after_its_retry_after(push_hub: RunningHub, service: PushService) -> None:
    """A push service asking to wait is waited for, then the push goes through."""
    user_id = uuid.uuid4()
    [subscription] = await subscribed(push_hub, service, user_id)
    service.program(subscription, Reply(429, {"Retry-After": "1"}))
    envelope = await published_envelope(push_hub, user_id)
    assert await send_push(push_hub, delivery_of(user_id, envelope)) == ChannelOutcome(sent=1)
    refused, accepted = service.requests_to(subscription)
    assert (refused.status, accepted.status) == (429, 201)
    assert accepted.at - refused.at >= 1.0
    assert [push.payload for push in service.delivered] == [envelope]
    assert pushes_counted(push_hub, "retried") == 1


async def test_5xx_and_a_slow_service_are_retried(start_hub: HubFactory, service: PushService) -> None:
    """A 500, a 503 and an answer slower than the timeout are each tried again, within the attempts."""
    hub = await start_hub(**PUSH_SETTINGS, push_timeout_seconds=0.5)
    user_id = uuid.uuid4()
    [subscription] = await subscribed(hub, service, user_id)
    service.program(subscription, Reply(500), Reply(503), Reply(201, delay=2.0))
    assert await send_push(hub, delivery_of(user_id, await published_envelope(hub, user_id))) == ChannelOutcome(sent=1)
    assert len(service.delivered_to(subscription)) == 1
    assert pushes_counted(hub, "retried") == 3


async def test_a_push_service_that_cannot_be_reached_is_retried_then_failed(start_hub: HubFactory) -> None:
    """A refused connection is tried again like a 5xx, within the attempts, then counts failed."""
    hub = await start_hub(**PUSH_SETTINGS, push_attempts=2)
    user_id = uuid.uuid4()
    async with serve_push_service(VAPID_PUBLIC_KEY) as closed:
        subscription = closed.subscribe()
    response = await subscribe(hub, hub.token(user_id), subscription.json())
    assert response.status_code == 201, response.text
    assert await send_push(hub, delivery_of(user_id, await published_envelope(hub, user_id))) == ChannelOutcome(failed=1)
    assert pushes_counted(hub, "retried") == 1 and pushes_counted(hub, "failed") == 1


async def test_retries_stop_after_the_attempts(start_hub: HubFactory, service: PushService) -> None:
    """A push service failing every time costs NOTIFYHUB_PUSH_ATTEMPTS requests, then counts failed."""
    hub = await start_hub(**PUSH_SETTINGS, push_attempts=3)
    user_id = uuid.uuid4()
    [subscription] = await subscribed(hub, service, user_id)
    service.program(subscription, *[Reply(500)] * 5)
    assert await send_push(hub, delivery_of(user_id, await published_envelope(hub, user_id))) == ChannelOutcome(failed=1)
    assert len(service.requests_to(subscription)) == 3


async def test_a_retry_after_beyond_the_window_is_not_waited(start_hub: HubFactory, service: PushService) -> None:
    """A Retry-After longer than NOTIFYHUB_PUSH_RETRY_WINDOW_SECONDS ends the push at once, failed."""
    hub = await start_hub(**PUSH_SETTINGS, push_retry_window_seconds=5)
    user_id = uuid.uuid4()
    [subscription] = await subscribed(hub, service, user_id)
    service.program(subscription, Reply(429, {"Retry-After": "3600"}))
    started = time.monotonic()
    assert await send_push(hub, delivery_of(user_id, await published_envelope(hub, user_id))) == ChannelOutcome(failed=1)
    assert time.monotonic() - started < 5
    assert len(service.requests_to(subscription)) == 1


@pytest.mark.parametrize("status", [400, 403, 413])
async def test_other_refusals_fail_without_retrying(push_hub: RunningHub, service: PushService, status: int) -> None:
    """A refusal that repeating cannot change costs one request and keeps the subscription."""
    user_id = uuid.uuid4()
    [subscription] = await subscribed(push_hub, service, user_id)
    service.program(subscription, Reply(status))
    assert await send_push(push_hub, delivery_of(user_id, await published_envelope(push_hub, user_id))) == ChannelOutcome(failed=1)
    assert len(service.requests_to(subscription)) == 1
    assert len(await push_hub.server.app.state.push_store.subscriptions(user_id)) == 1


async def test_an_envelope_too_large_for_a_push_goes_in_its_reduced_form(push_hub: RunningHub,
                                                                        service: PushService) -> None:
    """A message over one push record arrives without its payload, saying so, with what names it."""
    user_id = uuid.uuid4()
    await subscribed(push_hub, service, user_id)
    envelope = await published_envelope(push_hub, user_id, title="x" * 200)
    large = json.loads(envelope)
    large["payload"]["title"] = "t" * MAX_PLAINTEXT_BYTES  # as a type with a larger payload would be
    oversized = json.dumps(large).encode()
    assert await send_push(push_hub, delivery_of(user_id, oversized)) == ChannelOutcome(sent=1)
    [push] = service.delivered
    assert json.loads(push.payload) == {"type": "book_ready", "id": large["id"], "timestamp": large["timestamp"],
                                        "seq": large["seq"], "payload_omitted": True}
    assert not service.refused


async def test_push_metrics_are_exposed(push_hub: RunningHub, service: PushService) -> None:
    """Operators see pushes by outcome in /metrics."""
    user_id = uuid.uuid4()
    await subscribed(push_hub, service, user_id)
    await send_push(push_hub, delivery_of(user_id, await published_envelope(push_hub, user_id)))
    metrics = (await push_hub.get("/metrics", key=SERVICE_KEY)).text
    assert 'notifyhub_pushes_total{outcome="sent"} 1.0' in metrics


@pytest.mark.redis
async def test_subscriptions_survive_a_restart_on_redis(redis_settings: dict[str, Any], service: PushService) -> None:
    """A hub started after another stopped pushes to the subscriptions kept before."""
    settings = hub_settings(**redis_settings, **PUSH_SETTINGS)
    user_id = uuid.uuid4()
    async with serve_in_process(settings) as before:
        [subscription] = await subscribed(before, service, user_id)
    async with serve_in_process(settings) as after:
        envelope = await published_envelope(after, user_id)
        assert await send_push(after, delivery_of(user_id, envelope)) == ChannelOutcome(sent=1)
    assert [push.payload for push in service.delivered_to(subscription)] == [envelope]
