"""When to try a publish again: bounded attempts, exponential backoff with full jitter, and the
hub's `Retry-After`. No I/O: the clock and the random source are passed in."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..retry_after import retry_after_seconds
from .errors import HubUnavailableError

MAX_ATTEMPTS = 5
"""Attempts per publish, the first included."""
FIRST_DELAY_SECONDS = 0.2
"""The backoff's base: the first retry waits up to this long, each next one up to twice as long."""
MAX_DELAY_SECONDS = 5.0
"""No backoff wait is longer (a hub's Retry-After may be, within `total_seconds`)."""
TOTAL_SECONDS = 30.0
"""No retry starts later than this after the first attempt started."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard the client tries. `max_attempts=1` turns retries off."""

    max_attempts: int = MAX_ATTEMPTS
    first_delay_seconds: float = FIRST_DELAY_SECONDS
    max_delay_seconds: float = MAX_DELAY_SECONDS
    total_seconds: float = TOTAL_SECONDS

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.first_delay_seconds < 0 or self.max_delay_seconds < 0 or self.total_seconds < 0:
            raise ValueError("retry delays and total_seconds must not be negative")


def backoff_delay(retry: int, policy: RetryPolicy, uniform: Callable[[], float] = random.random) -> float:
    """The wait before retry number `retry` (1 for the first): full jitter, uniform between 0
    and the exponential step capped at `max_delay_seconds`, so that clients a hub refused at the
    same moment do not come back at the same moment."""
    step = min(policy.max_delay_seconds, policy.first_delay_seconds * 2 ** (retry - 1))
    return uniform() * step


@dataclass(frozen=True, slots=True)
class Failure:
    """An attempt that may succeed when repeated: a 503 or 504, a connection error or a timeout.

    `maybe_delivered` is false only when the hub certainly did nothing (it answered 503, or the
    connection was never made)."""

    reason: str
    detail: str
    status: int | None
    maybe_delivered: bool
    retry_after: float | None = None
    cause: BaseException | None = None


@dataclass(slots=True)
class Attempts:
    """The attempts of one publish; `wait_after` says how long to wait before the next."""

    policy: RetryPolicy
    idempotency_key: str
    clock: Callable[[], float] = time.monotonic
    uniform: Callable[[], float] = random.random
    made: int = 0
    maybe_delivered: bool = False
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def wait_after(self, failure: Failure) -> float:
        """Seconds to wait before the next attempt: the hub's Retry-After when it gave one, else
        the backoff. Raises HubUnavailableError, from the failure's cause, when the attempts or
        the total time are used up."""
        self.made += 1
        self.maybe_delivered = self.maybe_delivered or failure.maybe_delivered
        delay = failure.retry_after if failure.retry_after is not None else backoff_delay(
            self.made, self.policy, self.uniform)
        out_of_time = self.clock() - self.started + delay > self.policy.total_seconds
        if self.made >= self.policy.max_attempts or out_of_time:
            raise HubUnavailableError(failure.reason, failure.detail, status=failure.status, attempts=self.made,
                                      maybe_delivered=self.maybe_delivered,
                                      idempotency_key=self.idempotency_key) from failure.cause
        return delay
