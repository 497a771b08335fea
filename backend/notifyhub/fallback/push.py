"""`PushChannel`: the fallback channel `push`, Web Push to every subscription of a user.

Each push is the message envelope (or its reduced form, push_payload.py), encrypted `aes128gcm`
for the subscription (RFC 8291, pywebpush) and signed with the hub's VAPID key (RFC 8292), POSTed
with httpx so that timeouts and retries are the hub's own (retrying.py).

At most once per subscription: before a push is sent, a record of (subscription, message id) is
set in the store with `SET NX` semantics; a push already recorded is skipped. A hub killed
between the record and the POST loses that push: a push is sent at most once, never twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import httpx
from pywebpush import WebPusher

from ..backends.base import BackendUnavailableError
from ..metrics import HubMetrics
from ..settings import Settings
from ..retry_after import retry_after_seconds
from .channel import ChannelOutcome, FallbackDelivery
from .push_payload import push_payload, push_topic
from .retrying import PUSH_GONE, SendVerdict, send_verdict, wait_before_retry
from .push_store import PushStore
from .push_subscription import PushSubscription
from .vapid import VapidSigner, load_vapid_key

logger = logging.getLogger(__name__)

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"


class PushChannel:
    """Web Push to every subscription of a user that has not expired. See FallbackChannel.

    `send` raises BackendUnavailableError when the store cannot be read or the sent records
    cannot be set (nothing is sent to a subscription whose record was not set); every other
    failure is one subscription's, counted failed. Safe to cancel: a subscription whose record
    was set but whose push was not answered yet is not pushed again (at most once)."""

    name = "push"

    def __init__(self, settings: Settings, store: PushStore, signer: VapidSigner, metrics: HubMetrics,
                 client: httpx.AsyncClient | None = None, random_fraction: Callable[[], float] = random.random,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._settings = settings
        self._store = store
        self._signer = signer
        self._metrics = metrics.pushes
        # No redirects (an endpoint could send the hub anywhere), no proxy from the environment.
        self._client = client or httpx.AsyncClient(timeout=settings.push_timeout_seconds, follow_redirects=False,
                                                   trust_env=False)
        self._random = random_fraction
        self._sleep = sleep

    @classmethod
    def configured(cls, settings: Settings, store: PushStore, metrics: HubMetrics) -> PushChannel | None:
        """The channel of these settings, or None when push is off (no VAPID key)."""
        if not settings.push_enabled:
            return None
        vapid = load_vapid_key(settings.vapid_private_key.get_secret_value())
        return cls(settings, store, VapidSigner(vapid, settings.vapid_subject or ""), metrics)

    @property
    def public_key(self) -> str:
        """The VAPID public key browsers subscribe with (base64url, uncompressed P-256 point)."""
        return self._signer.public_key

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(self, delivery: FallbackDelivery) -> ChannelOutcome:
        """Push delivery to each of its user's subscriptions, concurrently; the records of all of
        them are set first, in order."""
        subscriptions = await self._store.subscriptions(delivery.user_id)
        due, skipped = [], 0
        for subscription in subscriptions:
            if await self._store.mark_sent(delivery.user_id, subscription.id, delivery.message_id,
                                           self._settings.push_sent_marker_seconds):
                due.append(subscription)
            else:
                skipped += 1
        if skipped:
            self._metrics.labels(outcome=SKIPPED).inc(skipped)
        payload = push_payload(delivery.envelope)
        async with asyncio.TaskGroup() as group:
            pushes = [group.create_task(self._push(delivery, subscription, payload)) for subscription in due]
        results = Counter(push.result() for push in pushes)
        return ChannelOutcome(sent=results[SENT], failed=results[FAILED], skipped=skipped)

    async def _push(self, delivery: FallbackDelivery, subscription: PushSubscription, payload: bytes) -> str:
        """One push, repeated after a 429, a 5xx or a lost connection within the settings' bounds:
        SENT or FAILED. Raises nothing but CancelledError."""
        settings = self._settings
        body = WebPusher(subscription.info()).encode(payload, "aes128gcm")["body"]
        headers = {"TTL": str(settings.push_ttl_seconds), "Urgency": "normal",
                   "Topic": push_topic(delivery.message_id), "Content-Encoding": "aes128gcm",
                   "Content-Type": "application/octet-stream"}
        started, attempt = time.monotonic(), 0
        while True:
            attempt += 1
            status, retry_after = await self._post(subscription.endpoint, body, headers)
            verdict = SendVerdict.RETRY if status is None else send_verdict(status, PUSH_GONE)
            why = "no answer (connection lost or timed out)" if status is None else f"the push service answered {status}"
            if verdict is SendVerdict.SENT:
                self._metrics.labels(outcome=SENT).inc()
                return SENT
            if verdict is SendVerdict.GONE:
                return await self._gone(delivery, subscription, why)
            if verdict is SendVerdict.FAILED:
                return self._failed(delivery, subscription, why)
            wait = wait_before_retry(attempt - 1, retry_after, settings.push_backoff_base_seconds,
                                     settings.push_backoff_cap_seconds, self._random)
            out_of_time = time.monotonic() - started + wait > settings.push_retry_window_seconds
            if attempt >= settings.push_attempts or out_of_time:
                return self._failed(delivery, subscription, f"{why}; gave up after {attempt} attempt(s)")
            self._metrics.labels(outcome="retried").inc()
            await self._sleep(wait)

    async def _post(self, endpoint: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, float | None]:
        """One request: (status, Retry-After in seconds), or (None, None) when no answer came."""
        try:
            response = await self._client.post(endpoint, content=body, headers={
                **headers, "Authorization": self._signer.authorization(endpoint, time.time())})
        except httpx.TransportError:  # connection refused or lost, a timeout
            return None, None
        return response.status_code, retry_after_seconds(response.headers.get("retry-after"))

    async def _gone(self, delivery: FallbackDelivery, subscription: PushSubscription, why: str) -> str:
        """The push service no longer knows the subscription: forget it."""
        logger.info("push subscription of user %s at %s is gone (%s); removed", delivery.user_id,
                    _origin(subscription.endpoint), why)
        try:
            await self._store.remove(delivery.user_id, subscription.endpoint)
        except BackendUnavailableError as exc:
            logger.warning("could not remove a gone push subscription of user %s: %s", delivery.user_id, exc)
        self._metrics.labels(outcome="dropped").inc()
        self._metrics.labels(outcome=FAILED).inc()
        return FAILED

    def _failed(self, delivery: FallbackDelivery, subscription: PushSubscription, why: str) -> str:
        logger.warning("push of message %s to user %s at %s failed: %s", delivery.message_id, delivery.user_id,
                       _origin(subscription.endpoint), why)
        self._metrics.labels(outcome=FAILED).inc()
        return FAILED


def _origin(endpoint: str) -> str:
    """The push service of an endpoint, for logs: the rest of the URL is the subscription's secret."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"
