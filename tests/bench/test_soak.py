"""`make soak`'s verdict: memory that levels off is flat, memory that keeps growing is not."""

from __future__ import annotations

from bench.soak import delivered_exactly, judge


def samples(rss_mb) -> list[dict]:
    return [{"seconds": 5.0 * i, "rss_mb": rss, "cpu_s": 0.0} for i, rss in enumerate(rss_mb)]


def test_memory_that_levels_off_after_the_warm_up_is_flat() -> None:
    """History filling during the warm-up, then noise of a few hundred KB, is flat."""
    warm_up = [60 + i for i in range(25)]
    steady = [85 + (0.3 if i % 3 else -0.2) for i in range(95)]
    assert judge(samples(warm_up + steady))["flat"]


def test_memory_that_keeps_growing_is_not_flat() -> None:
    """A leak of 1 MB a minute over ten minutes at 80 MB is reported, with its slope."""
    verdict = judge(samples([80 + i / 12 for i in range(120)]))
    assert not verdict["flat"] and 0.9 < verdict["slope_mb_per_minute"] < 1.1


def test_too_few_samples_is_no_verdict() -> None:
    """A run too short to judge fails rather than passing by default."""
    assert judge(samples([80, 80]))["flat"] is False


def test_a_round_with_anything_lost_or_out_of_order_is_a_failure() -> None:
    """The soak fails on any delivery anomaly, not only on memory."""
    clean = {"complete": True, "expected": 10, "delivered": 10, "duplicates": 0, "reordered": 0}
    assert delivered_exactly(clean)
    assert not delivered_exactly({**clean, "delivered": 9})
    assert not delivered_exactly({**clean, "reordered": 1})
