"""G: hubs sharing one Redis; messages published on one hub reach connections held by another.

Compared side by side: one hub on the memory backend (what Redis costs is measured against it), one
hub over Redis (publish and connections on it), and two hubs (publish on the first, every connection
on the second). CPU is that of the hubs plus, over Redis, redis-server. With `--baseline`, one hub
over Redis built from the older source runs too, as column notifyhub-redis-1hub-baseline.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

from bench.loadclient import LoadClient
from bench.session import CLIENT_CPUS, RunContext, Session, started
from bench.servers import NOTIFYHUB, ServerSpec, baseline_hub
from bench.sizes import Sizes


def run(context: RunContext, sizes: Sizes, round_: int, redis_url: str, redis_pid: int,
        baseline: Path | None = None) -> None:
    memory = (NOTIFYHUB.with_env("notifyhub-memory-1hub"), 1, [])
    before = [(_over_redis(redis_url, 1, baseline_hub(baseline), "-baseline"), 1, [redis_pid])] if baseline else []
    for spec, hubs, extra_pids in (memory, (_over_redis(redis_url, 1), 1, [redis_pid]), *before,
                                   (_over_redis(redis_url, 2), 2, [redis_pid])):
        with contextlib.ExitStack() as stack:
            servers = [stack.enter_context(started(spec, context, f"-{index}")) for index in range(hubs)]
            client = stack.enter_context(LoadClient(CLIENT_CPUS))
            publishing, holding = servers[0], servers[-1]
            client.connect_to(holding.ws_url, publishing.http_url, sizes.publishers)
            session = Session(context, spec.name, servers, extra_pids, client, sizes.two_hub_connections, round_)
            _measure(session, sizes)


def _over_redis(redis_url: str, hubs: int, hub: ServerSpec = NOTIFYHUB, suffix: str = "") -> ServerSpec:
    return hub.with_env(f"notifyhub-redis-{hubs}hub{suffix}", NOTIFYHUB_BACKEND="redis", NOTIFYHUB_REDIS_URL=redis_url,
                        NOTIFYHUB_REDIS_PREFIX=f"bench-{uuid.uuid4().hex}")


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
    with session.step("G", "batched") as usage:
        batched = session.client.call("targeted", messages=sizes.targeted_batched, perRequest=sizes.batch_size,
                                      timeoutS=sizes.step_timeout_seconds)
    session.check("G", "batched", batched)
    session.sample("G", "us_per_delivery_batched_two_hubs", usage.server_us_per(batched["expected"]))
    broadcast = session.client.call("broadcast", messages=1, timeoutS=sizes.step_timeout_seconds)
    session.check("G", "broadcast", broadcast)
    session.sample("G", "ms_to_last_receipt_two_hubs", broadcast["latencyMs"]["max"])
