"""Every number the harness reports: its label, unit, which way is better, and issue 5's target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    label: str
    unit: str
    lower_is_better: bool = True
    target: float | None = None
    """notifyhub's target from issue 5 (an upper bound when lower is better, else a lower bound)."""
    target_n: int | None = None
    """The N the target applies to (None: every N)."""

    def meets(self, value: float) -> bool:
        return value <= self.target if self.lower_is_better else value >= self.target


METRICS: dict[str, Metric] = {
    # A
    "kb_per_idle_connection": Metric("memory per idle connection", "KB", target=10, target_n=10000),
    "connections_per_second": Metric("connections opened per second (JWT, first frame)", "/s",
                                     lower_is_better=False, target=2000),
    "us_per_connection_open": Metric("server CPU per connection opened", "µs"),
    # B
    "us_per_frame_broadcast_once": Metric("server CPU per frame, one broadcast", "µs", target=15, target_n=10000),
    "ms_to_last_receipt": Metric("time to last receipt, one broadcast", "ms"),
    "ms_p50_receipt": Metric("p50 receipt, one broadcast", "ms"),
    "ms_p99_receipt": Metric("p99 receipt, one broadcast", "ms"),
    # C
    "us_per_frame_sustained_1": Metric("server CPU per frame, sustained broadcast, 1 message/request", "µs",
                                       target=12),
    "us_per_frame_sustained_10": Metric("server CPU per frame, sustained broadcast, 10 messages/request", "µs",
                                        target=5),
    "frames_per_second_sustained_1": Metric("frames/s delivered, sustained broadcast, 1 message/request", "/s",
                                            lower_is_better=False),
    # D
    "us_per_single_publish": Metric("server CPU per single-message HTTP publish (targeted)", "µs", target=110),
    "ms_p50_targeted": Metric("p50 latency, single-message targeted publish", "ms"),
    "ms_p99_targeted": Metric("p99 latency, single-message targeted publish", "ms"),
    "us_per_delivery_batched": Metric("server CPU per delivery, batched publish (200 messages/request)", "µs",
                                      target=20),
    # E
    "us_per_delivery_in_process": Metric("server CPU per delivery, in-process send_to_user", "µs", target=15),
    # F
    "replay_messages_per_second": Metric("replay from history to one resuming connection", "msg/s",
                                         lower_is_better=False, target=50000),
    # G
    "ms_p50_two_hubs": Metric("p50 latency, targeted publish", "ms"),
    "ms_p99_two_hubs": Metric("p99 latency, targeted publish", "ms"),
    "us_per_delivery_two_hubs": Metric("CPU per delivery, hubs + redis-server, targeted publish", "µs"),
    "ms_to_last_receipt_two_hubs": Metric("time to last receipt, one broadcast", "ms"),
    # H (also us_per_single_publish, ms_p50_targeted and ms_p99_targeted: the same sends, quiet)
    "us_per_single_publish_flood": Metric("server CPU per single-message publish, other connections flooding "
                                          "(reading the flood included)", "µs"),
    "ms_p50_targeted_flood": Metric("p50 latency, single-message targeted publish, other connections flooding",
                                    "ms"),
    "ms_p99_targeted_flood": Metric("p99 latency, single-message targeted publish, other connections flooding",
                                    "ms"),
    "ms_p50_flood_delay": Metric("p50 latency the flood adds (flooding p50 − quiet p50, same session)", "ms",
                                 target=5),
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
    "G": ("Two hubs over Redis", ["ms_p50_two_hubs", "ms_p99_two_hubs", "us_per_delivery_two_hubs",
                                  "ms_to_last_receipt_two_hubs"]),
    "H": ("Targeted sends while other connections flood", [
        "ms_p50_targeted", "ms_p50_targeted_flood", "ms_p50_flood_delay", "ms_p99_targeted", "ms_p99_targeted_flood",
        "us_per_single_publish", "us_per_single_publish_flood", "publishes_flood", "flood_frames_per_second"]),
}
