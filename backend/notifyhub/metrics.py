"""Prometheus metrics of one hub, in a registry the hub owns (no process-wide state): the hub's
own, and the process, platform and garbage-collector metrics Prometheus users expect
(`process_*`, `python_info`, `python_gc_*`).

What the send path counts for every message (messages by type, frames, send latency) is kept in
plain integers and turned into Prometheus metrics when scraped: prometheus_client's own
counters take a lock on every increment, which cost more than queueing the message. Everything
runs on the hub's event loop, so the integers need no lock.

Counters are exposed without their `_created` series (one more series per counter and label
set, which Prometheus' text format does not need); the filter is applied to this registry when it
is rendered, rather than by `prometheus_client.disable_created_metrics()`, which would change
every registry of the process.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Gauge,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.utils import floatToGoString

SEND_LATENCY_BUCKETS = (0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                        0.25, 1.0)
"""Upper bounds (seconds) of `notifyhub_send_latency_seconds`."""


class Count:
    """A counter the send path increments without a lock; read when scraped."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def inc(self, amount: int = 1) -> None:
        self.value += amount


class HubMetrics:
    """Counters the hub updates; gauges read the hub's own index when scraped."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self._sent_by_type: dict[str, int] = {}
        self.frames_delivered = Count()
        """Frames queued to connections (one message to n connections is n)."""
        self.client_frames_dropped = Count()
        """Frames from clients over their rate, dropped (a flood: counted without a lock)."""
        self._latency_counts = [0] * (len(SEND_LATENCY_BUCKETS) + 1)  # the last one is +Inf
        self._latency_sum = 0.0
        self.closes_by_code: dict[str, int] = {}
        """Connections the hub closed, by close code (the console's "closes by code")."""
        self.registry.register(_SendPathCollector(self))
        self.connections = Gauge("notifyhub_connections", "Open WebSocket connections",
                                 registry=self.registry)
        self.users = Gauge("notifyhub_connected_users", "Users with at least one open connection",
                           registry=self.registry)
        self.connection_errors = Counter("notifyhub_connection_errors",
                                         "Refused or failed connections, by reason", ["reason"],
                                         registry=self.registry)
        self.slow_consumer_disconnects = Counter(
            "notifyhub_slow_consumer_disconnects",
            "Connections closed because they did not read fast enough", ["code"], registry=self.registry)
        self.client_errors = Counter("notifyhub_client_frame_errors",
                                     "Client frames answered with an error, by code", ["code"],
                                     registry=self.registry)
        self.backend_reconnects = Counter(
            "notifyhub_backend_reconnects", "Times the backend's live feed was re-established "
            "(every connection then catches up from history)", registry=self.registry)
        self.pushes = Counter(
            "notifyhub_pushes", "Web Push requests by outcome: sent, failed (for good), dropped (the "
            "push service said the subscription is gone; also counted failed), retried (one more "
            "request after a 429, a 5xx or a lost connection), skipped (pushed before)", ["outcome"],
            registry=self.registry)

    def message_sent(self, message_type: str, seconds: float) -> None:
        """Count one accepted message and its send latency (a hot path: no lock, no objects)."""
        self._sent_by_type[message_type] = self._sent_by_type.get(message_type, 0) + 1
        self._latency_counts[bisect_left(SEND_LATENCY_BUCKETS, seconds)] += 1
        self._latency_sum += seconds

    def connection_closed(self, code: int) -> None:
        """Count one connection the hub closed with code."""
        key = str(code)
        self.closes_by_code[key] = self.closes_by_code.get(key, 0) + 1

    @property
    def sent_by_type(self) -> dict[str, int]:
        """Messages accepted for delivery so far, by type."""
        return self._sent_by_type

    @property
    def latency_counts(self) -> list[int]:
        """Messages so far per bucket of SEND_LATENCY_BUCKETS (the last one is +Inf)."""
        return self._latency_counts

    def send_path_metrics(self) -> Iterator[Metric]:
        """`notifyhub_messages_sent`, `notifyhub_frames_delivered` and `notifyhub_send_latency_seconds`
        as prometheus_client's Counter and Histogram would expose them."""
        sent = CounterMetricFamily("notifyhub_messages_sent", "Messages accepted for delivery, by type",
                                   labels=["type"])
        for message_type, count in list(self._sent_by_type.items()):
            sent.add_metric([message_type], count)
        yield sent
        yield CounterMetricFamily("notifyhub_frames_delivered",
                                  "Frames queued to connections (one message to n connections is n)",
                                  value=self.frames_delivered.value)
        closes = CounterMetricFamily("notifyhub_connections_closed", "Connections the hub closed, by close code",
                                     labels=["code"])
        for code, count in list(self.closes_by_code.items()):
            closes.add_metric([code], count)
        yield closes
        yield CounterMetricFamily("notifyhub_client_frames_dropped",
                                  "Frames from clients over their rate limit, dropped unanswered",
                                  value=self.client_frames_dropped.value)
        cumulative, buckets = 0, []
        for bound, count in zip((*SEND_LATENCY_BUCKETS, float("inf")), list(self._latency_counts)):
            cumulative += count
            buckets.append((floatToGoString(bound), cumulative))
        latency = HistogramMetricFamily("notifyhub_send_latency_seconds",
                                        "Time to queue one message to all its connections")
        latency.add_metric([], buckets, sum_value=self._latency_sum, timestamp=None)
        yield latency

    def render(self) -> bytes:
        """The registry in Prometheus' text format, without `_created` series."""
        return generate_latest(_WithoutCreatedSeries(self.registry))

    def bind_gauges(self, connections: Callable[[], int], users: Callable[[], int]) -> None:
        self.connections.set_function(connections)
        self.users.set_function(users)


class _SendPathCollector:
    """Hands the send path's counts to the registry when it is scraped."""

    def __init__(self, metrics: HubMetrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        return self._metrics.send_path_metrics()


class _WithoutCreatedSeries:
    """A registry's metrics without the `<name>_created` samples of counters and histograms."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator[Metric]:
        for metric in self._registry.collect():
            created = f"{metric.name}_created"
            metric.samples = [sample for sample in metric.samples if sample.name != created]
            yield metric
