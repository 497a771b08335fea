"""Publishes issued together share one round trip to Redis (a single Redis; on a cluster each
publish groups its own calls per master, owner_pipelines.py).

Over loopback every write to Redis is a system call that also wakes redis-server, and with one
round trip per publish those writes and wake-ups were most of what a single publish cost. Here
the script calls of concurrent publishes (the publishers in flight) wait in one queue and go as
one pipeline on one connection: at the end of the event-loop turn in which the first of them was
issued, or, while a round trip is under way, as soon as it returns (as a database's group commit
does). So under load each round trip carries everything that arrived during the previous one;
when publishes are rare, each goes at once.

Each user's calls keep the order their publishes were issued in, and one WAIT at the end (when
replicas must confirm) covers every call before it on that connection. A call waits at most for
the round trip ahead of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

RunCalls = Callable[[list[list]], Awaitable[tuple[list, list[int]]]]
"""Sends calls in one round trip; returns one reply per call (an error reply as an exception)
and what WAIT counted. Raises for all of them together."""


class SharedRoundTrips:
    """Calls of concurrent publishes, sent together by `run_calls`, one round trip at a time."""

    def __init__(self, run_calls: RunCalls) -> None:
        self._run_calls = run_calls
        self._queued: list[tuple[list[list], asyncio.Future[tuple[list, list[int]]]]] = []
        self._sending: set[asyncio.Task] = set()

    async def run(self, calls: list[list]) -> tuple[list, list[int]]:
        """Send `calls` with those queued beside them; their replies, in order, and WAIT's count.

        Raises what `run_calls` raised for the round trip, to every caller in it. Cancelling the
        caller before the round trip leaves its calls out of it; after, they may have run (as
        with any command)."""
        loop = asyncio.get_running_loop()
        if not self._queued and not self._sending:
            loop.call_soon(self._send_queued)
        answered = loop.create_future()
        self._queued.append((calls, answered))
        return await answered

    def _send_queued(self) -> None:
        queued = [(calls, answered) for calls, answered in self._queued if not answered.done()]
        self._queued = []
        if queued:
            task = asyncio.get_running_loop().create_task(self._send(queued))
            self._sending.add(task)
            task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task) -> None:
        """A round trip ended: what was queued meanwhile goes now."""
        self._sending.discard(task)
        if self._queued:
            self._send_queued()

    async def _send(self, queued: list[tuple[list[list], asyncio.Future]]) -> None:
        try:
            replies, acknowledged = await self._run_calls([call for calls, _ in queued for call in calls])
        except BaseException as exc:  # every caller gets it: they shared the round trip
            for _, answered in queued:
                if not answered.done():
                    answered.set_exception(exc) if isinstance(exc, Exception) else answered.cancel()
            if not isinstance(exc, Exception):
                raise
            return
        start = 0
        for calls, answered in queued:
            if not answered.done():
                answered.set_result((replies[start:start + len(calls)], acknowledged))
            start += len(calls)
