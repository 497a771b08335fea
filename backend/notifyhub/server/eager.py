"""Running a coroutine eagerly: at once, in the caller, and as a task only if it has to wait.

A publish to the memory backend, or a handshake's attach, never waits for I/O; wrapping it in
an asyncio task costs a task object, a loop iteration and a context switch, about a tenth of a
one-message publish. `run_eagerly` steps the coroutine right away (as Python 3.12's eager task
factory does); if it does wait, the rest runs in a task the caller's set holds.

Only for coroutines that do not need to start inside a task: `asyncio.timeout()` and anything
else that reads `asyncio.current_task()` before the first wait would fail. Callers use it where
the backend says its calls do not wait (`Backend.waits`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Generator
from typing import Any


def run_eagerly(work: Coroutine[Any, Any, None], tasks: set[asyncio.Task]) -> None:
    """Run work until it first waits; then finish it in a task added to tasks (and removed when
    done). An exception raised before the first wait propagates to the caller."""
    try:
        waiting_on = work.send(None)
    except StopIteration:
        return
    task = asyncio.get_running_loop().create_task(_finish(work, waiting_on))
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    task.add_done_callback(lambda _: work.close())  # a task cancelled before it ran never resumed it


async def _finish(work: Coroutine[Any, Any, None], waiting_on: Any) -> None:
    await _Resumed(work, waiting_on)


class _Resumed:
    """Awaitable that hands the future a started coroutine waits on to the task, and the task's
    answers (results, cancellation) back to the coroutine, as `await` would have."""

    __slots__ = ("_work", "_waiting_on")

    def __init__(self, work: Coroutine[Any, Any, None], waiting_on: Any) -> None:
        self._work = work
        self._waiting_on = waiting_on

    def __await__(self) -> Generator[Any, Any, None]:
        work, waiting_on = self._work, self._waiting_on
        while True:
            try:
                sent = yield waiting_on
            except BaseException as exc:  # cancellation (or anything thrown) goes to the coroutine
                try:
                    waiting_on = work.throw(exc)
                except StopIteration:
                    return
            else:
                try:
                    waiting_on = work.send(sent)
                except StopIteration:
                    return
