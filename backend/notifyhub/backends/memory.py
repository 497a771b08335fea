"""The embedded backend: one process, history in bounded per-user rings."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections import deque
from itertools import islice
from dataclasses import dataclass, field
from uuid import UUID

from ..settings import Settings
from .base import Backend, Deliveries, Replay, Since, StreamState, resume_start, with_seq


@dataclass(slots=True)
class _UserLog:
    epoch: str
    entries: deque[tuple[int, bytes, float]] = field(default_factory=deque)
    last_seq: int = 0
    acked_seq: int = 0
    read_seq: int = 0
    connections: set[UUID] = field(default_factory=set)


def _page(log: _UserLog, after: int, limit: int) -> list[tuple[int, bytes]]:
    """Up to `limit` kept messages after seq `after` (seqs in the ring are consecutive)."""
    skip = max(0, after - log.entries[0][0] + 1) if log.entries else 0
    return [(seq, frame) for seq, frame, _ in islice(log.entries, skip, skip + limit)]


PRUNE_INTERVAL_SECONDS = 60.0
"""How often expired messages, and users left with no message and no connection, are dropped."""


class MemoryBackend(Backend):
    """Keeps everything in this process. Epochs are per user and new at every start, since a
    restart loses every history; a user dropped by pruning also gets a new epoch next time."""

    waits = False

    def __init__(self, settings: Settings) -> None:
        self._instance = secrets.token_urlsafe(6)
        self._created = 0
        self._max_messages = settings.history_max_messages
        self._max_age = settings.history_max_age_seconds
        self._logs: dict[UUID, _UserLog] = {}
        self._deliveries: Deliveries | None = None
        self._pruner: asyncio.Task | None = None

    async def start(self, deliveries: Deliveries) -> None:
        self._deliveries = deliveries
        self._pruner = asyncio.create_task(self._prune_forever(), name="notifyhub-memory-prune")

    async def close(self) -> None:
        if self._pruner is not None:
            self._pruner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pruner

    async def _prune_forever(self) -> None:
        while True:
            await asyncio.sleep(PRUNE_INTERVAL_SECONDS)
            self.prune()

    def prune(self) -> int:
        """Drop expired messages everywhere, and users with no message and no connection left."""
        idle = [user for user in list(self._logs)
                if not self._log(user).entries and not self._logs[user].connections]
        for user in idle:
            del self._logs[user]
        return len(idle)

    def _log(self, user_id: UUID) -> _UserLog:
        log = self._logs.get(user_id)
        if log is None:
            self._created += 1
            log = self._logs[user_id] = _UserLog(f"{self._instance}.{self._created}")
        cutoff = time.time() - self._max_age
        while log.entries and log.entries[0][2] < cutoff:
            log.entries.popleft()
        return log

    async def publish(self, user_ids: list[UUID], body: bytes) -> int:
        reached = 0
        for user_id in user_ids:
            log = self._log(user_id)
            log.last_seq += 1
            frame = with_seq(body, log.last_seq)
            log.entries.append((log.last_seq, frame, time.time()))
            if len(log.entries) > self._max_messages:
                log.entries.popleft()
            reached += self._deliveries.deliver_to_user(user_id, log.epoch, log.last_seq, frame)
        return reached

    async def broadcast(self, frame: bytes) -> int:
        return self._deliveries.deliver_to_all(frame)

    async def send_live(self, user_id: UUID, frame: bytes, exclude: UUID | None) -> None:
        self._deliveries.deliver_to_user(user_id, self._log(user_id).epoch, None, frame, exclude)

    def _state(self, log: _UserLog) -> StreamState:
        return StreamState(log.epoch, log.last_seq, log.acked_seq, log.read_seq)

    async def replay(self, user_id: UUID, since: Since | None, limit: int) -> Replay:
        log = self._log(user_id)
        state = self._state(log)
        oldest = log.entries[0][0] if log.entries else None
        start, recovered = resume_start(since, state, oldest)
        entries = _page(log, start, limit)
        return Replay(state, recovered, start, entries, len(entries) < limit)

    async def history_after(self, user_id: UUID, epoch: str, seq: int,
                            limit: int) -> list[tuple[int, bytes]] | None:
        log = self._log(user_id)
        oldest = log.entries[0][0] if log.entries else log.last_seq + 1
        if epoch != log.epoch or seq < oldest - 1:
            return None
        return _page(log, seq, limit)

    async def acknowledge(self, user_id: UUID, seq: int) -> int:
        log = self._log(user_id)
        log.acked_seq = max(log.acked_seq, min(seq, log.last_seq))
        return log.acked_seq

    async def mark_read(self, user_id: UUID, seq: int) -> int:
        log = self._log(user_id)
        log.read_seq = max(log.read_seq, min(seq, log.last_seq))
        return log.read_seq

    async def connection_opened(self, user_id: UUID, connection_id: UUID) -> None:
        self._log(user_id).connections.add(connection_id)

    async def connection_closed(self, user_id: UUID, connection_id: UUID) -> None:
        log = self._logs.get(user_id)
        if log is not None:
            log.connections.discard(connection_id)

    async def presence(self, user_id: UUID) -> int:
        log = self._logs.get(user_id)
        return len(log.connections) if log else 0

    async def cluster_stats(self) -> dict[str, int]:
        online = [log for log in self._logs.values() if log.connections]
        return {"connected_users": len(online),
                "total_connections": sum(len(log.connections) for log in online), "hubs": 1}
