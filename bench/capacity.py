"""python -m bench.capacity [--size full|quick|smoke | --quick] [--write-md] [--out bench/results]
                          [--report RESULTS]

How cost grows with hubs and with Redis shards, scaled down to one machine: every layout of 1-3
hubs over one redis-server or a Redis Cluster of 1-3 masters (no replicas) gets the same traffic
(bench/scenarios/capacity_layout.py), and the CPU of each hub and each redis-server is read apart.
Writes <out>/capacity-<size>.json, prints the tables and the sizing they give, and with --write-md
puts them into docs/capacity.md between its markers. Exits 1 when any delivery check failed.
Loopback only; every process is stopped at the end of its layout, also on failure.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import shlex
import signal
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path

import httpx
import redis

from bench import capacity_report
from bench.loadclient import LoadClientError
from bench.processes import project_root
from bench.report import splice
from bench.scenarios.capacity_layout import Layout, Traffic, measure

HUBS = (1, 2, 3)
SHARDS = (0, 1, 2, 3)
"""0: one redis-server; 1-3: a Redis Cluster of that many masters."""

SIZES = {
    "full": ([Layout(hubs, shards) for hubs, shards in itertools.product(HUBS, SHARDS)],
             Traffic(connections=3000, single_rate=400, batched_rate=1500, batch_size=100, step_seconds=10,
                     broadcasts=10, warm_up_connections=300, warm_up_messages=1000)),
    "quick": ([Layout(hubs, shards) for hubs, shards in itertools.product((1, 2), (0, 2))],
              Traffic(connections=1200, single_rate=300, batched_rate=1000, batch_size=100, step_seconds=4,
                      broadcasts=3, warm_up_connections=120, warm_up_messages=300)),
    "smoke": ([Layout(1, 0), Layout(2, 2)],
              Traffic(connections=40, single_rate=40, batched_rate=100, batch_size=10, step_seconds=1,
                      broadcasts=1, warm_up_connections=8, warm_up_messages=20, step_timeout_seconds=15)),
}
"""Connections are a multiple of 12, so that users (half of them) split evenly over 1, 2 or 3 hubs."""

DOC = project_root() / "docs" / "capacity.md"
ATTEMPTS = 2
"""A layout whose processes fail (a hub refusing connections, say) is started afresh once."""


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.split("\n\n")[1])
    parser.add_argument("--size", choices=list(SIZES), default="full",
                        help="full: 12 layouts, about 7 min; quick: 4 layouts, about 1 min; smoke: the test's")
    parser.add_argument("--quick", dest="size", action="store_const", const="quick", help="the same as --size quick")
    parser.add_argument("--out", type=Path, default=project_root() / "bench" / "results")
    parser.add_argument("--write-md", action="store_true", help=f"put the tables into {DOC.relative_to(project_root())}")
    parser.add_argument("--report", type=Path, metavar="RESULTS",
                        help="measure nothing: print (and with --write-md, write) the tables of this results file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(args: argparse.Namespace) -> int:
    if args.report is not None:
        results = json.loads(args.report.read_text())
    else:
        results = measure_all(args.size, args.out)
    tables = capacity_report.markdown(results)
    print(tables)
    if args.write_md:
        DOC.write_text(splice(DOC.read_text(), tables, capacity_report.BEGIN, capacity_report.END))
    return 1 if failed(results) else 0


def measure_all(size: str, out: Path) -> dict:
    """Every layout of this size, one after the other; the results, also written to <out>."""
    layouts, traffic = SIZES[size]
    started = time.monotonic()
    measured = []
    for layout in layouts:
        print(f"capacity: {layout.name}", flush=True)
        measured.append(measure_guarded(layout, traffic, out / "tmp" / f"capacity-{size}"))
    results = {"meta": meta(size, time.monotonic() - started), "traffic": asdict(traffic), "layouts": measured}
    out.mkdir(parents=True, exist_ok=True)
    (out / f"capacity-{size}.json").write_text(json.dumps(results, indent=1) + "\n")
    return results


def measure_guarded(layout: Layout, traffic: Traffic, work_dir: Path) -> dict:
    """A layout whose processes fail is started afresh, up to ATTEMPTS times in all; the errors of
    the failed attempts are kept in its result (`failed_attempts`), and a layout that never ran is
    kept with its last error while the run goes on with the next one."""
    errors = []
    for attempt in range(ATTEMPTS):
        try:
            return {**measure(layout, traffic, work_dir / f"attempt-{attempt + 1}"), "failed_attempts": errors}
        except (LoadClientError, TimeoutError, RuntimeError, OSError, redis.RedisError, httpx.HTTPError) as exc:
            errors.append("".join(traceback.format_exception_only(exc)).strip())
            print(f"FAILED {layout.name} (attempt {attempt + 1} of {ATTEMPTS}): {errors[-1]}", flush=True)
    return {"hubs": layout.hubs, "shards": layout.shards, "name": layout.name, "steps": {}, "checks": [],
            "error": errors[-1], "failed_attempts": errors}


def _exit_on_sigterm(signum, frame) -> None:
    """SIGTERM unwinds like an exception, so every layout's processes are stopped on the way out."""
    raise SystemExit(128 + signum)


def failed(results: dict) -> bool:
    return any("error" in layout or not all(check["ok"] for check in layout["checks"])
               for layout in results["layouts"])


def meta(size: str, wall_seconds: float) -> dict:
    command = "python -m bench.capacity " + shlex.join(sys.argv[1:]) if sys.argv[0].endswith("capacity.py") else (
        f"python -m bench.capacity --size {size}")
    return {"command": command.strip(), "size": size,
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
                       f"Linux {platform.release()}",
            "wall_seconds": wall_seconds}


if __name__ == "__main__":
    sys.exit(main())
