"""Eager runs: a coroutine that never waits costs no task; one that waits finishes in a task."""

from __future__ import annotations

import asyncio

from notifyhub.server.eager import run_eagerly


async def test_a_coroutine_that_never_waits_runs_at_once_without_a_task() -> None:
    """The work is done when run_eagerly returns, and no task was made."""
    tasks: set[asyncio.Task] = set()
    done = []

    async def work() -> None:
        done.append(True)

    run_eagerly(work(), tasks)
    assert done == [True] and not tasks


async def test_a_coroutine_that_waits_finishes_in_a_held_task() -> None:
    """Up to its first wait it runs at once; the rest (results of what it awaited included) runs
    in a task the caller's set holds until it is done."""
    tasks: set[asyncio.Task] = set()
    steps = []
    future = asyncio.get_running_loop().create_future()

    async def work() -> None:
        steps.append("started")
        await asyncio.sleep(0)
        steps.append(await future)

    run_eagerly(work(), tasks)
    assert steps == ["started"] and len(tasks) == 1
    future.set_result("resumed")
    await asyncio.sleep(0.01)
    assert steps == ["started", "resumed"] and not tasks


async def test_cancelling_the_task_cancels_the_work() -> None:
    """Cancellation reaches the coroutine (its finally blocks run), whether or not the task ran."""
    tasks: set[asyncio.Task] = set()
    cleaned = []

    async def work() -> None:
        try:
            await asyncio.sleep(10)
        finally:
            cleaned.append(True)

    for ran_first in (False, True):
        run_eagerly(work(), tasks)
        task = next(iter(tasks))
        if ran_first:
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.sleep(0.01)
        assert task.cancelled() and cleaned.pop() and not tasks
