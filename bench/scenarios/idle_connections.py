"""A: open N authenticated connections; connection rate, and server memory per idle connection."""

from __future__ import annotations

import time

from bench.procstat import rss_bytes
from bench.session import Session
from bench.sizes import Sizes

SETTLE_SECONDS = 1.0
"""Let the server finish what opening queued (presence, first frames) before reading its RSS."""

OPEN_CONCURRENCY = 100


def run(session: Session, sizes: Sizes) -> None:
    pid = session.servers[0].pid
    users = max(1, session.n // sizes.connections_per_user)
    before = rss_bytes(pid)
    with session.step("A", "open") as usage:
        opened = session.client.call("open", connections=session.n, users=users, concurrency=OPEN_CONCURRENCY,
                                     timeoutS=sizes.step_timeout_seconds)
    time.sleep(SETTLE_SECONDS)
    after = rss_bytes(pid)
    session.check("A", "open", {"expected": session.n, "delivered": opened["opened"], "lost": opened["failed"]})
    session.sample("A", "kb_per_idle_connection", (after - before) / session.n / 1024)
    session.sample("A", "connections_per_second", opened["opened"] / opened["seconds"])
    session.sample("A", "us_per_connection_open", usage.server_us_per(session.n))
