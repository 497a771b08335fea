"""The backend interface, and the pure rules both implementations share.

A backend assigns each message to a user the user's next `seq`, keeps it in the user's history
(bounded by count and age), and hands it to every hub holding a connection of that user through
`Deliveries`. Broadcasts are live only. Implementations must deliver a user's messages to each hub
in `seq` order, and must raise BackendUnavailableError (nothing happened) or OutcomeUnknownError
(it may have happened) rather than lose a publish silently.

Every publish carries a `PublishToken`, recorded per user atomically with the `seq` it got: the
same token again is a no-op for that user, so a publish can be retried, by the backend itself or
by a service with the same Idempotency-Key, and never doubles.
"""

from __future__ import annotations

import hashlib
import secrets
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from ..errors import NotifyhubError

if TYPE_CHECKING:  # the schedule's module imports this one
    from ..fallback.schedule import FallbackSchedule


class BackendUnavailableError(NotifyhubError):
    """The backend cannot be reached; nothing was published (the command was never sent)."""

    def __init__(self, detail: str) -> None:
        super().__init__("backend_unavailable", detail)


class OutcomeUnknownError(NotifyhubError):
    """The command was sent but no answer came (a timeout, a lost connection): the publish may or
    may not have happened. Retry with the same idempotency key to find out without doubling."""

    def __init__(self, detail: str) -> None:
        super().__init__("outcome_unknown", detail)


class IdempotencyKeyReusedError(NotifyhubError):
    """An idempotency key was used again, within its window, for a different request."""

    def __init__(self) -> None:
        super().__init__("idempotency_key_reused", "this Idempotency-Key was used for another request")


RETRY_TOKEN_SECONDS = 60.0
"""How long the token of a publish without an idempotency key is kept: long enough for the
backend's own retries, which run within seconds; a command that ran late after Redis was stalled
runs just before its retries, queued behind it. Every publish to a user costs one such record in
Redis for this long, so it is kept short."""


@dataclass(frozen=True, slots=True)
class PublishToken:
    """What makes one publish idempotent per user: `value` names it, `fingerprint` identifies
    what was asked (the same value with another fingerprint is refused as a reused key), and it
    is kept for `window_seconds`. `explicit` is False for the backend's own token of a publish
    without a key, which only its own retries repeat."""

    value: str
    fingerprint: str
    window_seconds: float
    explicit: bool = True

    @classmethod
    def internal(cls) -> PublishToken:
        """A fresh token for a publish without an idempotency key."""
        return cls(secrets.token_hex(16), "", RETRY_TOKEN_SECONDS, explicit=False)

    @classmethod
    def for_key(cls, key: str, fingerprint: str, window_seconds: float, index: int = 0) -> PublishToken:
        """The token of message `index` of a request sent with idempotency key `key`."""
        value = hashlib.sha256(f"{index}\n{key}".encode()).hexdigest()[:32]
        return cls(value, fingerprint, window_seconds)


@dataclass(frozen=True, slots=True)
class Publication:
    """One message for several users' streams: what `Backend.publish` takes, for `publish_many`."""

    user_ids: list[UUID]
    body: bytes
    token: PublishToken | None = None
    conflation_key: str | None = None
    fallback_seconds: float | None = None
    """When set, each user's message is scheduled for its type's fallback after this long."""


def fingerprint(*parts: bytes) -> str:
    """A short digest of what a request asked for."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Since:
    """A client's resume position: the last `seq` it handled in stream `epoch`, and when the
    client says so, the `id` of the message it had there (`message_id`): with it, a position the
    stream reissued after losing writes is caught even once the stream has passed it again."""

    epoch: str
    seq: int
    message_id: str | None = None

    @classmethod
    def parse(cls, text: str, message_id: str | None = None) -> Since:
        """Parse `<epoch>:<seq>` and an optional message id (a UUID); raise ValueError when
        they are not that."""
        epoch, separator, seq = text.rpartition(":")
        if not separator or not epoch or not seq.isdigit() or len(epoch) > 64:
            raise ValueError("since must be <epoch>:<seq>")
        if message_id is not None:
            try:
                message_id = str(UUID(message_id)) if len(message_id) == 36 else None
            except ValueError:
                message_id = None
            if message_id is None:
                raise ValueError("since_id must be the id (a UUID) of the message at since")
        return cls(epoch, int(seq), message_id)


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
    seq `start`, without those conflated away; the page covered the stream up to seq `through`;
    `complete` is False when more may follow it (read them with `history_after`)."""

    state: StreamState
    recovered: bool
    start: int
    entries: list[tuple[int, bytes]]
    complete: bool
    through: int


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a stream read from history: `entries` in seq order, without those conflated
    away; `through` is the last seq the page covered (skipped ones included); `complete` is False
    when more may follow."""

    entries: list[tuple[int, bytes]]
    through: int
    complete: bool


def conflated_away(seq: int, key: str | None, latest: int | None, conflate_through: int) -> bool:
    """Whether a history entry is skipped: it has a conflation key, a later message of the stream
    has the same key (`latest` is the seq of the last one), and it is at or before
    `conflate_through` (a connection's replay head; what comes later is delivered whole)."""
    return key is not None and latest is not None and latest > seq and seq <= conflate_through


@dataclass(frozen=True, slots=True)
class HubSummary:
    """One running hub, as the operations console lists it."""

    hub_id: str
    connections: int
    users: int
    seen: float
    """When the hub last reported (Unix seconds)."""


@dataclass(frozen=True, slots=True)
class UserView:
    """A user as the operations console shows it, read without changing anything: where the
    user's connections are (connection id -> hub id), the stream's state (None for a user who
    never got a message), and its last messages, oldest first."""

    connections: dict[str, str]
    state: StreamState | None
    entries: list[tuple[int, bytes]]


def new_epoch() -> str:
    """A fresh random epoch: it says nothing about other streams or how many there are."""
    return secrets.token_urlsafe(9)


def message_id_of(frame: bytes) -> str | None:
    """The top-level `id` of an encoded message, without decoding it (`seq`, `type` and `id`
    come before the payload, so the first `"id":"` is the message's own)."""
    start = frame.find(b'"id":"')
    if start < 0:
        return None
    start += len(b'"id":"')
    end = frame.find(b'"', start)
    return frame[start:end].decode() if end > start else None


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

    def resynchronise(self, user_ids: Iterable[UUID] | None = None) -> None:
        """Live messages may have been missed: every connection (of these users, when given)
        catches up from history."""

    def revoke_user(self, user_id: UUID, reason: str) -> int:
        """Close the user's local connections with CONNECTION_REVOKED (4501), after what is
        queued to them; return how many."""


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
    async def check_health(self) -> None:
        """Return when this hub can publish and receive live messages now; raise
        BackendUnavailableError, whose detail names the part that cannot, when it cannot.

        Costs at most one round trip to the backend, and does not bound its own wait: the caller
        does (readiness.py). Safe to cancel."""

    schedule: FallbackSchedule
    """Messages waiting for their fallback (fallback/schedule.py); `publish` adds to it."""

    @abstractmethod
    async def publish(self, user_ids: list[UUID], body: bytes, token: PublishToken | None = None,
                      conflation_key: str | None = None, fallback_seconds: float | None = None) -> int:
        """Append `body` to each user's stream with the next seq and deliver it everywhere, once
        per user and token: a user that already has this token's message is skipped. With a
        `conflation_key`, it supersedes the user's earlier messages with that key: reading
        history skips them from now on (see `conflated_away`). With `fallback_seconds`, each
        user's new message is put in `schedule`, due that long after now (a repeated publish
        schedules nothing more).

        Returns the number of connections (on all hubs) the users held at that moment. Raises
        BackendUnavailableError when nothing was sent, OutcomeUnknownError when it may have been
        applied to some users, IdempotencyKeyReusedError when the token was recorded for a user
        with another fingerprint."""

    async def publish_many(self, publications: list[Publication]) -> list[int]:
        """`publish` for several messages, in this order (each user gets them in this order);
        a backend may send them together, so that a batch costs one round trip. Returns each
        message's connections.

        Raises BackendUnavailableError when none was sent, OutcomeUnknownError when some may have
        been (retry with the same tokens to complete them), IdempotencyKeyReusedError as
        `publish` does. This default publishes them one after the other."""
        reached: list[int] = []
        for publication in publications:
            try:
                reached.append(await self.publish(publication.user_ids, publication.body, publication.token,
                                                  publication.conflation_key, publication.fallback_seconds))
            except BackendUnavailableError as exc:
                if not reached:
                    raise
                raise OutcomeUnknownError(f"{exc.detail} (after {len(reached)} messages were sent)") from exc
        return reached

    @abstractmethod
    async def claim_idempotency_key(self, key: str, fingerprint: str, window_seconds: float) -> bool:
        """Record that `key` was used for the request with this fingerprint: True the first time
        in the window, False when it was claimed for the same request before.

        Raises IdempotencyKeyReusedError when it was claimed for another request, and
        BackendUnavailableError."""

    @abstractmethod
    async def release_idempotency_key(self, key: str) -> None:
        """Forget a claim whose request was refused before anything happened."""

    @abstractmethod
    async def broadcast(self, frame: bytes) -> int:
        """Deliver a live-only frame to every connection on every hub; return an estimate."""

    @abstractmethod
    async def send_live(self, user_id: UUID, frame: bytes, exclude: UUID | None) -> None:
        """Deliver a frame to the user's connections without a seq or history (read receipts)."""

    @abstractmethod
    async def publish_live(self, user_ids: list[UUID], frame: bytes) -> int:
        """Deliver a message of a `live` type to the users' connections on every hub, without a seq
        or history; return the connections the users held. Raises BackendUnavailableError."""

    @abstractmethod
    async def replay(self, user_id: UUID, since: Since | None, limit: int) -> Replay:
        """The stream's state and the first page of up to `limit` kept messages a new connection
        must receive, conflated (every message in it is at or before the stream's head).

        A `since` ahead of the stream in its epoch means the backend lost writes: the stream
        gets a new epoch first, and the replay is not `recovered`."""

    @abstractmethod
    async def history_after(self, user_id: UUID, epoch: str, seq: int, limit: int,
                            message_id: str | None = None, conflate_through: int = 0) -> Page | None:
        """The page of up to `limit` kept messages after seq in epoch (those up to
        `conflate_through` conflated), or None when they are no longer all kept.

        Also None, after starting a new epoch, when the position cannot be the stream's: it is
        ahead of the stream, or the message kept at `seq` is not `message_id` (the id of the
        last message the caller had there). Both mean the backend lost writes and reissued seqs."""

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

    # What the operations console reads and does (read-only but for `revoke`).

    hub_id: str
    """This hub's id among the hubs sharing the backend."""

    @abstractmethod
    async def hub_summaries(self) -> list[HubSummary]:
        """Every live hub sharing this backend, this one included."""

    @abstractmethod
    async def user_view(self, user_id: UUID, limit: int) -> UserView:
        """The user's connections on every hub, stream state and last `limit` messages; creates
        nothing for an unknown user."""

    @abstractmethod
    async def revoke(self, user_id: UUID, reason: str) -> int:
        """Have every hub holding a connection of the user close it with CONNECTION_REVOKED, after
        the messages published before; return the connections the user held (on all hubs)."""

    @abstractmethod
    async def share_sample(self, sample: bytes, keep: int, ttl_seconds: float) -> None:
        """Show this hub's latest console sample (JSON) to the other hubs, which see its last
        `keep` samples; they are dropped `ttl_seconds` after the last one if the hub stops."""

    @abstractmethod
    async def shared_samples(self) -> dict[str, list[bytes]] | None:
        """The samples every live hub shared, by hub id; None when this hub is the only one
        (its own series is all there is)."""
