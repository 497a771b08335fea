"""Prometheus metrics of one hub, in a registry the hub owns (no process-wide state)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class HubMetrics:
    """Counters the hub updates; gauges read the hub's own index when scraped."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._sent_by_type: dict[str, Counter] = {}
        self.connections = Gauge("notifyhub_connections", "Open WebSocket connections",
                                 registry=self.registry)
        self.users = Gauge("notifyhub_connected_users", "Users with at least one open connection",
                           registry=self.registry)
        self.messages_sent = Counter("notifyhub_messages_sent", "Messages accepted for delivery, by type",
                                     ["type"], registry=self.registry)
        self.frames_delivered = Counter("notifyhub_frames_delivered",
                                        "Frames queued to connections (one message to n connections is n)",
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
        self.send_latency = Histogram(
            "notifyhub_send_latency_seconds", "Time to queue one message to all its connections",
            buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                     0.25, 1.0), registry=self.registry)

    def message_sent(self, message_type: str, seconds: float) -> None:
        """Count one accepted message and its send latency (label children cached: a hot path)."""
        counter = self._sent_by_type.get(message_type)
        if counter is None:
            counter = self._sent_by_type[message_type] = self.messages_sent.labels(type=message_type)
        counter.inc()
        self.send_latency.observe(seconds)

    def bind_gauges(self, connections: Callable[[], int], users: Callable[[], int]) -> None:
        self.connections.set_function(connections)
        self.users.set_function(users)
