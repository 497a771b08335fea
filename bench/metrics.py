"""Every number the harness reports (its label, unit, which way is better), and the targets, each a
ratio between two columns of the same run: absolute figures do not carry from one machine to another."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    label: str
    unit: str
    lower_is_better: bool = True


METRICS: dict[str, Metric] = {
    # A
    "kb_per_idle_connection": Metric("memory per idle connection", "KB"),
    "connections_per_second": Metric("connections opened per second (JWT, first frame)", "/s",
                                     lower_is_better=False),
    "us_per_connection_open": Metric("server CPU per connection opened", "µs"),
    # B
    "us_per_frame_broadcast_once": Metric("server CPU per frame, one broadcast", "µs"),
    "ms_to_last_receipt": Metric("time to last receipt, one broadcast", "ms"),
    "ms_p50_receipt": Metric("p50 receipt, one broadcast", "ms"),
    "ms_p99_receipt": Metric("p99 receipt, one broadcast", "ms"),
    # C
    "us_per_frame_sustained_1": Metric("server CPU per frame, sustained broadcast, 1 message/request", "µs"),
    "us_per_frame_sustained_10": Metric("server CPU per frame, sustained broadcast, 10 messages/request", "µs"),
    "frames_per_second_sustained_1": Metric("frames/s delivered, sustained broadcast, 1 message/request", "/s",
                                            lower_is_better=False),
    # D
    "us_per_single_publish": Metric("server CPU per single-message HTTP publish (targeted)", "µs"),
    "ms_p50_targeted": Metric("p50 latency, single-message targeted publish", "ms"),
    "ms_p99_targeted": Metric("p99 latency, single-message targeted publish", "ms"),
    "us_per_delivery_batched": Metric("server CPU per delivery, batched publish (200 messages/request)", "µs"),
    # E
    "us_per_delivery_in_process": Metric("server CPU per delivery, in-process send_to_user", "µs"),
    # F
    "replay_messages_per_second": Metric("replay from history to one resuming connection", "msg/s",
                                         lower_is_better=False),
    # G
    "ms_p50_two_hubs": Metric("p50 latency, targeted publish", "ms"),
    "ms_p99_two_hubs": Metric("p99 latency, targeted publish", "ms"),
    "us_per_delivery_two_hubs": Metric("CPU per delivery (hubs, and redis-server over Redis), single targeted "
                                       "publish", "µs"),
    "us_per_delivery_batched_two_hubs": Metric("CPU per delivery (hubs, and redis-server over Redis), batched "
                                               "publish (200 messages/request)", "µs"),
    "ms_to_last_receipt_two_hubs": Metric("time to last receipt, one broadcast", "ms"),
    # H (also us_per_single_publish, ms_p50_targeted and ms_p99_targeted: the same sends, quiet)
    "us_per_single_publish_flood": Metric("server CPU per single-message publish, other connections flooding "
                                          "(reading the flood included)", "µs"),
    "ms_p50_targeted_flood": Metric("p50 latency, single-message targeted publish, other connections flooding",
                                    "ms"),
    "ms_p99_targeted_flood": Metric("p99 latency, single-message targeted publish, other connections flooding",
                                    "ms"),
    "ms_p50_flood_delay": Metric("p50 latency the flood adds (flooding p50 − quiet p50, same session)", "ms"),
    "publishes_flood": Metric("timed under flood (publishing stops after a third of the step timeout)",
                              "publishes", lower_is_better=False),
    "flood_frames_per_second": Metric("flood frames the flooders' sockets took (the load, not a score)", "/s",
                                      lower_is_better=False),
}

SCENARIOS = {
    "A": ("Idle connections", ["kb_per_idle_connection", "connections_per_second", "us_per_connection_open"]),
    "B": ("One broadcast", ["us_per_frame_broadcast_once", "ms_to_last_receipt", "ms_p50_receipt",
                            "ms_p99_receipt"]),
    "C": ("Sustained broadcast", ["us_per_frame_sustained_1", "us_per_frame_sustained_10",
                                  "frames_per_second_sustained_1"]),
    "D": ("Targeted sends over HTTP", ["us_per_single_publish", "ms_p50_targeted", "ms_p99_targeted",
                                       "us_per_delivery_batched"]),
    "E": ("In-process API", ["us_per_delivery_in_process"]),
    "F": ("Replay on reconnect", ["replay_messages_per_second"]),
    "G": ("Memory, one hub over Redis, two hubs over Redis", [
        "ms_p50_two_hubs", "ms_p99_two_hubs", "us_per_delivery_two_hubs", "us_per_delivery_batched_two_hubs",
        "ms_to_last_receipt_two_hubs"]),
    "H": ("Targeted sends while other connections flood", [
        "ms_p50_targeted", "ms_p50_targeted_flood", "ms_p50_flood_delay", "ms_p99_targeted", "ms_p99_targeted_flood",
        "us_per_single_publish", "us_per_single_publish_flood", "publishes_flood", "flood_frames_per_second"]),
}


@dataclass(frozen=True)
class RatioTarget:
    """`metric` of `server` divided by the same metric of `reference`, medians of the same run, must
    stay within `bound` (at most, or at least when `at_most` is False)."""
    what: str
    scenario: str
    metric: str
    bound: float
    at_most: bool = True
    server: str = "notifyhub"
    reference: str = "node-ws"
    n: int | None = None
    """The N the target applies to (None: every N measured)."""

    def meets(self, ratio: float) -> bool:
        return ratio <= self.bound if self.at_most else ratio >= self.bound


TARGETS = [
    RatioTarget("connections opened per second, real JWTs", "A", "connections_per_second", 1.0, at_most=False),
    RatioTarget("server CPU per frame, one broadcast", "B", "us_per_frame_broadcast_once", 0.8),
    RatioTarget("server CPU per frame, sustained broadcast, 1 message/request", "C", "us_per_frame_sustained_1", 0.8),
    RatioTarget("server CPU per frame, sustained broadcast, 10 messages/request", "C", "us_per_frame_sustained_10",
                0.8),
    RatioTarget("server CPU per single-message HTTP publish, targeted", "D", "us_per_single_publish", 0.8),
    RatioTarget("server CPU per delivery, batched publish (200/request)", "D", "us_per_delivery_batched", 1.0),
    RatioTarget("memory per idle connection", "A", "kb_per_idle_connection", 1.0, n=10_000),
    RatioTarget("Redis: CPU per delivery, single targeted publish, against memory", "G", "us_per_delivery_two_hubs",
                1.5, server="notifyhub-redis-1hub", reference="notifyhub-memory-1hub"),
    RatioTarget("Redis: CPU per delivery, batched publish, against memory", "G", "us_per_delivery_batched_two_hubs",
                2.0, server="notifyhub-redis-1hub", reference="notifyhub-memory-1hub"),
    RatioTarget("Redis: two hubs against one, CPU per delivery, single targeted publish", "G",
                "us_per_delivery_two_hubs", 1.15, server="notifyhub-redis-2hub", reference="notifyhub-redis-1hub"),
    RatioTarget("Redis: replay rate against replay from memory", "F", "replay_messages_per_second", 0.7,
                at_most=False, server="notifyhub-redis", reference="notifyhub"),
]
"""notifyhub's targets, as ratios to Node `ws` (the fastest peer) or, for Redis, to the memory backend."""
