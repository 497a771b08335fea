"""python -m bench [--size quick|full|smoke] [--scenarios ABCDEFGH] [--peers ...] [--baseline DIR] [--write-md]
                 [--pyspy]

Runs the scenarios with notifyhub and the peers side by side, writes <out>/<size>.json and
<out>/<size>.png, prints the tables, and with --write-md puts them into BENCHMARKS.md. Exits 1 when
any delivery check failed (something lost, duplicated, reordered or misrouted).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench import report, runner
from bench.plot import plot
from bench.processes import project_root
from bench.profiling import hot_spots, read_stacks
from bench.recorder import Recorder
from bench.servers import PEERS
from bench.session import RunContext
from bench.sizes import SIZES


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1])
    parser.add_argument("--size", choices=list(SIZES), default="quick")
    parser.add_argument("--scenarios", default=runner.ALL_SCENARIOS, help="letters of the scenarios to run")
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated: " + ", ".join(PEERS))
    parser.add_argument("--baseline", type=Path, metavar="SOURCE",
                        help="also run the hub built from this source tree (its backend/ and generated/), "
                             "as column notifyhub-baseline in scenarios A-E, notifyhub-redis-1hub-baseline in G")
    parser.add_argument("--out", type=Path, default=project_root() / "bench" / "results")
    parser.add_argument("--write-md", action="store_true", help="update BENCHMARKS.md with the tables")
    parser.add_argument("--pyspy", action="store_true",
                        help="profile notifyhub with py-spy in every step (slower; not for the table)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    sizes = SIZES[args.size]
    peers = [p for p in args.peers.split(",") if p]
    context = RunContext(Recorder(), args.out / "tmp" / args.size,
                         args.out / "tmp" / "profiles" / args.size if args.pyspy else None)
    started = time.monotonic()
    runner.run(sizes, peers, set(args.scenarios.upper()), context, log=lambda line: print(line, flush=True),
               baseline=args.baseline)
    results = {"meta": meta(args, sizes, time.monotonic() - started), **context.recorder.as_dict()}
    name = f"{args.size}-pyspy" if args.pyspy else args.size
    numbers_dir = args.out / "tmp" if args.pyspy else args.out  # profiled numbers are not for the table
    numbers_dir.mkdir(parents=True, exist_ok=True)
    (numbers_dir / f"{name}.json").write_text(json.dumps(results, indent=1) + "\n")
    tables = report.markdown(results)
    if plot(results, numbers_dir / f"{name}.png"):
        tables += f"\n![latency and CPU per frame against N]({image_path(numbers_dir / f'{name}.png')})\n"
    print(tables)
    if args.pyspy:
        write_hot_spots(context.profile_dir, args.out / f"{name}-hotspots.md")
    if args.write_md and not args.pyspy:
        path = project_root() / "BENCHMARKS.md"
        path.write_text(report.splice(path.read_text() if path.exists() else "# Benchmarks\n", tables))
    return 1 if context.recorder.failures() else 0


def image_path(path: Path) -> str:
    """The plot's path as BENCHMARKS.md (at the project root) links it."""
    path = path.resolve()
    return str(path.relative_to(project_root())) if path.is_relative_to(project_root()) else str(path)


def meta(args: argparse.Namespace, sizes, wall_seconds: float) -> dict:
    command = "python -m bench " + shlex.join(sys.argv[1:]) if sys.argv[0].endswith("__main__.py") else "python -m bench"
    return {"command": command, "size": args.size, "rounds": sizes.rounds, "sizes": sizes.__dict__,
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
                       f"Linux {platform.release()}",
            "wall_seconds": wall_seconds}


PROFILE_NAME = re.compile(r"^(?P<scenario>[A-H])-(?P<step>.+?)-(?P<label>notifyhub.*)-n(?P<n>\d+)-r\d+$")


def write_hot_spots(profile_dir: Path, path: Path) -> None:
    """Aggregate the py-spy profiles per scenario step (all rounds) into a Markdown list of hot spots."""
    by_step: dict[tuple, list[Path]] = defaultdict(list)
    for profile in profile_dir.glob("*.txt"):
        if match := PROFILE_NAME.match(profile.stem):
            by_step[(match["scenario"], match["step"], match["label"], int(match["n"]))].append(profile)
    sections = []
    for (scenario, step_name, label, n), paths in sorted(by_step.items()):
        step = f"{scenario} {step_name}, {label}, N={n:,}"
        spots = hot_spots(read_stacks(paths))
        own = "\n".join(f"  - {share:5.1f}% {name}" for name, share in spots["self"])
        total = "\n".join(f"  - {share:5.1f}% {name}" for name, share in spots["notifyhub_total"])
        sections.append(f"### {step} ({spots['samples'][0][1]} samples)\n\n- self time:\n{own}\n"
                        f"- notifyhub functions, including callees:\n{total}\n")
    path.write_text("# py-spy hot spots per step\n\n" + HOT_SPOTS_NOTE + "\n".join(sections))
    print(path.read_text())


HOT_SPOTS_NOTE = """Shares of py-spy samples (500 Hz, Python frames only). Time inside C code is charged to
the Python frame that called it: `asyncio/runners.py:Runner.run` is uvloop's own loop (socket reads,
httptools parsing, callbacks), and `write_frames` includes the `transport.write` system calls.

"""


if __name__ == "__main__":
    sys.exit(main())
