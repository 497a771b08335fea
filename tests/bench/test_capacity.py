"""`make bench-capacity`: the layouts run end to end on tiny traffic, and the sizing model's arithmetic.

The run asserts what was delivered, checked and measured apart, never how fast anything was.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from bench.capacity import main
from bench.capacity_report import BEGIN, END, Assumptions, markdown, size
from bench.report import splice

INPUTS = {"handshake_hub": 500.0, "redis_conn_bytes": 100.0, "token_bytes": 200.0, "entry_bytes": 800.0,
          "hub_base_mb": 70.0, "m_conn_kb": 8.0}


@pytest.mark.redis
@pytest.mark.skipif(shutil.which("node") is None, reason="the load client needs node")
def test_every_layout_delivers_everything_and_measures_each_process_apart(tmp_path: Path) -> None:
    """One hub on one Redis and two hubs on a two-master cluster: every frame arrives once, in
    order, and every hub and every redis-server has CPU figures of its own."""
    if shutil.which("redis-server") is None:
        if os.environ.get("NOTIFYHUB_REQUIRE_REDIS") == "1":
            pytest.fail("NOTIFYHUB_REQUIRE_REDIS=1 but redis-server is not on PATH")
        pytest.skip("REDIS TESTS SKIPPED: the capacity run starts its own redis-servers, and none is on PATH")
    exit_code = main(["--size", "smoke", "--out", str(tmp_path)])
    results = json.loads((tmp_path / "capacity-smoke.json").read_text())
    assert exit_code == 0, [layout.get("error") or layout["checks"] for layout in results["layouts"]]
    assert [(layout["hubs"], layout["shards"]) for layout in results["layouts"]] == [(1, 0), (2, 2)]
    for layout in results["layouts"]:
        assert [check["step"] for check in layout["checks"]] == ["open", "single", "batched", "broadcast"]
        assert all(check["ok"] and check["delivered"] == check["expected"] for check in layout["checks"])
        for step in ("open", "single", "batched", "broadcast"):
            figures = layout["steps"][step]
            assert len(figures["hub_us"]) == layout["hubs"] and all(us > 0 for us in figures["hub_us"])
            assert len(figures["redis_us"]) == max(layout["shards"], 1) and all(us > 0 for us in figures["redis_us"])
        single = layout["steps"]["single"]
        assert single["count"] == 2 * single["messages"]  # two tabs per user, each gets every message
        assert len(layout["hub_kb_per_connection"]) == layout["hubs"]
        assert layout["sampled_bytes"]["history_entry"] > 0 and layout["sampled_bytes"]["publish_token"] > 0
        assert layout["full_history_entry_bytes"] > 0
    assert "### Sizing from these inputs" in markdown(results)
    assert main(["--report", str(tmp_path / "capacity-smoke.json")]) == 0  # the tables again, measuring nothing


def test_hubs_follow_the_busier_of_cpu_and_connections_plus_a_spare() -> None:
    """Ten times the deliveries needs ten times the hubs for CPU; connections alone set a floor."""
    a = Assumptions()
    light = size(100_000, 10_000, c_hub=100.0, c_redis=20.0, inputs=INPUTS, assumptions=a)
    heavy = size(100_000, 100_000, c_hub=100.0, c_redis=20.0, inputs=INPUTS, assumptions=a)
    assert (light["hubs_for_cpu"], heavy["hubs_for_cpu"]) == (2, 20)  # 10k/s x 100 µs / 50%
    assert light["hubs_for_connections"] == 4  # 100,000 / (30 s x 50% / 500 µs = 30,000)
    assert (light["hubs"], heavy["hubs"]) == (5, 21)
    assert (light["shards_for_cpu"], heavy["shards_for_cpu"]) == (1, 4)


def test_history_per_user_is_capped_by_the_history_settings() -> None:
    """At the defaults a user keeps min(1,000, 72 h of their messages); the small column keeps 100."""
    a = Assumptions()
    busy = size(100_000, 10_000, c_hub=1.0, c_redis=1.0, inputs=INPUTS, assumptions=a)
    quiet = size(1_000_000, 10, c_hub=1.0, c_redis=1.0, inputs=INPUTS, assumptions=a)
    assert busy["history_per_user"] == 1000
    assert quiet["history_per_user"] == pytest.approx(10 / 2 / 500_000 * 72 * 3600)
    users, messages_per_second = 50_000, 5_000
    expected = (100_000 * 100 + messages_per_second * 60 * 200 + users * 1000 * 800) / 1e9
    assert busy["redis_gb"] == pytest.approx(expected)
    assert busy["redis_small_gb"] == pytest.approx(expected - users * 900 * 800 / 1e9)


def test_write_md_replaces_only_the_part_between_the_markers() -> None:
    """Re-running with --write-md keeps the page's own text around the generated tables."""
    page = f"# Capacity\n\nthe model\n\n{BEGIN}\n\nold tables\n{END}\n\nthe comparison\n"
    written = splice(page, "new tables\n", BEGIN, END)
    assert written == f"# Capacity\n\nthe model\n\n{BEGIN}\n\nnew tables\n\n{END}\n\nthe comparison\n"
