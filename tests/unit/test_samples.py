"""The console's time series without a hub: samples from counters, percentiles from buckets,
and several hubs' samples added up."""

from __future__ import annotations

from notifyhub.metrics import SEND_LATENCY_BUCKETS, HubMetrics
from notifyhub.samples import Sample, Sampler, interval_start, percentile, sum_series


def buckets(**counts: int) -> list[int]:
    """Latency buckets with counts at the given bucket indexes (`b3=2`)."""
    values = [0] * (len(SEND_LATENCY_BUCKETS) + 1)
    for name, count in counts.items():
        values[int(name[1:])] = count
    return values


def test_a_sample_holds_what_was_counted_during_its_interval() -> None:
    """Each sample counts only its own interval's messages and closes, not the running totals."""
    metrics = HubMetrics()
    sampler = Sampler(metrics, lambda: (3, 2), interval=5, window=60)
    metrics.message_sent("notification", 0.0002)
    metrics.connection_closed(4000)
    first = sampler.take(now=1000.0)
    metrics.message_sent("notification", 0.0002)
    metrics.message_sent("ocr_progress", 0.002)
    second = sampler.take(now=1005.0)
    assert (first.messages, first.closes) == ({"notification": 1}, {"4000": 1})
    assert (second.messages, second.closes) == ({"notification": 1, "ocr_progress": 1}, {})
    assert (second.t, second.connections, second.users) == (1000.0, 3, 2)


def test_the_ring_keeps_the_window_only() -> None:
    """A window of 60 s sampled every 5 s keeps the last 12 samples."""
    sampler = Sampler(HubMetrics(), lambda: (0, 0), interval=5, window=60)
    for step in range(30):
        sampler.take(now=1000.0 + 5 * step)
    assert len(sampler.samples) == 12


def test_percentiles_are_bucket_bounds() -> None:
    """p50 and p99 are the upper bounds of the buckets holding them; none without messages."""
    counts = buckets(b1=98, b7=2)
    assert percentile(counts, 0.5) == SEND_LATENCY_BUCKETS[1]
    assert percentile(counts, 0.99) == SEND_LATENCY_BUCKETS[7]
    assert percentile(buckets(), 0.5) is None


def test_hubs_are_summed_per_interval_and_percentiles_come_from_summed_buckets() -> None:
    """Samples of the same interval add up; a quiet hub does not dilute another's latency."""
    a = [Sample(10.0, 2, 1, {"notification": 3}, buckets(b0=3), {"4000": 1}),
         Sample(15.0, 2, 1, {}, buckets(), {})]
    b = [Sample(10.0, 5, 4, {"notification": 1, "book_ready": 2}, buckets(b9=3), {})]
    total = sum_series([a, b])
    assert [s.t for s in total] == [10.0, 15.0]
    assert (total[0].connections, total[0].users) == (7, 5)
    assert total[0].messages == {"notification": 4, "book_ready": 2}
    assert total[0].closes == {"4000": 1}
    assert percentile(total[0].latency_buckets, 0.99) == SEND_LATENCY_BUCKETS[9]


def test_intervals_start_at_the_same_instants_on_every_hub() -> None:
    """Two hubs sampling at different moments of one interval stamp it alike."""
    assert interval_start(1003.2, 5) == interval_start(1004.9, 5) == 1000.0
