"""One client connection: its identity, its place in the user's stream, its bounded outgoing
queue and its single writer.

Fan-out calls `enqueue`, which never awaits: it appends to the queue and marks the connection
for the next flush round. One callback per loop iteration flushes every marked connection (one
scheduled callback for a broadcast to 10,000, not 10,000). The flush is a connection's only
writer; it writes everything queued for it in one system call. A queue that outgrows its byte budget, or a socket that stays unwritable past
the write timeout, closes the connection with a code that tells the client to reconnect.

Messages to a user carry a `seq`. A connection forwards each seq once and in order: a seq it
already passed is a duplicate and dropped; a seq past the next one means live delivery missed
something, so the connection holds further messages and asks the hub to catch it up from history.
Until its replay is done a new connection holds live messages the same way.

A replay is paced by the socket: history is queued half a send budget at a time, and more only
once that was written, so a resume longer than the send queue is not mistaken for a slow reader.
Held live messages are bounded by the send budget too; past it they are dropped and read back
from history once the replay is done.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from collections.abc import Sequence
from typing import Protocol

from notifyhub_protocol import CloseCode
from notifyhub_protocol.constructors import new_message_id as new_random_id

from .auth import Identity
from .deadlines import Deadline, Deadlines
from .wire import OutgoingFrame


SOCKET_EXTENSION = "notifyhub.socket"
"""Where an ASGI server that implements `Socket` puts it in a WebSocket scope's `extensions`."""


class FlowListener(Protocol):
    """Told when the socket's write buffer crosses its high or low water mark."""

    def writing_paused(self) -> None: ...

    def writing_resumed(self) -> None: ...


class FrameListener(Protocol):
    """Takes a connection's frames once the hub has taken the connection over."""

    def frame_received(self, text: str | None, data: bytes | None) -> None: ...

    def connection_closed(self) -> None: ...


class Socket(Protocol):
    """What the hub needs of an accepted WebSocket. `notifyhub.server` implements it on uvicorn;
    tests can implement it with a fake."""

    flow_listener: FlowListener | None

    @property
    def last_received(self) -> float:
        """Loop time of the last bytes from the peer, pongs included."""

    @property
    def can_write(self) -> bool:
        """True while the handshake is done, no close was sent and the buffer is below high water."""

    @property
    def closed(self) -> bool: ...

    def write_frames(self, frames: Sequence[OutgoingFrame]) -> None:
        """Write text frames, in order, in one system call."""

    def close_now(self, code: int, reason: str, abort_after: float) -> None:
        """Send a close frame after what is written; drop the socket if the peer has not answered
        within abort_after seconds. Safe to call more than once."""

    def pause_reading_for(self, seconds: float) -> None:
        """Read nothing from the peer for this long (its bytes wait in the kernel)."""

    @property
    def throttled(self) -> bool:
        """True while reading is paused by `pause_reading_for`."""

    def hand_over(self, listener: FrameListener) -> None:
        """Deliver the connection's frames (and its end) to listener from now on."""


CUT_OFF_GRACE_SECONDS = 1.0
"""How long a client cut off for not reading gets to take the close frame before its socket goes."""
MIN_THROTTLE_SECONDS = 0.05
"""Shortest pause of a flooding client's socket: shorter ones would cost more wake-ups than reads."""


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    send_queue_max_bytes: int
    write_timeout_seconds: float
    frames_per_second: float
    frame_burst: int


class ConnectionOwner(Protocol):
    """What a connection tells the hub that holds it."""

    def connection_closing(self, connection: Connection) -> None:
        """The hub closed it: it takes no more messages and can be forgotten now."""

    def connection_cut_off(self, connection: Connection, code: CloseCode) -> None:
        """It was closed for reading too slowly (slow consumer or write timeout)."""

    def gap_detected(self, connection: Connection) -> None:
        """It missed live messages and holds newer ones until the hub fills the gap."""


class FlushRound:
    """Flushes, in one loop callback, every connection that queued frames since the last round."""

    __slots__ = ("_loop", "_pending", "_scheduled")

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._pending: list[Connection] = []
        self._scheduled = False

    def add(self, connection: Connection) -> None:
        self._pending.append(connection)
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._run)

    def _run(self) -> None:
        pending, self._pending, self._scheduled = self._pending, [], False
        for connection in pending:
            connection.flush()


class Connection:
    """A WebSocket connection the hub delivers to. Methods are not thread-safe; call on the loop."""

    __slots__ = ("id", "identity", "_socket", "_limits", "_loop", "_owner", "_queue", "_queued_bytes",
                 "_flush_round", "_flush_pending", "_started", "_write_deadline", "_expiries", "_expiry",
                 "_tokens", "_tokens_at", "close_code", "epoch", "last_seq", "_held", "_held_bytes",
                 "_held_dropped", "_backlog", "_backlog_next", "_head_seq", "_replay_complete", "_through",
                 "conflate_through", "last_payload")

    def __init__(self, identity: Identity, socket: Socket, limits: ConnectionLimits, flush_round: FlushRound,
                 expiries: Deadlines, owner: ConnectionOwner) -> None:
        self.id = new_random_id()  # a version-4 UUID, as uuid4() makes, without a system call each
        self.identity = identity
        self._socket = socket
        self._limits = limits
        self._loop = asyncio.get_running_loop()
        self._owner = owner
        self._queue: list[OutgoingFrame] = []
        self._queued_bytes = 0
        self._flush_round = flush_round
        self._expiries = expiries
        self._flush_pending = False
        self._started = False
        self._write_deadline: asyncio.TimerHandle | None = None
        self._expiry: Deadline | None = None
        self._tokens = float(limits.frame_burst)
        self._tokens_at = time.monotonic()
        self.close_code: int | None = None
        self.epoch = ""
        self.last_seq = 0
        # The last message forwarded, to verify its seq later: its bytes, not its frame, since
        # bytes are not tracked by the garbage collector and this outlives the frame.
        self.last_payload: bytes | None = None
        self._held: list[tuple[str, int, OutgoingFrame]] | None = []  # held until the replay is queued
        self._held_bytes = 0
        self._held_dropped = False  # held messages overflowed: read them back from history
        self._backlog: list[tuple[int, bytes]] | None = None  # replay entries not yet queued
        self._backlog_next = 0
        self._head_seq = 0
        self._replay_complete = True
        self._through = 0  # the last seq the backlog's page covered, conflated-away ones included
        # The stream's head when this connection joined: history up to it is read conflated (only
        # the latest message per conflation key); what came later is delivered whole.
        self.conflate_through = 0

    @property
    def user_id(self) -> uuid.UUID:
        return self.identity.user_id

    @property
    def last_received(self) -> float:
        """Loop time of the last bytes from the client, protocol pongs included."""
        return self._socket.last_received

    @property
    def closing(self) -> bool:
        return self.close_code is not None or self._socket.closed

    def enqueue(self, frame: OutgoingFrame) -> bool:
        """Queue a frame; False if the connection is closing or was just cut off as slow."""
        if self.closing:
            return False
        if self._queued_bytes + len(frame) > self._limits.send_queue_max_bytes:
            self._force_close(CloseCode.SLOW_CONSUMER, "outgoing queue full")
            return False
        self._queue.append(frame)
        self._queued_bytes += len(frame)
        if not self._flush_pending and self._started:
            self._flush_pending = True
            self._flush_round.add(self)
        return True

    @property
    def catching_up(self) -> bool:
        return self._held is not None

    def deliver(self, epoch: str, seq: int, frame: OutgoingFrame) -> bool:
        """Forward a message of the user's stream unless it is a duplicate; hold it while catching up."""
        if self._held is not None:
            self._hold_frame(epoch, seq, frame)
            return not self.closing
        if epoch != self.epoch:
            self.close(CloseCode.RESYNC, "the stream's history was reset")
            return False
        if seq <= self.last_seq:
            return False
        if seq > self.last_seq + 1:
            self.hold()
            self._hold_frame(epoch, seq, frame)
            self._owner.gap_detected(self)
            return not self.closing
        self.last_seq, self.last_payload = seq, frame.payload
        return self.enqueue(frame)

    def hold(self) -> None:
        """Hold live messages until `resume` (the hub is about to catch this connection up)."""
        if self._held is None:
            self._held, self._held_bytes, self._held_dropped = [], 0, False

    def _hold_frame(self, epoch: str, seq: int, frame: OutgoingFrame) -> None:
        if self._held_dropped:
            return
        if self._held_bytes + len(frame) > self._limits.send_queue_max_bytes:
            self._held, self._held_bytes, self._held_dropped = [], 0, True
            return
        self._held.append((epoch, seq, frame))
        self._held_bytes += len(frame)

    def resume(self, epoch: str, after: int, entries: list[tuple[int, bytes]], *, complete: bool = True,
               head_seq: int = 0, through: int = 0) -> None:
        """Replay `entries`, the stream after seq `after` up to seq `through` without what was
        conflated away, as the socket drains; then pass `through`. Then, if `complete`, move to
        `head_seq` (when further) and release what was held; else ask for the next page."""
        self.hold()
        self.epoch = epoch
        self.last_seq = max(self.last_seq, after)
        self.conflate_through = max(self.conflate_through, head_seq)
        self._backlog, self._backlog_next = entries, 0
        self._replay_complete, self._head_seq, self._through = complete, head_seq, through
        self._continue_replay()

    def _continue_replay(self) -> None:
        """Queue replay entries up to half the send budget; finish the replay when none are left."""
        backlog, budget = self._backlog, self._limits.send_queue_max_bytes // 2
        while self._backlog_next < len(backlog):
            seq, payload = backlog[self._backlog_next]
            if seq > self.last_seq:
                if self._queue and self._queued_bytes + len(payload) > budget:
                    return  # the next `flush` that finds the socket writable comes back here
                if not self.enqueue(OutgoingFrame(payload)):
                    return
                self.last_seq, self.last_payload = seq, payload
            self._backlog_next += 1
        self._backlog = None
        # Seqs conflated away are passed too: a later message superseded them, so none is sent later.
        self.last_seq = max(self.last_seq, self._through)
        if not self._replay_complete:
            self._owner.gap_detected(self)  # the hub reads the next page
            return
        self.last_seq = max(self.last_seq, self._head_seq)
        if self._held_dropped:
            self._held, self._held_bytes, self._held_dropped = [], 0, False
            self._owner.gap_detected(self)
            return
        held, self._held = self._held or [], None
        for held_epoch, seq, frame in held:
            self.deliver(held_epoch, seq, frame)

    def start(self) -> None:
        """Begin writing (after the handshake) and arm the token-expiry close."""
        self._started = True
        self._socket.flow_listener = self
        delay = (self.identity.expires_at - datetime.now(UTC)).total_seconds()
        self._expiry = self._expiries.call_at(self._loop.time() + max(delay, 0), self._token_expired)
        self.flush()

    def _token_expired(self) -> None:
        self._expiry = None
        self.close(CloseCode.TOKEN_EXPIRED, "token expired")

    def flush(self) -> None:
        """Write everything queued, if the socket takes writes; else wait for `writing_resumed`."""
        self._flush_pending = False
        if not self._socket.can_write:
            return
        if self._queue:
            frames, self._queue, self._queued_bytes = self._queue, [], 0
            self._socket.write_frames(frames)
        if self._backlog is not None and self._socket.can_write:
            self._continue_replay()

    def writing_paused(self) -> None:
        if self._write_deadline is None:
            self._write_deadline = self._loop.call_later(
                self._limits.write_timeout_seconds, self._force_close, CloseCode.WRITE_TIMEOUT,
                "write timed out")

    def writing_resumed(self) -> None:
        if self._write_deadline is not None:
            self._write_deadline.cancel()
            self._write_deadline = None
        self.flush()

    def allow_client_frame(self) -> bool:
        """Token bucket over frames from the client: False when it sends too fast."""
        now = time.monotonic()
        rate, burst = self._limits.frames_per_second, self._limits.frame_burst
        self._tokens = min(burst, self._tokens + (now - self._tokens_at) * rate)
        self._tokens_at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    @property
    def throttled(self) -> bool:
        """True while the client is not read for sending too fast: its frames are dropped."""
        return self._socket.throttled

    def throttle(self) -> None:
        """Stop reading the client until its next frame would be allowed: a flood then waits in
        the kernel (and fills the client's own send buffer) instead of costing the hub CPU."""
        wait = (1 - self._tokens) / self._limits.frames_per_second
        self._socket.pause_reading_for(max(wait, MIN_THROTTLE_SECONDS))

    def close(self, code: int, reason: str = "", abort_after: float | None = None) -> None:
        """Write what is queued, then a close frame; drop the socket if the client has not
        answered within abort_after (default: the write timeout). Idempotent; never awaits."""
        if self.close_code is not None:
            return
        self.close_code = code
        self.flush()
        self._stop_timers()
        grace = self._limits.write_timeout_seconds if abort_after is None else abort_after
        self._socket.close_now(code, reason, abort_after=grace)
        self._owner.connection_closing(self)

    def _force_close(self, code: CloseCode, reason: str) -> None:
        """Cut off a client that does not read: it will not read the close frame either, so its
        socket (and what is buffered for it) goes after a short grace, not another write timeout."""
        if self.close_code is None:
            self._owner.connection_cut_off(self, code)
        self.close(code, reason, abort_after=min(CUT_OFF_GRACE_SECONDS, self._limits.write_timeout_seconds))

    def _stop_timers(self) -> None:
        for handle in (self._write_deadline, self._expiry):
            if handle is not None:
                handle.cancel()
        self._write_deadline = self._expiry = None

    def discard(self) -> None:
        """Forget everything queued and every timer (the socket is gone)."""
        self._stop_timers()
        self._queue, self._queued_bytes, self._held, self._backlog = [], 0, None, None
        self._socket.flow_listener = None
