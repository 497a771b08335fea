"""What an endpoint's answer means for one send of a fallback channel (a push service, the
webhook endpoint), and how long to wait before trying again. No I/O.

2xx is sent; 429 and 5xx are worth repeating, after `Retry-After` when the endpoint gives one;
the statuses a channel names as gone say the recipient is gone for good (RFC 8030 section 5:
404 and 410 for a push subscription; 410 for a webhook); any other answer (400, 403 for a VAPID
key the subscription was not made with, 413, a redirect) will not change by repeating the same
request.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection

PUSH_GONE = (404, 410)
"""A push service's answers for a subscription that no longer exists."""

WEBHOOK_GONE = (410,)
"""The Standard Webhooks answer of an endpoint that wants no more messages."""


class SendVerdict(enum.Enum):
    SENT = "sent"
    GONE = "gone"
    RETRY = "retry"
    FAILED = "failed"


def send_verdict(status: int, gone: Collection[int]) -> SendVerdict:
    """The verdict on an endpoint's status code; `gone` are the channel's statuses for a
    recipient that is gone for good."""
    if 200 <= status < 300:
        return SendVerdict.SENT
    if status in gone:
        return SendVerdict.GONE
    if status == 429 or status >= 500:
        return SendVerdict.RETRY
    return SendVerdict.FAILED


def backoff_seconds(attempt: int, base: float, cap: float, random: Callable[[], float]) -> float:
    """Full jitter: uniform below min(cap, base * 2**attempt), attempt counting from 0, so that
    hubs retrying against one endpoint spread out."""
    return random() * min(cap, base * 2 ** min(attempt, 32))


def wait_before_retry(attempt: int, retry_after: float | None, base: float, cap: float,
                      random: Callable[[], float]) -> float:
    """The endpoint's own `Retry-After` when it gave one (whatever the cap: coming back sooner
    would only be refused again), else the jittered backoff."""
    return retry_after if retry_after is not None else backoff_seconds(attempt, base, cap, random)
