"""What a push service's answer means for one push, and how long to wait before trying again.
No I/O.

RFC 8030 section 5: 201 is a push accepted (202 too, from services that answer it); 404 and 410
say the subscription is gone for good; 429 and 5xx are worth repeating, after `Retry-After` when
the service gives one; any other answer (400, 403 for a VAPID key the subscription was not made
with, 413) will not change by repeating the same request.
"""

from __future__ import annotations

import enum
from collections.abc import Callable


class PushVerdict(enum.Enum):
    SENT = "sent"
    GONE = "gone"
    RETRY = "retry"
    FAILED = "failed"


def push_verdict(status: int) -> PushVerdict:
    """The verdict on a push service's status code."""
    if 200 <= status < 300:
        return PushVerdict.SENT
    if status in (404, 410):
        return PushVerdict.GONE
    if status == 429 or status >= 500:
        return PushVerdict.RETRY
    return PushVerdict.FAILED


def backoff_seconds(attempt: int, base: float, cap: float, random: Callable[[], float]) -> float:
    """Full jitter: uniform below min(cap, base * 2**attempt), attempt counting from 0, so that
    hubs retrying against one push service spread out."""
    return random() * min(cap, base * 2 ** min(attempt, 32))


def wait_before_retry(attempt: int, retry_after: float | None, base: float, cap: float,
                      random: Callable[[], float]) -> float:
    """The service's own `Retry-After` when it gave one (whatever the cap: coming back sooner
    would only be refused again), else the jittered backoff."""
    return retry_after if retry_after is not None else backoff_seconds(attempt, base, cap, random)
