"""Everything one run measured: samples of metrics, the delivery checks, and CPU usage per step."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from bench.measure import Usage

ANOMALIES = ("lost", "duplicates", "reordered", "misrouted", "stale", "seqErrors", "publishFailures",
             "closedByServer")


@dataclass
class Recorder:
    samples: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    usage: list[dict[str, Any]] = field(default_factory=list)

    def sample(self, scenario: str, metric: str, server: str, n: int, round_: int, value: float) -> None:
        self.samples.append({"scenario": scenario, "metric": metric, "server": server, "n": n,
                             "round": round_, "value": value})

    def check(self, scenario: str, step: str, server: str, n: int, result: dict[str, Any]) -> None:
        """Keep the counts of one delivery step; a step with any anomaly fails the run."""
        counts = {key: result.get(key, 0) for key in ("expected", "delivered", *ANOMALIES)}
        counts["complete"] = result.get("complete", True)
        counts["closeCodes"] = result.get("closeCodes", [])
        if "error" in result:
            counts["error"] = result["error"]
        self.checks.append({"scenario": scenario, "step": step, "server": server, "n": n, **counts})

    def record_usage(self, scenario: str, step: str, server: str, n: int, usage: Usage,
                     shared_cpu_seconds: float = 0.0) -> None:
        """`shared_cpu_seconds`: the part of the server CPU spent by processes beside the servers
        (redis-server in G), so that the hubs' share and Redis's can be told apart."""
        wall = usage.wall_seconds or float("nan")
        self.usage.append({"scenario": scenario, "step": step, "server": server, "n": n,
                           "wall_seconds": round(wall, 4),
                           "server_cpu_seconds": round(usage.server_cpu_seconds, 4),
                           "shared_cpu_seconds": round(shared_cpu_seconds, 4),
                           "client_cpu_seconds": round(usage.client_cpu_seconds, 4),
                           "server_cpu_share": round(usage.server_cpu_seconds / wall, 3),
                           "client_cpu_share": round(usage.client_cpu_seconds / wall, 3)})

    def failures(self) -> list[dict[str, Any]]:
        return [c for c in self.checks if not c["complete"] or any(c[key] for key in ANOMALIES)]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
