"""Token expiries on one timer: each connection is closed at its own deadline, in order, and one
that went earlier is neither closed again nor kept alive by its deadline."""

from __future__ import annotations

import asyncio
import gc
import weakref

from notifyhub.expiry import Expiries


async def test_callbacks_run_at_their_deadlines_in_deadline_order() -> None:
    """Deadlines registered out of order fire in order, each once, none before its time."""
    loop = asyncio.get_running_loop()
    expiries, fired, done = Expiries(), [], loop.create_future()
    start = loop.time()

    def expire(name: str) -> None:
        fired.append((name, loop.time() - start))
        if len(fired) == 3:
            done.set_result(None)

    for name, delay in (("late", 0.06), ("early", 0.02), ("middle", 0.04)):
        expiries.call_at(start + delay, lambda name=name: expire(name))
    await asyncio.wait_for(done, 5)
    assert [name for name, _ in fired] == ["early", "middle", "late"]
    assert all(elapsed >= delay - 0.001 for (_, elapsed), delay in zip(fired, (0.02, 0.04, 0.06)))
    assert len(expiries) == 0


async def test_a_cancelled_deadline_never_fires() -> None:
    """A connection that closed before its token expired is not closed again at the expiry."""
    loop = asyncio.get_running_loop()
    expiries, fired, done = Expiries(), [], loop.create_future()
    cancelled = expiries.call_at(loop.time() + 0.01, lambda: fired.append("cancelled"))
    expiries.call_at(loop.time() + 0.03, lambda: done.set_result(None))
    cancelled.cancel()
    cancelled.cancel()
    await asyncio.wait_for(done, 5)
    assert fired == []


async def test_cancelled_deadlines_free_their_connections_and_are_dropped() -> None:
    """A cancelled deadline does not keep its callback's owner alive, and cancelled entries never
    outnumber live ones, whatever the churn of connections."""
    loop = asyncio.get_running_loop()
    expiries = Expiries()

    class Owner:
        def expire(self) -> None:
            raise AssertionError("cancelled")

    owner = Owner()
    gone = weakref.ref(owner)
    expiries.call_at(loop.time() + 3600, owner.expire).cancel()
    del owner
    gc.collect()
    assert gone() is None
    kept = [expiries.call_at(loop.time() + 3600, lambda: None) for _ in range(10)]
    for _ in range(1000):
        expiries.call_at(loop.time() + 3600, lambda: None).cancel()
    assert len(expiries) <= 2 * len(kept) + 1
    expiries.close()
