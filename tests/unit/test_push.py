"""Web Push's decisions without a socket: the largest envelope a push carries whole, the reduced
form, the Topic, what a push service's answer means, Retry-After, the backoff, the SSRF guard,
the VAPID key, and the memory store's sent records."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from notifyhub.fallback.push_payload import MAX_PLAINTEXT_BYTES, PUSH_BODY_BYTES, push_payload, push_topic
from notifyhub.fallback.push_store import MemoryPushStore
from notifyhub.fallback.push_subscription import PushSubscription, endpoint_problem, parse_subscription
from notifyhub.fallback.retrying import PUSH_GONE, SendVerdict, backoff_seconds, send_verdict, wait_before_retry
from notifyhub.fallback.vapid import InvalidVapidKeyError, generate_vapid_key, load_vapid_key, public_key_text
from notifyhub.retry_after import retry_after_seconds
from notifyhub.settings import Settings
from pydantic import ValidationError
from pywebpush import WebPusher

from tests.support.push_service import browser_keys


def test_the_largest_whole_envelope_fills_one_push_body_exactly() -> None:
    """MAX_PLAINTEXT_BYTES is measured, not assumed: pywebpush's aes128gcm body of that many bytes
    is exactly the 4096 bytes push services accept, and one byte more is over it."""
    pusher = WebPusher({"endpoint": "https://push.example.com/x", "keys": browser_keys()})
    assert len(pusher.encode(b"x" * MAX_PLAINTEXT_BYTES)["body"]) == PUSH_BODY_BYTES
    assert len(pusher.encode(b"x" * (MAX_PLAINTEXT_BYTES + 1))["body"]) > PUSH_BODY_BYTES


def test_an_envelope_that_fits_is_pushed_as_it_is() -> None:
    """A service worker gets the very bytes a WebSocket client gets."""
    envelope = json.dumps({"type": "book_ready", "id": str(uuid.uuid4()), "payload": {"t": "x" * 3000}}).encode()
    assert push_payload(envelope) is envelope


def test_a_larger_envelope_keeps_what_names_the_message() -> None:
    """The reduced form has type, id, timestamp and seq, and says the payload was left out."""
    message = {"type": "book_ready", "id": "6f1d2c3b-4a59-4e8f-9b7a-1c2d3e4f5a6b",
               "timestamp": "2026-11-28T19:34:26.123456Z", "seq": 7, "payload": {"title": "x" * MAX_PLAINTEXT_BYTES}}
    reduced = json.loads(push_payload(json.dumps(message).encode()))
    assert reduced == {"type": "book_ready", "id": message["id"], "timestamp": message["timestamp"], "seq": 7,
                       "payload_omitted": True}
    del message["seq"]  # a broadcast has none
    assert "seq" not in json.loads(push_payload(json.dumps(message).encode()))


@pytest.mark.parametrize("message_id", [str(uuid.uuid4()), "not-a-uuid-" + "x" * 100])
def test_the_topic_is_at_most_32_base64url_characters(message_id: str) -> None:
    """RFC 8030's Topic limit holds for any message id, and one id always has one topic."""
    topic = push_topic(message_id)
    assert 0 < len(topic) <= 32
    assert set(topic) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert push_topic(message_id) == topic


@pytest.mark.parametrize("status, verdict", [
    (201, SendVerdict.SENT), (202, SendVerdict.SENT), (404, SendVerdict.GONE), (410, SendVerdict.GONE),
    (429, SendVerdict.RETRY), (500, SendVerdict.RETRY), (503, SendVerdict.RETRY), (400, SendVerdict.FAILED),
    (403, SendVerdict.FAILED), (413, SendVerdict.FAILED), (301, SendVerdict.FAILED)])
def test_what_a_push_services_answer_means(status: int, verdict: SendVerdict) -> None:
    """Sent, gone for good, worth repeating, or failed for good (RFC 8030 section 5)."""
    assert send_verdict(status, PUSH_GONE) is verdict


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    """Both forms of RFC 9110 are honoured; a date past means now; garbage means no hint."""
    now = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now.timestamp()) == 120
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now.timestamp()) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now.timestamp()) == 0
    assert retry_after_seconds("soon", now.timestamp()) is None
    assert retry_after_seconds("-5", now.timestamp()) is None
    assert retry_after_seconds(None) is None


def test_the_backoff_is_full_jitter_below_a_doubling_capped_ceiling() -> None:
    """Waits spread from 0 to the ceiling, which doubles per attempt up to the cap."""
    assert backoff_seconds(0, 0.5, 30, lambda: 0.0) == 0.0
    assert backoff_seconds(0, 0.5, 30, lambda: 1.0) == 0.5
    assert backoff_seconds(3, 0.5, 30, lambda: 1.0) == 4.0
    assert backoff_seconds(100, 0.5, 30, lambda: 1.0) == 30
    assert wait_before_retry(0, 7.0, 0.5, 30, lambda: 1.0) == 7.0  # the service's own hint wins


@pytest.mark.parametrize("endpoint", [
    "https://fcm.googleapis.com/fcm/send/abc", "https://updates.push.services.mozilla.com/wpush/v2/x",
    "https://8.8.8.8/x", "https://[2001:4860:4860::8888]/x"])
def test_public_https_endpoints_pass_the_guard(endpoint: str) -> None:
    """The endpoints browsers' push services hand out are accepted."""
    assert endpoint_problem(endpoint, allow_insecure=False) is None


@pytest.mark.parametrize("endpoint", [
    "http://push.example.com/x", "https://127.0.0.2/x", "https://10.0.0.1/x", "https://172.16.5.4/x",
    "https://192.168.1.1/x", "https://169.254.169.254/x", "https://[::1]/x", "https://[fe80::1]/x",
    "https://[::ffff:10.0.0.1]/x", "https://0.0.0.0/x", "https://224.0.0.1/x", "https://localhost/x",
    "https://a.localhost/x", "ftp://push.example.com/x", "https:///x", "https://u:p@push.example.com/x",
    "https://push.example.com:99999/x"])
def test_private_insecure_or_odd_endpoints_are_refused(endpoint: str) -> None:
    """No user can aim the hub's POSTs at its own network, over plain http, or with credentials."""
    assert endpoint_problem(endpoint, allow_insecure=False) is not None


def test_the_insecure_setting_lets_loopback_http_through() -> None:
    """Tests reach a push service on 127.0.0.1 only when the hub is told to allow it."""
    assert endpoint_problem("http://127.0.0.1:8000/push/1", allow_insecure=True) is None
    assert endpoint_problem("http://127.0.0.1:8000/push/1", allow_insecure=False) is not None


def test_a_vapid_key_reads_the_same_as_pem_and_as_raw_base64url() -> None:
    """Both forms py-vapid reads name one key, whose public key browsers take."""
    raw, public = generate_vapid_key()
    pem = load_vapid_key(raw).private_pem().decode()
    assert public_key_text(load_vapid_key(pem)) == public_key_text(load_vapid_key(raw)) == public
    assert len(base64.urlsafe_b64decode(public + "=")) == 65


def test_a_bad_vapid_setting_is_refused_without_repeating_the_key() -> None:
    """A mistyped key stops the hub at start with a message that does not leak the key."""
    raw, _ = generate_vapid_key()
    with pytest.raises(InvalidVapidKeyError):
        load_vapid_key(raw[:-4])
    for values in ({"vapid_private_key": raw[:-4], "vapid_subject": "mailto:ops@example.com"},
                   {"vapid_private_key": raw}, {"vapid_private_key": raw, "vapid_subject": "ops@example.com"}):
        with pytest.raises(ValidationError) as refused:
            Settings(**values)
        assert raw[:-4] not in str(refused.value) and "vapid" in str(refused.value)
    assert not Settings().push_enabled
    assert Settings(vapid_private_key=raw, vapid_subject="https://ops.example.com").push_enabled


def test_a_browsers_subscription_is_read_as_it_sends_it() -> None:
    """`toJSON()` as browsers give it (integer milliseconds, unpadded base64url) is accepted."""
    expires = int((time.time() + 3600) * 1000)
    keys = browser_keys()
    body = json.dumps({"endpoint": "https://push.example.com/x", "expirationTime": expires, "keys": keys})
    subscription = parse_subscription(body.encode(), allow_insecure=False)
    assert (subscription.p256dh, subscription.auth, subscription.expiration_ms) == (keys["p256dh"], keys["auth"], expires)
    assert not subscription.expired()


async def test_the_memory_store_records_a_push_once_within_its_ttl() -> None:
    """Of two sends of one message to one subscription, only the first is let through."""
    store = MemoryPushStore()
    user_id = uuid.uuid4()
    assert await store.mark_sent(user_id, "sub", "message", 60)
    assert not await store.mark_sent(user_id, "sub", "message", 60)
    assert await store.mark_sent(user_id, "other-sub", "message", 60)
    assert await store.mark_sent(user_id, "sub", "expired-record", 0)
    assert await store.mark_sent(user_id, "sub", "expired-record", 60)


async def test_the_memory_store_drops_expired_subscriptions_before_the_limit() -> None:
    """An expired subscription neither counts toward the per-user limit nor is returned."""
    store = MemoryPushStore()
    user_id = uuid.uuid4()
    expiring = PushSubscription("https://push.example.com/1", "k", "a", expiration_ms=1.0)
    await store.save(user_id, expiring, limit=1)
    fresh = PushSubscription("https://push.example.com/2", "k", "a")
    assert await store.save(user_id, fresh, limit=1)
    assert await store.subscriptions(user_id) == [fresh]
