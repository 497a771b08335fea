"""The benchmark harness end to end on tiny N: every server, every scenario, every frame counted.

These tests assert what the harness delivered and checked, never how fast anything was.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.sizes import SIZES

SMOKE = SIZES["smoke"]
PEERS = ["fastapi-manager", "websockets", "node-ws"] + (["socketio"] if importlib.util.find_spec("socketio") else [])
"""python-socketio comes with the `bench` extra (`make bench`), not with `make test`'s install."""
ANOMALIES = ("lost", "duplicates", "reordered", "misrouted", "stale", "seqErrors", "publishFailures")


def run_bench(out: Path, scenarios: str) -> dict:
    exit_code = main(["--size", "smoke", "--scenarios", scenarios, "--peers", ",".join(PEERS), "--out", str(out)])
    results = json.loads((out / "smoke.json").read_text())
    assert exit_code == 0, [c for c in results["checks"] if any(c[k] for k in ANOMALIES)]
    return results


def assert_clean(checks: list[dict]) -> None:
    for check in checks:
        assert check["complete"], check
        assert check["delivered"] == check["expected"], check
        assert not any(check[key] for key in ANOMALIES), check


def expected_per_step(results: dict, scenario: str, step: str) -> dict[str, int]:
    return {c["server"]: c["expected"] for c in results["checks"] if (c["scenario"], c["step"]) == (scenario, step)}


@pytest.mark.skipif(shutil.which("node") is None, reason="the load client needs node")
def test_fanout_scenarios_deliver_every_frame_once_in_order(tmp_path: Path) -> None:
    """A-E and H on notifyhub and every peer: each connection gets exactly its frames, in order, flood or not."""
    results = run_bench(tmp_path, "ABCDEH")
    assert_clean(results["checks"])
    servers = {"notifyhub", *PEERS}
    n = SMOKE.working_connections
    assert expected_per_step(results, "A", "open") == dict.fromkeys(servers, n)
    assert expected_per_step(results, "B", "broadcast") == dict.fromkeys(servers, n)
    assert expected_per_step(results, "C", "sustained-1") == dict.fromkeys(servers, n * SMOKE.sustained_messages)
    for step in ("single", "batched"):
        assert set(expected_per_step(results, "D", step)) == servers
    assert set(expected_per_step(results, "E", "in-process")) == servers
    for step in ("quiet", "flood"):
        assert set(expected_per_step(results, "H", step)) == servers
    assert expected_per_step(results, "H", "flooders") == dict.fromkeys(servers, SMOKE.flood_connections)
    assert {(s["scenario"], s["server"]) for s in results["samples"]} >= {(x, s) for x in "ABCDEH" for s in servers}
    flooded = {s["server"] for s in results["samples"] if s["metric"] == "ms_p50_targeted_flood"}
    assert flooded == servers


@pytest.mark.redis
@pytest.mark.skipif(shutil.which("node") is None, reason="the load client needs node")
def test_replay_and_two_hubs_lose_nothing(tmp_path: Path) -> None:
    """F and G: a resuming connection gets every stored message; a message crosses hubs exactly once."""
    if shutil.which("redis-server") is None:
        if os.environ.get("NOTIFYHUB_REQUIRE_REDIS") == "1":
            pytest.fail("NOTIFYHUB_REQUIRE_REDIS=1 but redis-server is not on PATH")
        pytest.skip("REDIS TESTS SKIPPED: the harness starts its own redis-server, and none is on PATH")
    results = run_bench(tmp_path, "FG")
    assert_clean(results["checks"])
    replays = [c for c in results["checks"] if c["scenario"] == "F"]
    assert {c["server"] for c in replays} == {"notifyhub", "notifyhub-redis"}
    assert all(c["expected"] == SMOKE.replay_messages for c in replays)
    crossing = [c for c in results["checks"] if (c["scenario"], c["step"]) == ("G", "broadcast")]
    assert {c["server"]: c["expected"] for c in crossing} == {
        "notifyhub-memory-1hub": SMOKE.two_hub_connections, "notifyhub-redis-1hub": SMOKE.two_hub_connections,
        "notifyhub-redis-2hub": SMOKE.two_hub_connections}
