"""What a fallback schedule holds and the decisions about it, free of I/O; `FallbackSchedule` is
what each backend provides (memory: `backends/memory_schedule.py`, Redis:
`backends/redis_schedule.py`).

An entry names one message in one user's stream (`user epoch seq`) and keeps the message as the
user's connections got it. It is due at the publish time plus the type's `after-seconds` (times
NOTIFYHUB_FALLBACK_DELAY_SCALE). When it is due, the user's acknowledged cursor decides: acked
in the same epoch at or past its seq, the message is not sent.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import Enum
from uuid import UUID

from notifyhub_protocol import DeliveryPolicy

from ..backends.base import StreamState, message_id_of
from .channel import FallbackDelivery


def fallback_delay(policy: DeliveryPolicy, scale: float) -> float | None:
    """Seconds from publishing a message of this policy to its fallback; None when it has none.

    A live type never has one (the schemas refuse it): it has no seq, so nothing can acknowledge it."""
    if policy.live or policy.fallback is None:
        return None
    return policy.fallback.after_seconds * scale


def due_ms(published_ms: int, delay_seconds: float) -> int:
    """When a message published at `published_ms` (Unix ms) is due: never earlier than its delay."""
    return published_ms + math.ceil(delay_seconds * 1000)


def entry_name(user_id: UUID, epoch: str, seq: int) -> str:
    """The name of a schedule entry: a message's place, unique across streams and epochs."""
    return f"{user_id} {epoch} {seq}"


@dataclass(frozen=True, slots=True)
class DueEntry:
    """A schedule entry a hub claimed: the message's place and the message as the user got it."""

    user_id: UUID
    epoch: str
    seq: int
    frame: bytes

    @property
    def name(self) -> str:
        return entry_name(self.user_id, self.epoch, self.seq)

    @classmethod
    def parse(cls, name: str, frame: bytes) -> DueEntry:
        """The entry named `name` (see `entry_name`); raises ValueError for another shape."""
        user, epoch, seq = name.split(" ")
        return cls(UUID(user), epoch, int(seq), frame)

    def delivery(self) -> FallbackDelivery:
        """What the channels get: the message with its id and type read from the frame."""
        return FallbackDelivery(self.user_id, self.epoch, self.seq, message_id_of(self.frame) or "",
                                message_type_of(self.frame), self.frame)


def message_type_of(frame: bytes) -> str:
    """The `type` of an encoded message (`seq` and `type` come first), without decoding it."""
    start = frame.find(b'"type":"')
    if start < 0:
        return ""
    start += len(b'"type":"')
    return frame[start:frame.find(b'"', start)].decode()


class Verdict(Enum):
    """What a due entry comes to."""

    SEND = "send"
    ACKED = "acked"


def verdict(entry: DueEntry, state: StreamState | None) -> Verdict:
    """ACKED when the user's acknowledged cursor reached the entry's seq in the entry's epoch;
    SEND otherwise, including when the stream has another epoch (its history was lost or reset:
    no ack can have covered this message) or is gone."""
    if state is not None and state.epoch == entry.epoch and state.acked_seq >= entry.seq:
        return Verdict.ACKED
    return Verdict.SEND


class FallbackSchedule(ABC):
    """Due entries, their claims, and the channels' sent markers, in a backend.

    Entries are added by the backend's `publish` (with `fallback_seconds`), never here."""

    @abstractmethod
    async def claim_due(self, limit: int, lease_seconds: float) -> list[DueEntry]:
        """Up to `limit` entries due now, each held by this caller for `lease_seconds`: until
        then no one else claims them, and after it they are due again unless `complete`d.
        Raises BackendUnavailableError."""

    @abstractmethod
    async def complete(self, entry: DueEntry) -> None:
        """Drop an entry for good (sent, or acknowledged). Raises BackendUnavailableError."""

    @abstractmethod
    async def stream_state(self, user_id: UUID) -> StreamState | None:
        """The user's stream now (None when it is gone). Raises BackendUnavailableError."""

    @abstractmethod
    async def first_send(self, channel: str, user_id: UUID, message_id: str) -> bool:
        """Record that `channel` sends message `message_id` to the user: True the first time,
        False when it was recorded before (by this hub or any other). The record is kept as long
        as history (NOTIFYHUB_HISTORY_MAX_AGE_SECONDS). Raises BackendUnavailableError."""

    async def close(self) -> None:
        """Release what the schedule holds; the entries stay in the backend."""
