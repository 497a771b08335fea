"""Many deadlines on one timer: token expiries and keep-alive pings, one of each per connection.

A timer per connection (uvloop's handle, its context, its arguments) cost about 0.5-0.7 KB for
as long as the connection lived, more than a tenth of an idle connection, and a connection had
two. `Deadlines` keeps them in a heap and arms one timer, for the earliest. A deadline cancelled
before it fires leaves its entry behind, emptied so that whatever its callback held is freed; the
heap is rebuilt once such entries outnumber the live ones, so it never holds more than twice as
many entries as there are deadlines.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from typing import Any

_AT, _ORDER, _CALLBACK = 0, 1, 2


class Deadline:
    """A deadline registered with `Deadlines`; `cancel` it when it is no longer wanted."""

    __slots__ = ("_entry", "_owner")

    def __init__(self, entry: list[Any], owner: Deadlines) -> None:
        self._entry = entry
        self._owner = owner

    def cancel(self) -> None:
        """Never call the callback. Idempotent."""
        if self._entry[_CALLBACK] is not None:
            self._entry[_CALLBACK] = None
            self._owner._cancelled()


class Deadlines:
    """Calls each registered callback at its loop time, in deadline order (registration order
    among equal deadlines), from one timer. A callback that raises is reported to the loop's
    exception handler, as a timer's would be, and the others still run. Not thread-safe; use on
    one loop (taken when the first deadline is registered)."""

    __slots__ = ("_loop", "_heap", "_order", "_timer", "_dead")

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._heap: list[list[Any]] = []
        self._order = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self._dead = 0

    def __len__(self) -> int:
        """Entries held, cancelled ones not yet dropped included."""
        return len(self._heap)

    def call_at(self, when: float, callback: Callable[[], None]) -> Deadline:
        """Call callback at loop time `when` (on the next round if that has passed)."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        entry = [when, next(self._order), callback]
        heapq.heappush(self._heap, entry)
        if self._timer is None or when < self._timer.when():
            self._arm()
        return Deadline(entry, self)

    def close(self) -> None:
        """Drop every deadline and the timer."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for entry in self._heap:
            entry[_CALLBACK] = None
        self._heap, self._dead = [], 0

    def _cancelled(self) -> None:
        self._dead += 1
        if self._dead > len(self._heap) - self._dead:
            self._heap = [entry for entry in self._heap if entry[_CALLBACK] is not None]
            heapq.heapify(self._heap)
            self._dead = 0

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_at(self._heap[0][_AT], self._run) if self._heap else None

    def _run(self) -> None:
        self._timer = None
        now = self._loop.time()
        while self._heap and self._heap[0][_AT] <= now:  # a callback's cancel may rebuild the heap
            entry = heapq.heappop(self._heap)
            callback = entry[_CALLBACK]
            if callback is None:
                self._dead -= 1
                continue
            entry[_CALLBACK] = None
            try:
                callback()
            except Exception as exc:
                self._loop.call_exception_handler({"message": "Exception in a deadline's callback",
                                                   "exception": exc})
        self._arm()
