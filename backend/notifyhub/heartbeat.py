"""The idle sweep: one task closes every connection that has gone silent.

uvicorn sends a protocol ping every `ping_interval_seconds`; its pong, or any frame, counts as
activity. One shared sweep is cheaper than a timer per connection, and checking every quarter
of the idle timeout closes a dead connection at most 25% late.
"""

from __future__ import annotations

import asyncio
import logging

from .hub import Hub

logger = logging.getLogger(__name__)


async def sweep_idle_connections(hub: Hub, idle_timeout: float, interval: float) -> None:
    """Run until cancelled; safe to cancel at any point."""
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(interval)
        closed = hub.close_idle(loop.time(), idle_timeout)
        if closed:
            logger.info("closed %d idle connection(s)", closed)
