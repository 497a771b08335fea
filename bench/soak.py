"""`make soak`: notifyhub under steady traffic for ten minutes; is its memory flat?

    python -m bench.soak [--minutes 10] [--connections 1000] [--out bench/results]

One hub (`notifyhub serve`, JWT and validation on) and the Node load client, loopback only.
After opening the connections, every round sends targeted messages one per request, a batch,
and a broadcast, each checked in full by the load client (nothing lost, duplicated, reordered or
misrouted), then sleeps out the rest of the round. The hub's RSS is sampled after every round.

History is capped low (`HISTORY_MAX_MESSAGES`) so that it fills during the warm-up: memory that
keeps growing after that is a leak, not history. Memory is "flat" when the least-squares slope
of RSS after the warm-up, over the measured window, adds up to less than `FLAT_TOLERANCE` of the
median RSS. Exits 1 when a delivery check fails or memory is not flat. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from bench.loadclient import LoadClient
from bench.procstat import cpu_seconds, rss_bytes
from bench.processes import project_root
from bench.recorder import Recorder
from bench.servers import NOTIFYHUB
from bench.session import CLIENT_CPUS, RunContext, started

ROUND_SECONDS = 5.0
"""One round of traffic every this many seconds (about 340 messages a second on average)."""
SINGLE_PER_ROUND = 200
BATCHED_PER_ROUND = 1_000
BATCH_SIZE = 100
BROADCASTS_PER_ROUND = 2
HISTORY_MAX_MESSAGES = 50
"""Per user; with ~1,200 targeted messages a round over 500 users, full within the warm-up."""
WARM_UP_FRACTION = 0.2
"""Samples in the first fifth of the run are reported but not judged."""
FLAT_TOLERANCE = 0.05
STEP_TIMEOUT_SECONDS = 30.0


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=project_root() / "bench" / "results")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    context = RunContext(Recorder(), args.out / "tmp" / "soak")
    spec = NOTIFYHUB.with_env("notifyhub", NOTIFYHUB_HISTORY_MAX_MESSAGES=str(HISTORY_MAX_MESSAGES))
    samples: list[dict] = []
    failures: list[dict] = []
    with started(spec, context) as server, LoadClient(CLIENT_CPUS) as client:
        client.connect_to(server.ws_url, server.http_url)
        opened = client.call("open", connections=args.connections, users=max(1, args.connections // 2),
                             concurrency=100, timeoutS=STEP_TIMEOUT_SECONDS)
        if opened["failed"]:
            failures.append({"step": "open", **opened})
        started_at = time.monotonic()
        deadline = started_at + args.minutes * 60
        while time.monotonic() < deadline:
            round_started = time.monotonic()
            for step, answer in traffic(client):
                if not delivered_exactly(answer):
                    failures.append({"step": step, **answer})
            samples.append({"seconds": round(time.monotonic() - started_at, 1),
                            "rss_mb": rss_bytes(server.pid) / 2**20, "cpu_s": cpu_seconds(server.pid)})
            print(f"{samples[-1]['seconds']:7.1f} s  RSS {samples[-1]['rss_mb']:7.1f} MB", flush=True)
            time.sleep(max(0.0, min(ROUND_SECONDS - (time.monotonic() - round_started),
                                    deadline - time.monotonic())))
    verdict = judge(samples)
    report = {"minutes": args.minutes, "connections": args.connections, "opened": opened,
              "failures": failures, **verdict, "samples": samples}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "soak.json").write_text(json.dumps(report, indent=1) + "\n")
    print(summary(report))
    return 0 if verdict["flat"] and not failures else 1


def traffic(client: LoadClient):
    """One round: (step, load-client answer) for each kind of publish."""
    yield "single", client.call("targeted", messages=SINGLE_PER_ROUND, perRequest=1, timeoutS=STEP_TIMEOUT_SECONDS)
    yield "batched", client.call("targeted", messages=BATCHED_PER_ROUND, perRequest=BATCH_SIZE,
                                 timeoutS=STEP_TIMEOUT_SECONDS)
    yield "broadcast", client.call("broadcast", messages=BROADCASTS_PER_ROUND, timeoutS=STEP_TIMEOUT_SECONDS)


ANOMALIES = ("duplicates", "reordered", "misrouted", "stale", "seqErrors", "publishFailures", "closedByServer")


def delivered_exactly(answer: dict) -> bool:
    """Whether a load-client answer shows every frame delivered once, in order, to its user."""
    return (answer.get("complete", False) and answer.get("delivered") == answer.get("expected")
            and not any(answer.get(key) for key in ANOMALIES))


def judge(samples: list[dict]) -> dict:
    """Least-squares slope of RSS after the warm-up, and whether it is flat."""
    judged = samples[int(len(samples) * WARM_UP_FRACTION):]
    if len(judged) < 3:
        return {"flat": False, "reason": "too few samples", "slope_mb_per_minute": None}
    xs = [s["seconds"] / 60 for s in judged]
    ys = [s["rss_mb"] for s in judged]
    slope = statistics.linear_regression(xs, ys).slope
    window = xs[-1] - xs[0]
    median = statistics.median(ys)
    growth = slope * window
    return {"flat": growth < FLAT_TOLERANCE * median, "slope_mb_per_minute": slope,
            "growth_mb_over_window": growth, "window_minutes": window, "median_rss_mb": median,
            "min_rss_mb": min(ys), "max_rss_mb": max(ys)}


def summary(report: dict) -> str:
    if report.get("slope_mb_per_minute") is None:
        return f"soak: {report.get('reason')}"
    flat = "flat" if report["flat"] else "NOT flat"
    cpu = report["samples"][-1]["cpu_s"] - report["samples"][0]["cpu_s"]
    return (f"soak: {report['connections']} connections, {report['minutes']:g} min, "
            f"{len(report['samples'])} rounds, {len(report['failures'])} failed delivery checks; "
            f"RSS after warm-up {report['min_rss_mb']:.1f}-{report['max_rss_mb']:.1f} MB "
            f"(median {report['median_rss_mb']:.1f}), slope {report['slope_mb_per_minute']:+.3f} MB/min, "
            f"{report['growth_mb_over_window']:+.2f} MB over {report['window_minutes']:.1f} min: {flat} "
            f"(tolerance {FLAT_TOLERANCE:.0%} of the median); server CPU {cpu:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
