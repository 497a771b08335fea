"""The webhook channel (`webhook`): a due message is POSTed to one operator-configured endpoint,
signed per Standard Webhooks (https://www.standardwebhooks.com) with the `standardwebhooks`
library.

Headers: `webhook-id` (`<message id>:<user id>`: one message published to several users is one
webhook per user; the same on every attempt, from any hub, so a receiver can drop a repeat),
`webhook-timestamp` (Unix seconds of the attempt) and `webhook-signature`. The body:

    {"type": "message.fallback", "timestamp": "<ISO 8601 UTC>",
     "data": {"user_id": "<UUID>", "message": <the message as the user's connections got it>}}

A 2xx is sent; a 429, a 5xx, a timeout or a failed connection is retried (full-jitter backoff,
a Retry-After honoured up to the cap), at most NOTIFYHUB_WEBHOOK_ATTEMPTS in all; any other
answer (a 3xx: redirects are never followed; a 4xx; a 410 Gone) fails the message at once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from standardwebhooks import Webhook

from ..metrics import HubMetrics
from ..retry_after import retry_after_seconds
from .channel import ChannelOutcome, FallbackDelivery
from .retrying import WEBHOOK_GONE, SendVerdict, backoff_seconds, send_verdict
from .schedule import FallbackSchedule

logger = logging.getLogger(__name__)

EVENT_TYPE = "message.fallback"
"""The `type` of every webhook this channel sends."""

BACKOFF_BASE_SECONDS = 0.5
"""The first retry waits up to this long; each further one up to twice as long, up to the cap."""


def retry_delay(attempt: int, cap: float, retry_after: float | None,
                random: Callable[[], float] = random.random) -> float:
    """The wait before retry number `attempt` + 1 (attempt 0 is the first retry): what the
    endpoint asked for (Retry-After), else full jitter up to BACKOFF_BASE_SECONDS * 2**attempt;
    never more than `cap`."""
    if retry_after is not None:
        return min(retry_after, cap)
    return backoff_seconds(attempt, BACKOFF_BASE_SECONDS, cap, random)


def webhook_id(delivery: FallbackDelivery) -> str:
    """The `webhook-id` of a delivery: its message to its user, whatever the attempt or hub."""
    return f"{delivery.message_id}:{delivery.user_id}"


def webhook_body(delivery: FallbackDelivery, now: datetime) -> bytes:
    """The JSON body; the message goes in byte for byte as the user's connections got it."""
    head = '{"type":"%s","timestamp":"%s","data":{"user_id":"%s","message":' % (
        EVENT_TYPE, now.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        delivery.user_id)
    return head.encode() + delivery.envelope + b"}}"


class WebhookChannel:
    """Sends due messages to NOTIFYHUB_WEBHOOK_URL. Each message goes out at most once: its
    marker (`FallbackSchedule.first_send`) is set before the first attempt, so a hub that took
    over after another was killed skips it, and a kill between the marker and the POST leaves
    the message unsent through this channel."""

    name = "webhook"

    def __init__(self, url: str, secret: str, schedule: FallbackSchedule, metrics: HubMetrics, *,
                 timeout: float, attempts: int, backoff_cap: float) -> None:
        self._url = url
        self._signer = Webhook(secret)
        self._schedule = schedule
        self._metrics = metrics
        self._attempts = attempts
        self._backoff_cap = backoff_cap
        # No redirects (an endpoint moved is a configuration to fix), no proxy from the environment.
        self._http = httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)

    async def send(self, delivery: FallbackDelivery) -> ChannelOutcome:
        """POST the message, retrying as the module says. Raises BackendUnavailableError when its
        marker cannot be set (nothing was sent). Safe to cancel: a cancelled send is not repeated
        (its marker is set)."""
        if not await self._schedule.first_send(self.name, delivery.user_id, delivery.message_id):
            return ChannelOutcome(skipped=1)
        body, webhook = webhook_body(delivery, datetime.now(UTC)), webhook_id(delivery)
        for attempt in range(self._attempts):
            answer, retry_after = await self._attempt(webhook, body)
            if answer is SendVerdict.SENT:
                return ChannelOutcome(sent=1)
            if answer is SendVerdict.GONE:
                logger.error("the webhook endpoint answered 410 Gone for %s: it is not sent; "
                             "check NOTIFYHUB_WEBHOOK_URL", webhook)
            if answer is not SendVerdict.RETRY or attempt + 1 == self._attempts:
                break
            self._metrics.fallback_retries.labels(channel=self.name).inc()
            await asyncio.sleep(retry_delay(attempt, self._backoff_cap, retry_after))
        return ChannelOutcome(failed=1)

    async def _attempt(self, webhook: str, body: bytes) -> tuple[SendVerdict, float | None]:
        now = datetime.now(UTC)
        headers = {"content-type": "application/json", "webhook-id": webhook,
                   "webhook-timestamp": str(int(now.timestamp())),
                   "webhook-signature": self._signer.sign(webhook, now, body.decode())}
        try:
            response = await self._http.post(self._url, content=body, headers=headers)
        except httpx.TransportError as exc:  # timeouts, refused or broken connections
            logger.warning("webhook %s: %r", webhook, exc)
            return SendVerdict.RETRY, None
        answer = send_verdict(response.status_code, WEBHOOK_GONE)
        if answer is not SendVerdict.SENT:
            logger.warning("webhook %s answered %d", webhook, response.status_code)
        return answer, retry_after_seconds(response.headers.get("retry-after"), now.timestamp())

    async def aclose(self) -> None:
        await self._http.aclose()
