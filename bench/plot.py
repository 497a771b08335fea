"""The PNG in BENCHMARKS.md: one broadcast's time to last receipt and server CPU per frame against N."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.summary import summarize

PANELS = [("ms_to_last_receipt", "time to last receipt, one broadcast (ms)"),
          ("us_per_frame_broadcast_once", "server CPU per frame, one broadcast (µs)")]


def plot(results: dict[str, Any], path: Path) -> bool:
    """Write the plot; False when there is nothing to plot (no B samples) or no matplotlib."""
    summary = summarize(results["samples"])
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(PANELS), figsize=(11, 4.2))
    plotted = False
    for axis, (metric, title) in zip(axes, PANELS):
        points = {}
        for (scenario, name, n), by_server in summary.items():
            if scenario == "B" and name == metric:
                for server, stats in by_server.items():
                    points.setdefault(server, []).append((n, stats["median"], stats["min"], stats["max"]))
        for server, series in sorted(points.items()):
            series.sort()
            ns, medians, lows, highs = zip(*series)
            axis.errorbar(ns, medians, yerr=[[m - lo for m, lo in zip(medians, lows)],
                                             [hi - m for m, hi in zip(medians, highs)]],
                          marker="o", capsize=3, label=server)
            plotted = True
        axis.set_xscale("log")
        axis.set_xlabel("connections (N)")
        axis.set_title(title, fontsize=10)
        axis.grid(True, alpha=0.3)
    if plotted:
        axes[0].legend(fontsize=8)
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=110)
    plt.close(figure)
    return plotted
