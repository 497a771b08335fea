"""The embedded backend: one process, history in bounded per-user rings."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import deque
from itertools import islice
from dataclasses import dataclass, field
from uuid import UUID

from ..fallback.schedule import due_ms
from ..settings import Settings
from .memory_schedule import MemoryFallbackSchedule
from .base import (
    Backend,
    Deliveries,
    HubSummary,
    IdempotencyKeyReusedError,
    Page,
    Publication,
    PublishToken,
    Replay,
    Since,
    StreamState,
    UserView,
    conflated_away,
    message_id_of,
    new_epoch,
    resume_start,
    with_seq,
)


@dataclass(slots=True)
class _UserLog:
    epoch: str
    entries: deque[tuple[int, bytes, float, str | None]] = field(default_factory=deque)
    """(seq, frame, time kept, conflation key) of every kept message, seqs consecutive."""
    latest: dict[str, int] = field(default_factory=dict)
    """Conflation key -> the seq of the last message published with it."""
    last_seq: int = 0
    acked_seq: int = 0
    read_seq: int = 0
    connections: set[UUID] = field(default_factory=set)
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    """Idempotency tokens of publishes this user got: token -> (fingerprint, expiry)."""


def _page(log: _UserLog, after: int, limit: int, conflate_through: int) -> Page:
    """Up to `limit` kept messages after seq `after` (seqs in the ring are consecutive), without
    those conflated away."""
    skip = max(0, after - log.entries[0][0] + 1) if log.entries else 0
    covered = list(islice(log.entries, skip, skip + limit))
    entries = [(seq, frame) for seq, frame, _, key in covered
               if not conflated_away(seq, key, log.latest.get(key), conflate_through)]
    return Page(entries, covered[-1][0] if covered else after, len(covered) < limit)


def _kept_as(log: _UserLog, seq: int, message_id: str) -> bool:
    """False when the message kept at seq is not `message_id` (True when seq is not kept)."""
    index = seq - log.entries[0][0] if log.entries else -1
    if not 0 <= index < len(log.entries):
        return True
    return message_id_of(log.entries[index][1]) == message_id


PRUNE_INTERVAL_SECONDS = 60.0
"""How often expired messages, and users left with no message and no connection, are dropped."""


class MemoryBackend(Backend):
    """Keeps everything in this process. Epochs are random per user stream and new at every
    start, since a restart loses every history; a user dropped by pruning also gets a new epoch
    next time. A publish is applied to all its users at once (no await), so it never has an
    unknown outcome."""

    waits = False

    def __init__(self, settings: Settings) -> None:
        self.hub_id = uuid.uuid4().hex
        self._claims: dict[str, tuple[str, float]] = {}
        self._max_messages = settings.history_max_messages
        self._max_age = settings.history_max_age_seconds
        self._logs: dict[UUID, _UserLog] = {}
        self._deliveries: Deliveries | None = None
        self._pruner: asyncio.Task | None = None
        self.schedule = MemoryFallbackSchedule(self._state_of, settings.history_max_age_seconds)

    async def start(self, deliveries: Deliveries) -> None:
        self._deliveries = deliveries
        self._pruner = asyncio.create_task(self._prune_forever(), name="notifyhub-memory-prune")

    async def close(self) -> None:
        if self._pruner is not None:
            self._pruner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pruner

    async def check_health(self) -> None:
        """Always healthy: everything is in this process."""

    async def _prune_forever(self) -> None:
        while True:
            await asyncio.sleep(PRUNE_INTERVAL_SECONDS)
            self.prune()

    def prune(self) -> int:
        """Drop expired messages and idempotency records everywhere, and users with no message,
        no connection and no idempotency record left."""
        now = time.time()
        self.schedule.prune(now)
        self._claims = {key: claim for key, claim in self._claims.items() if claim[1] > now}
        for log in self._logs.values():
            log.tokens = {token: kept for token, kept in log.tokens.items() if kept[1] > now}
            # A key whose last message is no longer kept supersedes nothing that is.
            oldest = log.entries[0][0] if log.entries else log.last_seq + 1
            log.latest = {key: seq for key, seq in log.latest.items() if seq >= oldest}
        idle = [user for user in list(self._logs)
                if not self._log(user).entries and not self._logs[user].connections
                and not self._logs[user].tokens]
        for user in idle:
            del self._logs[user]
        return len(idle)

    def _log(self, user_id: UUID, now: float | None = None) -> _UserLog:
        """The user's log, without the messages older than the history's age at `now`."""
        log = self._logs.get(user_id)
        if log is None:
            log = self._logs[user_id] = _UserLog(new_epoch())
        entries = log.entries
        if entries:
            cutoff = (time.time() if now is None else now) - self._max_age
            while entries and entries[0][2] < cutoff:
                entries.popleft()
        return log

    async def publish(self, user_ids: list[UUID], body: bytes, token: PublishToken | None = None,
                      conflation_key: str | None = None, fallback_seconds: float | None = None) -> int:
        return self._publish(user_ids, body, token, conflation_key, fallback_seconds, time.time())

    async def publish_many(self, publications: list[Publication]) -> list[int]:
        """`publish` for each in turn, with no await between them: one clock reading for all."""
        now = time.time()
        return [self._publish(p.user_ids, p.body, p.token, p.conflation_key, p.fallback_seconds, now)
                for p in publications]

    def _publish(self, user_ids: list[UUID], body: bytes, token: PublishToken | None,
                 conflation_key: str | None, fallback_seconds: float | None, now: float) -> int:
        logs = [self._log(user_id, now) for user_id in user_ids]
        recorded = token is not None and token.explicit
        if recorded and any(log.tokens.get(token.value, (token.fingerprint,))[0] != token.fingerprint
                            for log in logs):
            raise IdempotencyKeyReusedError()
        reached = 0
        due = None if fallback_seconds is None else due_ms(int(now * 1000), fallback_seconds)
        deliver, max_messages = self._deliveries.deliver_to_user, self._max_messages
        for user_id, log in zip(user_ids, logs):
            if recorded and token.value in log.tokens:
                reached += len(log.connections)  # this user got it from the first attempt
                continue
            if recorded:
                log.tokens[token.value] = (token.fingerprint, now + token.window_seconds)
            seq = log.last_seq = log.last_seq + 1
            frame = with_seq(body, seq)
            entries = log.entries
            entries.append((seq, frame, now, conflation_key))
            if conflation_key is not None:
                log.latest[conflation_key] = seq
            if len(entries) > max_messages:
                entries.popleft()
            if due is not None:
                self.schedule.add(user_id, log.epoch, seq, frame, due)
            reached += deliver(user_id, log.epoch, seq, frame)
        return reached

    async def claim_idempotency_key(self, key: str, fingerprint: str, window_seconds: float) -> bool:
        claim = self._claims.get(key)
        if claim is None or claim[1] <= time.time():
            self._claims[key] = (fingerprint, time.time() + window_seconds)
            return True
        if claim[0] != fingerprint:
            raise IdempotencyKeyReusedError()
        return False

    async def release_idempotency_key(self, key: str) -> None:
        self._claims.pop(key, None)

    async def broadcast(self, frame: bytes) -> int:
        return self._deliveries.deliver_to_all(frame)

    async def send_live(self, user_id: UUID, frame: bytes, exclude: UUID | None) -> None:
        self._deliveries.deliver_to_user(user_id, self._log(user_id).epoch, None, frame, exclude)

    async def publish_live(self, user_ids: list[UUID], frame: bytes) -> int:
        return sum(self._deliveries.deliver_to_user(user_id, "", None, frame) for user_id in user_ids)

    def _state_of(self, user_id: UUID) -> StreamState | None:
        log = self._logs.get(user_id)
        return None if log is None else self._state(log)

    def _state(self, log: _UserLog) -> StreamState:
        return StreamState(log.epoch, log.last_seq, log.acked_seq, log.read_seq)

    async def replay(self, user_id: UUID, since: Since | None, limit: int) -> Replay:
        log = self._log(user_id)
        if since is not None and since.epoch == log.epoch and (
                since.seq > log.last_seq
                or (since.message_id is not None and not _kept_as(log, since.seq, since.message_id))):
            log.epoch = new_epoch()  # a position this stream never reached, or reissued: never resume it
        state = self._state(log)
        oldest = log.entries[0][0] if log.entries else None
        start, recovered = resume_start(since, state, oldest)
        page = _page(log, start, limit, state.last_seq)
        return Replay(state, recovered, start, page.entries, page.complete, page.through)

    async def history_after(self, user_id: UUID, epoch: str, seq: int, limit: int,
                            message_id: str | None = None, conflate_through: int = 0) -> Page | None:
        log = self._log(user_id)
        if epoch != log.epoch:
            return None
        if seq > log.last_seq or (message_id is not None and not _kept_as(log, seq, message_id)):
            log.epoch = new_epoch()
            return None
        oldest = log.entries[0][0] if log.entries else log.last_seq + 1
        if seq < oldest - 1:
            return None
        return _page(log, seq, limit, conflate_through)

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

    async def hub_summaries(self) -> list[HubSummary]:
        stats = await self.cluster_stats()
        return [HubSummary(self.hub_id, stats["total_connections"], stats["connected_users"], time.time())]

    async def user_view(self, user_id: UUID, limit: int) -> UserView:
        log = self._logs.get(user_id)
        if log is None:
            return UserView({}, None, [])
        entries = [(seq, frame) for seq, frame, *_ in list(log.entries)[-limit:]]
        return UserView({str(c): self.hub_id for c in log.connections}, self._state(log), entries)

    async def revoke(self, user_id: UUID, reason: str) -> int:
        connections = await self.presence(user_id)
        self._deliveries.revoke_user(user_id, reason)
        return connections

    async def share_sample(self, sample: bytes, keep: int, ttl_seconds: float) -> None:
        """Nothing to share: this is the only hub."""

    async def shared_samples(self) -> dict[str, list[bytes]] | None:
        return None
