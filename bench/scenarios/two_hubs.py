"""G: hubs sharing one Redis; messages published on one hub reach connections held by another.

Compared side by side: one hub over Redis (publish and connections on it), and two hubs (publish on
the first, every connection on the second). CPU is that of the hubs plus redis-server.
"""

from __future__ import annotations

import contextlib
import uuid

from bench.loadclient import LoadClient
from bench.session import CLIENT_CPUS, RunContext, Session, started
from bench.servers import NOTIFYHUB
from bench.sizes import Sizes


def run(context: RunContext, sizes: Sizes, round_: int, redis_url: str, redis_pid: int) -> None:
    for hubs in (1, 2):
        spec = NOTIFYHUB.with_env(f"notifyhub-redis-{hubs}hub", NOTIFYHUB_BACKEND="redis",
                                  NOTIFYHUB_REDIS_URL=redis_url, NOTIFYHUB_REDIS_PREFIX=f"bench-{uuid.uuid4().hex}")
        with contextlib.ExitStack() as stack:
            servers = [stack.enter_context(started(spec, context, f"-{index}")) for index in range(hubs)]
            client = stack.enter_context(LoadClient(CLIENT_CPUS))
            publishing, holding = servers[0], servers[-1]
            client.connect_to(holding.ws_url, publishing.http_url, sizes.publishers)
            session = Session(context, spec.name, servers, [redis_pid], client, sizes.two_hub_connections, round_)
            _measure(session, sizes)


def _measure(session: Session, sizes: Sizes) -> None:
    opened = session.client.call("open", connections=session.n, users=max(1, session.n // sizes.connections_per_user),
                                 timeoutS=sizes.step_timeout_seconds)
    session.check("G", "open", {"expected": session.n, "delivered": opened["opened"], "lost": opened["failed"]})
    with session.step("G", "targeted") as usage:
        targeted = session.client.call("targeted", messages=sizes.two_hub_messages, perRequest=1,
                                       timeoutS=sizes.step_timeout_seconds)
    session.check("G", "targeted", targeted)
    session.sample("G", "ms_p50_two_hubs", targeted["latencyMs"]["p50"])
    session.sample("G", "ms_p99_two_hubs", targeted["latencyMs"]["p99"])
    session.sample("G", "us_per_delivery_two_hubs", usage.server_us_per(targeted["expected"]))
    broadcast = session.client.call("broadcast", messages=1, timeoutS=sizes.step_timeout_seconds)
    session.check("G", "broadcast", broadcast)
    session.sample("G", "ms_to_last_receipt_two_hubs", broadcast["latencyMs"]["max"])
