"""py-spy profiles of the hub during a step, and the hot spots they show.

py-spy samples the running process from outside (`py-spy record --nonblocking`), so a profiled run
is a little slower; the harness profiles only when asked (`--pyspy`), never while it measures for
the table.
"""

from __future__ import annotations

import collections
import contextlib
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

SAMPLES_PER_SECOND = 500
ATTACH_SECONDS = 0.5
"""py-spy needs a moment to attach before the step starts."""

ROOT_FRAMES = {"notifyhub:<module>", "notifyhub/cli.py:main", "notifyhub/cli.py:serve"}
"""Frames under which everything runs; their totals say nothing."""

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise FileNotFoundError("py-spy is not installed (pip install -e '.[bench]')")
    return found


@contextlib.contextmanager
def profiled(pid: int, output: Path) -> Iterator[None]:
    """Sample pid while the block runs; collapsed stacks go to output (py-spy's raw format)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    recorder = subprocess.Popen([py_spy(), "record", "--pid", str(pid), "--rate", str(SAMPLES_PER_SECOND),
                                 "--format", "raw", "--nonblocking", "--output", str(output)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(ATTACH_SECONDS)
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)
        try:
            recorder.wait(30)
        except subprocess.TimeoutExpired:
            recorder.kill()
            recorder.wait()


def read_stacks(paths: list[Path]) -> collections.Counter[tuple[str, ...]]:
    stacks: collections.Counter[tuple[str, ...]] = collections.Counter()
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if stack and count.isdigit():
                stacks[tuple(short(frame) for frame in stack.split(";"))] += int(count)
    return stacks


def short(frame: str) -> str:
    """`send_to_user (notifyhub/hub.py:123)` -> `notifyhub/hub.py:send_to_user`."""
    match = FRAME.match(frame)
    if not match:
        return frame
    path = match["file"]
    for marker in ("site-packages/", "backend/", "generated/python/", "lib/python3.11/"):
        if marker in path:
            path = path.rpartition(marker)[2]
    return f"{path}:{match['function']}"


def hot_spots(stacks: collections.Counter[tuple[str, ...]], top: int = 12) -> dict[str, list[tuple[str, float]]]:
    """Share of samples per function: where the time is spent itself (self) and under it (total)."""
    total = sum(stacks.values()) or 1
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    for stack, count in stacks.items():
        own[stack[-1]] += count
        for frame in set(stack):
            inclusive[frame] += count
    share = lambda counter: [(name, round(100 * count / total, 1)) for name, count in counter.most_common(top)]
    hub_frames = collections.Counter({k: v for k, v in inclusive.items()
                                      if k.startswith("notifyhub") and k not in ROOT_FRAMES})
    return {"samples": [("all", total)], "self": share(own), "notifyhub_total": share(hub_frames)}
