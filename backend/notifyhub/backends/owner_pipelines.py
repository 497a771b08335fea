"""Publishing on a Redis Cluster: each user's script runs on the master owning the user's slot,
all of one master's scripts in one round trip on one connection of the cluster client's, then
WAIT on that connection when replicas must confirm them.

A master that moved (MOVED, ASK), is being elected (CLUSTERDOWN, TRYAGAIN, MASTERDOWN) or had
lost the script (NOSCRIPT) did not run it: those calls are sent again, after the cluster's
layout is read anew. So are calls whose connection broke, which may have run: every call carries
its publish's token, so running it twice is a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from redis.asyncio.cluster import ClusterNode, PipelineCommand, RedisCluster
from redis.exceptions import (
    AskError,
    ClusterDownError,
    MasterDownError,
    MaxConnectionsError,
    MovedError,
    NoScriptError,
    RedisError,
    SlotNotCoveredError,
    TryAgainError,
)

from .base import BackendUnavailableError, OutcomeUnknownError
from .redis_cluster_client import WaitingRedisCluster
from .redis_races import as_connection_error
from .replication import Replication

NOT_RUN = (MovedError, AskError, TryAgainError, ClusterDownError, MasterDownError, MaxConnectionsError,
           SlotNotCoveredError)
"""Answers that say the command did not run."""
RETRY_BACKOFF_BASE = 0.05
RETRY_BACKOFF_CAP = 0.5


@dataclass(frozen=True)
class OwnerCalls:
    """EVALSHA calls of one script; each call is `numkeys, *keys, *args`, placed by its first key."""

    script: str
    sha: str
    calls: list[list]

    def key(self, index: int) -> str:
        return self.calls[index][1]


async def publish_on_owners(cluster: WaitingRedisCluster, work: OwnerCalls, replication: Replication,
                            retries: int) -> tuple[list, list[int]]:
    """Run every call on its owner; return the replies and, per master, the replicas WAIT
    counted (an empty list when none are asked for).

    Raises BackendUnavailableError when no call ran anywhere, OutcomeUnknownError when some may
    have run but not all answered, after `retries` more attempts."""
    replies: list = [None] * len(work.calls)
    pending = set(range(len(work.calls)))
    acknowledged: dict[str, int] = {}
    needs_script: set[str] = set()
    maybe_ran, last_error = False, None
    for attempt in range(retries + 1):
        if attempt:
            await asyncio.sleep(min(RETRY_BACKOFF_CAP, RETRY_BACKOFF_BASE * 2 ** attempt))
            with contextlib.suppress(RedisError, OSError):
                await cluster.nodes_manager.initialize()
        try:
            await cluster.initialize()
            groups = _by_owner(cluster, work, pending)
        except (RedisError, OSError) as exc:
            last_error = exc
            continue
        try:
            async with cluster.connection_turn():  # one connection per master, like a command
                outcomes = await asyncio.gather(
                    *(_run_on(node, work, indexes, node.name in needs_script, replication)
                      for node, indexes in groups.values()), return_exceptions=True)
        except MaxConnectionsError as exc:  # no turn within the pool timeout: nothing was sent
            last_error = exc
            break
        for (node, indexes), outcome in zip(groups.values(), outcomes):
            if isinstance(outcome, BaseException):
                if not isinstance(outcome, (RedisError, OSError)):
                    raise outcome
                maybe_ran = maybe_ran or not isinstance(outcome, NOT_RUN)
                last_error = outcome
                continue
            answers, waited = outcome
            for index, answer in zip(indexes, answers):
                if isinstance(answer, NoScriptError):
                    needs_script.add(node.name)
                elif isinstance(answer, Exception):
                    maybe_ran = maybe_ran or not isinstance(answer, NOT_RUN)
                    last_error = answer
                else:
                    replies[index] = answer
                    pending.discard(index)
            if waited is not None:
                acknowledged[node.name] = waited if isinstance(waited, int) else 0
        if not pending:
            return replies, list(acknowledged.values())
    if maybe_ran or len(pending) < len(work.calls):
        raise OutcomeUnknownError(f"publish: {last_error!r}")
    raise BackendUnavailableError(f"publish: {last_error}")


def _by_owner(cluster: RedisCluster, work: OwnerCalls, pending: set[int]) -> dict[str, tuple[ClusterNode, list[int]]]:
    groups: dict[str, tuple[ClusterNode, list[int]]] = {}
    for index in sorted(pending):
        node = cluster.get_node_from_key(work.key(index))
        groups.setdefault(node.name, (node, []))[1].append(index)
    return groups


async def _run_on(node: ClusterNode, work: OwnerCalls, indexes: list[int], load: bool,
                  replication: Replication) -> tuple[list, object]:
    """The calls on one master, in one round trip on one connection: [SCRIPT LOAD], EVALSHA...,
    [WAIT]. Returns the calls' answers and WAIT's (None when not asked)."""
    commands = [PipelineCommand(0, "SCRIPT LOAD", work.script)] if load else []
    commands += [PipelineCommand(len(commands), "EVALSHA", work.sha, *work.calls[index]) for index in indexes]
    if replication.replicas:
        commands.append(PipelineCommand(len(commands), *replication.wait_command()))
    try:
        await node.execute_pipeline(commands)
    except (AttributeError, RuntimeError) as exc:
        raise as_connection_error(exc) or exc
    results = [command.result for command in commands]
    waited = results.pop() if replication.replicas else None
    return (results[1:] if load else results), waited
