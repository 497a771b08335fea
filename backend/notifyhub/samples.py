"""The console's time series: what a hub counted in each sampling interval, kept in a ring.

Every `console_sample_seconds` the hub turns the growth of its counters since the last sample
into one `Sample` (messages by type, send-latency histogram buckets, closes by code, fallbacks)
plus its connections and users at that moment, and keeps the last `console_window_seconds` of
them. Samples are stamped with the start of their interval on the wall clock, so that the
samples of several hubs line up and can be summed (`sum_series`); percentiles are computed from
summed buckets, never averaged. Everything but `Sampler.run` is free of I/O.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field

from .backends.base import BackendUnavailableError
from .metrics import SEND_LATENCY_BUCKETS, HubMetrics

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Sample:
    """What one hub counted during the interval that starts at `t` (Unix seconds)."""

    t: float
    connections: int
    users: int
    messages: dict[str, int] = field(default_factory=dict)
    latency_buckets: list[int] = field(default_factory=list)
    """Messages whose send latency fell in each bucket of SEND_LATENCY_BUCKETS (+Inf last)."""
    closes: dict[str, int] = field(default_factory=dict)
    fallbacks_sent: int = 0
    fallbacks_failed: int = 0

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Sample:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Totals:
    """A hub's counters at one moment; two of them make a sample."""

    messages: dict[str, int]
    latency_buckets: list[int]
    closes: dict[str, int]
    fallbacks: dict[str, int] = field(default_factory=dict)
    """Fallback sends so far, `sent` and `failed` (all channels)."""

    @classmethod
    def of(cls, metrics: HubMetrics) -> Totals:
        return cls(dict(metrics.sent_by_type), list(metrics.latency_counts), dict(metrics.closes_by_code),
                   dict(metrics.fallback_totals))


def _growth(now: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {key: value - before.get(key, 0) for key, value in now.items() if value > before.get(key, 0)}


def sample_between(before: Totals, now: Totals, t: float, connections: int, users: int) -> Sample:
    """The sample of the interval starting at t, from the counters at its start and end."""
    buckets = [b - a for a, b in zip(before.latency_buckets, now.latency_buckets)]
    fallbacks = _growth(now.fallbacks, before.fallbacks)
    return Sample(t, connections, users, _growth(now.messages, before.messages), buckets,
                  _growth(now.closes, before.closes), fallbacks.get("sent", 0), fallbacks.get("failed", 0))


def interval_start(now: float, interval: float) -> float:
    """The start of the sampling interval holding `now`: the same on every hub."""
    return round(math.floor(now / interval) * interval, 6)


def percentile(buckets: list[int], fraction: float) -> float | None:
    """The upper bound (seconds) of the latency bucket holding the given fraction of messages;
    None without messages, or when it lies beyond the largest bound."""
    total = sum(buckets)
    if total == 0:
        return None
    rank, seen = fraction * total, 0
    for bound, count in zip(SEND_LATENCY_BUCKETS, buckets):
        seen += count
        if seen >= rank:
            return bound
    return None


def _add(into: dict[str, int], more: dict[str, int]) -> None:
    for key, value in more.items():
        into[key] = into.get(key, 0) + value


def sum_series(series: Iterable[list[Sample]]) -> list[Sample]:
    """Several hubs' samples added up per interval, oldest first."""
    by_t: dict[float, Sample] = {}
    for samples in series:
        for sample in samples:
            total = by_t.setdefault(sample.t, Sample(sample.t, 0, 0, {}, [0] * len(sample.latency_buckets), {}))
            total.connections += sample.connections
            total.users += sample.users
            _add(total.messages, sample.messages)
            _add(total.closes, sample.closes)
            total.latency_buckets = [a + b for a, b in zip(total.latency_buckets, sample.latency_buckets)]
            total.fallbacks_sent += sample.fallbacks_sent
            total.fallbacks_failed += sample.fallbacks_failed
    return [by_t[t] for t in sorted(by_t)]


def chart_points(samples: list[Sample], interval: float) -> list[dict]:
    """What the console draws for each sample: rates per second and latency percentiles (ms)."""
    points = []
    for sample in samples:
        p50, p99 = percentile(sample.latency_buckets, 0.5), percentile(sample.latency_buckets, 0.99)
        points.append({
            "t": sample.t, "connections": sample.connections, "users": sample.users,
            "messages_per_second": {k: v / interval for k, v in sample.messages.items()},
            "latency_p50_ms": None if p50 is None else p50 * 1000,
            "latency_p99_ms": None if p99 is None else p99 * 1000,
            "closes": sample.closes,
            "fallbacks_sent": sample.fallbacks_sent, "fallbacks_failed": sample.fallbacks_failed,
        })
    return points


class Sampler:
    """Samples a hub's counters every `interval` seconds into a ring of `window` seconds, and
    hands each sample to `share` (the backend, which shows it to the other hubs)."""

    def __init__(self, metrics: HubMetrics, gauges: Callable[[], tuple[int, int]], interval: float,
                 window: float, share: Callable[[Sample], Awaitable[None]] | None = None) -> None:
        self.interval = interval
        self.samples: deque[Sample] = deque(maxlen=max(1, int(window // interval)))
        self._metrics = metrics
        self._gauges = gauges
        self._share = share
        self._before = Totals.of(metrics)
        self._started = interval_start(time.time(), interval)
        self._waiting: list[asyncio.Future[Sample]] = []

    def take(self, now: float) -> Sample:
        """Close the interval that began at the last sample; `now` is the wall clock."""
        totals = Totals.of(self._metrics)
        sample = sample_between(self._before, totals, self._started, *self._gauges())
        self._before, self._started = totals, interval_start(now, self.interval)
        self.samples.append(sample)
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_result(sample)
        self._waiting = []
        return sample

    async def next_sample(self) -> Sample:
        """The next sample, once it is taken. Safe to cancel."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        return await waiter

    async def run(self) -> None:
        """Sample at every interval boundary until cancelled; a failure to share is logged and
        the next sample tried (the local series goes on). Safe to cancel."""
        while True:
            now = time.time()
            await asyncio.sleep(interval_start(now, self.interval) + self.interval - now)
            sample = self.take(time.time())
            if self._share is not None:
                try:
                    await self._share(sample)
                except BackendUnavailableError as exc:
                    logger.warning("could not share the console's sample with the other hubs: %s", exc)
