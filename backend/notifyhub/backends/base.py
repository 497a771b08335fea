"""The backend interface, and the pure rules both implementations share.

A backend assigns each message to a user the user's next `seq`, keeps it in the user's history
(bounded by count and age), and hands it to every hub holding a connection of that user through
`Deliveries`. Broadcasts are live only. Implementations must deliver a user's messages to each hub
in `seq` order, and must raise BackendUnavailableError rather than lose a publish silently.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from ..errors import NotifyhubError


class BackendUnavailableError(NotifyhubError):
    """The backend cannot be reached; nothing was published."""

    def __init__(self, detail: str) -> None:
        super().__init__("backend_unavailable", detail)


@dataclass(frozen=True, slots=True)
class Since:
    """A client's resume position: the last `seq` it handled in stream `epoch`."""

    epoch: str
    seq: int

    @classmethod
    def parse(cls, text: str) -> Since:
        """Parse `<epoch>:<seq>`; raise ValueError when it is not that."""
        epoch, separator, seq = text.rpartition(":")
        if not separator or not epoch or not seq.isdigit() or len(epoch) > 64:
            raise ValueError("since must be <epoch>:<seq>")
        return cls(epoch, int(seq))


@dataclass(frozen=True, slots=True)
class StreamState:
    """Where a user's stream stands."""

    epoch: str
    last_seq: int
    acked_seq: int
    read_seq: int


@dataclass(frozen=True, slots=True)
class Replay:
    """What a new connection receives before it goes live: the first page of the messages after
    seq `start`; `complete` is False when more may follow it (read them with `history_after`)."""

    state: StreamState
    recovered: bool
    start: int
    entries: list[tuple[int, bytes]]
    complete: bool


def with_seq(body: bytes, seq: int) -> bytes:
    """Put `"seq": seq` into an encoded message object, without decoding it."""
    return b'{"seq":%d,%s' % (seq, body[1:])


def resume_start(since: Since | None, state: StreamState, oldest_kept: int | None) -> tuple[int, bool]:
    """The seq after which to replay, and whether the client's position was resumed exactly.

    A position resumes when it is from this epoch, not ahead of the stream, and nothing after it
    has been dropped from history. Otherwise the connection gets what the user has not
    acknowledged, as a new device would.
    """
    first_kept = oldest_kept if oldest_kept is not None else state.last_seq + 1
    if (since is not None and since.epoch == state.epoch and since.seq <= state.last_seq
            and since.seq >= first_kept - 1):
        return since.seq, True
    return state.acked_seq, False


class Deliveries(Protocol):
    """What a backend hands messages to: the local hub."""

    def deliver_to_user(self, user_id: UUID, epoch: str, seq: int | None, frame: bytes,
                        exclude: UUID | None = None) -> int:
        """Queue a frame to the user's local connections (except `exclude`); return how many.

        `seq` is None for live-only frames (read receipts)."""

    def deliver_to_all(self, frame: bytes) -> int:
        """Queue a broadcast frame to every local connection."""

    def resynchronise(self) -> None:
        """Live messages may have been missed: every connection catches up from history."""


class Backend(ABC):
    """Publishing, history, cursors and presence for one hub. Methods may raise
    BackendUnavailableError; none of them waits for a client."""

    waits: bool = True
    """False when no method ever waits for I/O (the memory backend): callers may then run a
    publish or a handshake eagerly, without a task of its own (see eager.py)."""

    @abstractmethod
    async def start(self, deliveries: Deliveries) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def publish(self, user_ids: list[UUID], body: bytes) -> int:
        """Append `body` to each user's stream with the next seq and deliver it everywhere.

        Returns the number of connections (on all hubs) the users held at that moment."""

    @abstractmethod
    async def broadcast(self, frame: bytes) -> int:
        """Deliver a live-only frame to every connection on every hub; return an estimate."""

    @abstractmethod
    async def send_live(self, user_id: UUID, frame: bytes, exclude: UUID | None) -> None:
        """Deliver a frame to the user's connections without a seq or history (read receipts)."""

    @abstractmethod
    async def replay(self, user_id: UUID, since: Since | None, limit: int) -> Replay:
        """The stream's state and the first `limit` messages a new connection must receive."""

    @abstractmethod
    async def history_after(self, user_id: UUID, epoch: str, seq: int,
                            limit: int) -> list[tuple[int, bytes]] | None:
        """Up to `limit` messages after seq in epoch, or None when they are no longer all kept."""

    @abstractmethod
    async def acknowledge(self, user_id: UUID, seq: int) -> int:
        """Raise the user's acknowledged seq to at least seq; return the new value."""

    @abstractmethod
    async def mark_read(self, user_id: UUID, seq: int) -> int:
        """Raise the user's read seq to at least seq; return the new value."""

    @abstractmethod
    async def connection_opened(self, user_id: UUID, connection_id: UUID) -> None:
        """Count the connection in presence; ensure this hub receives the user's messages.

        Returns only once live delivery for the user is in place, so history read afterwards
        and live messages together leave no gap."""

    @abstractmethod
    async def connection_closed(self, user_id: UUID, connection_id: UUID) -> None: ...

    @abstractmethod
    async def presence(self, user_id: UUID) -> int:
        """Open connections of the user on all hubs."""

    @abstractmethod
    async def cluster_stats(self) -> dict[str, int]:
        """`connected_users`, `total_connections` and `hubs` across every hub."""
