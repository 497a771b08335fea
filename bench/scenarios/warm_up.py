"""Before anything is measured on a fresh server: a little of every kind of traffic, unmeasured.

A server that has run for a while has compiled its hot paths (V8's JIT for Node), sized its pools
and buffers, and a load client has too; a step measured on a cold process charges that start-up
to the first few thousand operations, which real traffic never sees. Every server gets the same
warm-up, with users of its own, closed before the measurements begin.
"""

from __future__ import annotations

from bench.session import Session
from bench.sizes import Sizes


def run(session: Session, sizes: Sizes) -> None:
    """Open `warm_up_connections`, send single and batched targeted messages and a few broadcasts to
    them, and close them again. Answers are not recorded; a failing server fails here already."""
    if not sizes.warm_up_connections:
        return
    client, timeout = session.client, sizes.step_timeout_seconds
    connections = sizes.warm_up_connections
    client.call("open", connections=connections, users=max(1, connections // sizes.connections_per_user),
                timeoutS=timeout)
    client.call("targeted", messages=sizes.warm_up_messages, perRequest=1, timeoutS=timeout)
    client.call("targeted", messages=sizes.warm_up_messages, perRequest=sizes.batch_size, timeoutS=timeout)
    client.call("broadcast", messages=3, timeoutS=timeout)
    client.call("close", timeoutS=timeout)
