"""Measuring one step: wall time and the CPU seconds of the servers and of the load client."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from bench.procstat import cpu_seconds


@dataclass
class Usage:
    wall_seconds: float = 0.0
    server_cpu_seconds: float = 0.0
    client_cpu_seconds: float = 0.0
    cpu_by_pid: dict[int, float] = field(default_factory=dict)

    def server_us_per(self, count: int) -> float:
        """Server CPU microseconds per unit (frame, request, delivery, connection)."""
        return self.server_cpu_seconds * 1e6 / count if count else float("nan")


@contextlib.contextmanager
def measured(server_pids: list[int], client_pid: int) -> Iterator[Usage]:
    """Usage of the block: the servers' CPU (summed) and the client's, read from /proc around it."""
    usage = Usage()
    pids = [*server_pids, client_pid]
    before = {pid: cpu_seconds(pid) for pid in pids}
    started = time.perf_counter()
    yield usage
    usage.wall_seconds = time.perf_counter() - started
    usage.cpu_by_pid = {pid: cpu_seconds(pid) - before[pid] for pid in pids}
    usage.server_cpu_seconds = sum(usage.cpu_by_pid[pid] for pid in server_pids)
    usage.client_cpu_seconds = usage.cpu_by_pid[client_pid]
