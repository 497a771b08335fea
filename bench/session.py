"""A session: servers started for one measurement, the load client pointed at them, and steps.

Each step is measured (wall time, server and client CPU) and, when profiling, sampled by py-spy.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.loadclient import LoadClient
from bench.measure import Usage, measured
from bench.processes import Server, running_server
from bench.profiling import profiled
from bench.recorder import Recorder
from bench.servers import ServerSpec

SERVER_CPUS = {0}
CLIENT_CPUS = {1}
"""On two cores the servers share core 0 and the load client has core 1, so neither steals the other's."""


@dataclass
class RunContext:
    recorder: Recorder
    work_dir: Path
    profile_dir: Path | None = None
    """Where py-spy profiles of notifyhub go; None: no profiling."""


@dataclass
class Session:
    context: RunContext
    label: str
    """The column this session's numbers go to (a server name)."""
    servers: list[Server]
    extra_pids: list[int]
    client: LoadClient
    n: int
    round: int

    @property
    def server_pids(self) -> list[int]:
        return [server.pid for server in self.servers] + self.extra_pids

    @contextlib.contextmanager
    def step(self, scenario: str, step: str) -> Iterator[Usage]:
        profile = self._profile_path(scenario, step)
        with contextlib.ExitStack() as stack:
            if profile is not None:
                stack.enter_context(profiled(self.servers[0].pid, profile))
            usage = stack.enter_context(measured(self.server_pids, self.client.pid))
            yield usage
        self.context.recorder.record_usage(scenario, step, self.label, self.n, usage,
                                           sum(usage.cpu_by_pid[pid] for pid in self.extra_pids))

    def _profile_path(self, scenario: str, step: str) -> Path | None:
        if self.context.profile_dir is None or not self.label.startswith("notifyhub"):
            return None
        return self.context.profile_dir / f"{scenario}-{step}-{self.label}-n{self.n}-r{self.round}.txt"

    def sample(self, scenario: str, metric: str, value: float) -> None:
        self.context.recorder.sample(scenario, metric, self.label, self.n, self.round, value)

    def check(self, scenario: str, step: str, result: dict) -> dict:
        self.context.recorder.check(scenario, step, self.label, self.n, result)
        return result


@contextlib.contextmanager
def started(spec: ServerSpec, context: RunContext, tag: str = "") -> Iterator[Server]:
    log = context.work_dir / "logs" / f"{spec.name}{tag}.log"
    with running_server(spec.name, list(spec.command), spec.env, log, SERVER_CPUS) as server:
        yield server


@contextlib.contextmanager
def single_server_session(spec: ServerSpec, context: RunContext, n: int, round_: int, publishers: int = 1
                          ) -> Iterator[Session]:
    """One server, the load client connected to it for both WebSockets and publishing."""
    with started(spec, context) as server, LoadClient(CLIENT_CPUS) as client:
        client.connect_to(server.ws_url, server.http_url, publishers)
        yield Session(context, spec.name, [server], [], client, n, round_)
