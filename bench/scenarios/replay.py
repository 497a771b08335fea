"""F: messages sent to an offline user, then a connection resuming with since=<epoch>:0 (memory, Redis)."""

from __future__ import annotations

import uuid

from bench.loadclient import LoadClient
from bench.session import CLIENT_CPUS, RunContext, Session, started
from bench.servers import NOTIFYHUB
from bench.sizes import Sizes


def run(context: RunContext, sizes: Sizes, round_: int, redis_url: str, redis_pid: int) -> None:
    history = {"NOTIFYHUB_HISTORY_MAX_MESSAGES": str(sizes.replay_messages)}
    memory = NOTIFYHUB.with_env("notifyhub", **history)
    redis = NOTIFYHUB.with_env("notifyhub-redis", **history, NOTIFYHUB_BACKEND="redis",
                               NOTIFYHUB_REDIS_URL=redis_url, NOTIFYHUB_REDIS_PREFIX=f"bench-{uuid.uuid4().hex}")
    for spec, extra_pids in ((memory, []), (redis, [redis_pid])):
        with started(spec, context, "-replay") as server, LoadClient(CLIENT_CPUS) as client:
            client.connect_to(server.ws_url, server.http_url, sizes.publishers)
            session = Session(context, spec.name, [server], extra_pids, client, 1, round_)
            _replay(session, sizes)


def _replay(session: Session, sizes: Sizes) -> None:
    with session.step("F", "replay"):
        answer = session.client.call("replay", messages=sizes.replay_messages, rounds=sizes.replay_rounds,
                                     timeoutS=sizes.step_timeout_seconds)
    for result in answer["rounds"]:
        session.check("F", "replay", result)
        if result["seconds"]:
            session.sample("F", "replay_messages_per_second", result["delivered"] / result["seconds"])
