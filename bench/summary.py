"""From samples to medians and spreads per (scenario, metric, N, server). No I/O."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

Key = tuple[str, str, int]


def summarize(samples: list[dict[str, Any]]) -> dict[Key, dict[str, dict[str, float]]]:
    """{(scenario, metric, n): {server: {median, min, max, count}}}."""
    values: dict[Key, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for sample in samples:
        if sample["value"] is not None:
            values[(sample["scenario"], sample["metric"], sample["n"])][sample["server"]].append(sample["value"])
    return {key: {server: stats(vs) for server, vs in by_server.items()} for key, by_server in values.items()}


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "count": len(values)}


def usage_summary(usage: list[dict[str, Any]]) -> dict[tuple[str, str, int], dict[str, dict[str, float]]]:
    """Median CPU shares (of one core) per (scenario, step, n) and server."""
    grouped: dict[tuple[str, str, int], dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for entry in usage:
        grouped[(entry["scenario"], entry["step"], entry["n"])][entry["server"]].append(entry)
    return {key: {server: {"server": statistics.median(e["server_cpu_share"] for e in entries),
                           "client": statistics.median(e["client_cpu_share"] for e in entries)}
                  for server, entries in by_server.items()}
            for key, by_server in grouped.items()}


def reference_server(servers: list[str]) -> str:
    """The column ratios are taken against: notifyhub when present."""
    return "notifyhub" if "notifyhub" in servers else servers[0]
