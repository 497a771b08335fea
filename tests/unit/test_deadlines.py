"""Deadlines on one timer (token deadlines, pings): each fires at its own time, in order; one
cancelled (its connection went) neither fires nor keeps anything alive; one that raises does not
stop the others."""

from __future__ import annotations

import asyncio
import gc
import weakref

from notifyhub.deadlines import Deadlines


async def test_callbacks_run_at_their_deadlines_in_deadline_order() -> None:
    """Deadlines registered out of order fire in order, each once, none before its time."""
    loop = asyncio.get_running_loop()
    deadlines, fired, done = Deadlines(), [], loop.create_future()
    start = loop.time()

    def expire(name: str) -> None:
        fired.append((name, loop.time() - start))
        if len(fired) == 3:
            done.set_result(None)

    for name, delay in (("late", 0.06), ("early", 0.02), ("middle", 0.04)):
        deadlines.call_at(start + delay, lambda name=name: expire(name))
    await asyncio.wait_for(done, 5)
    assert [name for name, _ in fired] == ["early", "middle", "late"]
    assert all(elapsed >= delay - 0.001 for (_, elapsed), delay in zip(fired, (0.02, 0.04, 0.06)))
    assert len(deadlines) == 0


async def test_a_cancelled_deadline_never_fires() -> None:
    """A connection that closed before its token expired is not closed again at the expiry."""
    loop = asyncio.get_running_loop()
    deadlines, fired, done = Deadlines(), [], loop.create_future()
    cancelled = deadlines.call_at(loop.time() + 0.01, lambda: fired.append("cancelled"))
    deadlines.call_at(loop.time() + 0.03, lambda: done.set_result(None))
    cancelled.cancel()
    cancelled.cancel()
    await asyncio.wait_for(done, 5)
    assert fired == []


async def test_cancelled_deadlines_free_their_connections_and_are_dropped() -> None:
    """A cancelled deadline does not keep its callback's owner alive, and cancelled entries never
    outnumber live ones, whatever the churn of connections."""
    loop = asyncio.get_running_loop()
    deadlines = Deadlines()

    class Owner:
        def expire(self) -> None:
            raise AssertionError("cancelled")

    owner = Owner()
    gone = weakref.ref(owner)
    deadlines.call_at(loop.time() + 3600, owner.expire).cancel()
    del owner
    gc.collect()
    assert gone() is None
    kept = [deadlines.call_at(loop.time() + 3600, lambda: None) for _ in range(10)]
    for _ in range(1000):
        deadlines.call_at(loop.time() + 3600, lambda: None).cancel()
    assert len(deadlines) <= 2 * len(kept) + 1
    deadlines.close()


async def test_a_callback_that_raises_is_reported_and_the_others_still_run() -> None:
    """One connection's failing ping or expiry does not leave the others' unserved."""
    loop = asyncio.get_running_loop()
    deadlines, reported, done = Deadlines(), [], loop.create_future()
    handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _, context: reported.append(context["exception"]))
    try:
        def fail() -> None:
            raise RuntimeError("one connection's callback")

        at = loop.time() + 0.01
        deadlines.call_at(at, fail)
        deadlines.call_at(at, lambda: done.set_result(None))
        await asyncio.wait_for(done, 5)
    finally:
        loop.set_exception_handler(handler)
    assert [str(exc) for exc in reported] == ["one connection's callback"]
