"""The order of a run: rounds, and in each round every scenario with every server side by side."""

from __future__ import annotations

import contextlib
import traceback
from pathlib import Path

from bench.loadclient import LoadClientError
from bench.processes import running_redis
from bench.scenarios import broadcast_once, idle_connections, in_process, replay, sustained_broadcast, targeted_sends
from bench.scenarios import targeted_under_flood, two_hubs, warm_up
from bench.servers import NOTIFYHUB_IN_PROCESS, compared
from bench.session import RunContext, single_server_session
from bench.sizes import Sizes

FANOUT_SCENARIOS = {"A", "B", "C", "D", "E", "H"}
ALL_SCENARIOS = "ABCDEFGH"


def run(sizes: Sizes, peers: list[str], scenarios: set[str], context: RunContext, log=print,
        baseline: Path | None = None) -> None:
    for round_ in range(sizes.rounds):
        if scenarios & FANOUT_SCENARIOS:
            servers = rotated(compared(peers, NOTIFYHUB_IN_PROCESS, baseline), round_)
            for n in sizes.fanout_sizes:
                for spec in servers:
                    log(f"round {round_ + 1}/{sizes.rounds}: {spec.name} with {n} connections")
                    with guarded(context, "ABCDEH", spec.name, n, log):
                        run_fanout(spec, n, round_, sizes, scenarios, context)
        if scenarios & {"F", "G"}:
            with running_redis(context.work_dir / "logs" / "redis.log") as (redis_url, redis_pid):
                if "F" in scenarios:
                    log(f"round {round_ + 1}/{sizes.rounds}: replay")
                    with guarded(context, "F", "notifyhub", 1, log):
                        replay.run(context, sizes, round_, redis_url, redis_pid)
                if "G" in scenarios:
                    log(f"round {round_ + 1}/{sizes.rounds}: two hubs over Redis")
                    with guarded(context, "G", "notifyhub-redis", sizes.two_hub_connections, log):
                        two_hubs.run(context, sizes, round_, redis_url, redis_pid, baseline)


def run_fanout(spec, n: int, round_: int, sizes: Sizes, scenarios: set[str], context: RunContext) -> None:
    """One server with n connections: the warm-up, A (opening them), then B, and at the working size C, D, E, H
    (H last: its flooders are cut off, and what they sent may still be read after it ends)."""
    with single_server_session(spec, context, n, round_, sizes.publishers) as session:
        warm_up.run(session, sizes)
        idle_connections.run(session, sizes)
        if "B" in scenarios and n in sizes.broadcast_sizes:
            broadcast_once.run(session, sizes)
        if n == sizes.working_connections:
            for name, scenario in (("C", sustained_broadcast), ("D", targeted_sends), ("E", in_process),
                                   ("H", targeted_under_flood)):
                if name in scenarios:
                    scenario.run(session, sizes)


@contextlib.contextmanager
def guarded(context: RunContext, scenarios: str, server: str, n: int, log):
    """A session that fails is recorded as a failed check, and the run goes on with the next one."""
    try:
        yield
    except (LoadClientError, TimeoutError, RuntimeError, OSError) as exc:
        log(f"FAILED {scenarios} {server} N={n}: {exc}")
        context.recorder.check(scenarios, "session", server, n,
                               {"complete": False, "error": "".join(traceback.format_exception_only(exc)).strip()})


def rotated(items: list, by: int) -> list:
    """The servers in another order each round, so none always runs first on a warming machine."""
    by %= len(items)
    return items[by:] + items[:by]
