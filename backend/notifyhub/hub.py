"""The hub: every local connection of every user, and delivery to them through a backend.

Connections are indexed user_id -> {connection_id -> connection}. On one event loop a dict
changed with no await in between needs no lock, and no method here awaits a client: a message
is encoded once, the backend stamps each user's `seq` into it, and its bytes are queued to each
connection without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from uuid import UUID

from notifyhub_protocol import CloseCode, new_read_receipt_message
from pydantic import BaseModel

from .auth import Identity
from .backends.base import Backend, BackendUnavailableError, Publication, PublishToken, Replay, Since, message_id_of
from .connection import Connection, ConnectionLimits, FlushRound, Socket
from .deadlines import Deadlines
from .delivery_policy import Policies, conflation_key, policy_of, schema_policies
from .errors import ConnectionLimitError
from .established import EstablishedFrames
from .fallback.channel import FallbackChannel
from .fallback.schedule import fallback_delay
from .fallback.scheduler import FallbackScheduler
from .metrics import HubMetrics
from .messages import encode, encode_checked
from .settings import Settings
from .wire import OutgoingFrame

logger = logging.getLogger(__name__)


def _distinct(user_ids: list[UUID]) -> list[UUID]:
    """The users once each, in their order."""
    return user_ids if len(user_ids) < 2 else list(dict.fromkeys(user_ids))


def try_again_later_reason(settings: Settings) -> str:
    """The close reason of a connection refused with 1013 because the backend is unavailable:
    it ends with `retry_after=<seconds>`, when the client should try again."""
    return f"backend unavailable; retry_after={settings.retry_after_seconds}"


def forwarded_id(connection: Connection) -> str | None:
    """The id of the message a connection forwarded at its `last_seq`, when it has it."""
    payload = connection.last_payload
    if payload is None or not payload.startswith(b'{"seq":%d,' % connection.last_seq):
        return None
    return message_id_of(payload)


class Hub:
    """Registry of local connections and the in-process API for sending messages."""

    def __init__(self, settings: Settings, backend: Backend, metrics: HubMetrics | None = None,
                 fallback_channels: Mapping[str, FallbackChannel] | None = None) -> None:
        self.settings = settings
        self.backend = backend
        self.metrics = metrics or HubMetrics()
        self.established = EstablishedFrames(settings)
        """The first frame of every connection, from a template of this hub's limits."""
        self.policies: Policies = schema_policies()
        """Each type's delivery policy; the schemas' unless replaced (tests give a type another)."""
        self.fallbacks = FallbackScheduler(backend.schedule, fallback_channels or {}, lambda: self.policies,
                                           settings, self.metrics)
        """Sends messages no device acknowledged in time through the configured channels."""
        self._by_user: dict[UUID, dict[UUID, Connection]] = {}
        self._connection_count = 0
        self._counters = {"messages_sent": 0, "frames_delivered": 0, "slow_consumer_disconnects": 0}
        self._tasks: set[asyncio.Task] = set()
        self._all_removed: asyncio.Event | None = None
        self._flush_round: FlushRound | None = None
        self._expiries: Deadlines | None = None
        self._sweeper: asyncio.Task | None = None
        self._stopping: asyncio.Future | None = None
        self._draining = False
        self._limits = ConnectionLimits(
            send_queue_max_bytes=settings.send_queue_max_bytes,
            write_timeout_seconds=settings.write_timeout_seconds,
            frames_per_second=settings.client_frames_per_second,
            frame_burst=settings.client_frame_burst,
        )
        self.metrics.bind_gauges(lambda: self._connection_count, lambda: len(self._by_user))

    async def start(self) -> None:
        """Start the backend and the idle sweep. Call once, on the loop that will serve."""
        self._flush_round = FlushRound()
        self._expiries = Deadlines()
        await self.backend.start(self)
        self._sweeper = asyncio.create_task(self._sweep_idle(), name="notifyhub-idle-sweep")
        self.fallbacks.start()

    def drain(self) -> None:
        """Say that this hub is going away (`draining` is True from now on); it serves as before."""
        self._draining = True

    @property
    def draining(self) -> bool:
        """True once `drain` or `shutdown` was called: the hub should get no new clients."""
        return self._draining or self._stopping is not None

    async def shutdown(self, code: int = CloseCode.SERVICE_RESTART, reason: str = "server restart") -> None:
        """The one way a hub stops: no more idle sweeps, every queue flushed and every connection
        closed with code (waiting at most `shutdown_timeout_seconds` for them to go) while the
        fallback scheduler stops claiming and its sends finish (within the same bound), background
        work finished or cancelled within the same bound, then the backend closed.

        Idempotent: the server calls it before it closes its sockets, the app's lifespan after.
        """
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop(code, reason))
        await asyncio.shield(self._stopping)

    async def _stop(self, code: int, reason: str) -> None:
        timeout = self.settings.shutdown_timeout_seconds
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
        # Sends under way finish (bounded) while connections close; no new ones are claimed.
        await asyncio.gather(self._close_all(code, reason, timeout), self.fallbacks.stop(timeout))
        if self._expiries is not None:
            self._expiries.close()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:  # bounded too: a task stuck in a library call must not keep the hub up
            await asyncio.wait(list(self._tasks), timeout=timeout)
        try:
            await asyncio.wait_for(self.backend.close(), timeout)
        except TimeoutError:
            logger.warning("the backend did not close within %.1f s; leaving it", timeout)

    async def _sweep_idle(self) -> None:
        """Close connections that went silent, every `idle_check_interval_seconds`.

        The server pings every `ping_interval_seconds`; a pong, or any frame, counts as life. One
        shared sweep is cheaper than a timer per connection, and checking every quarter of the
        idle timeout closes a dead connection at most 25% late. Safe to cancel.
        """
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.settings.idle_check_interval_seconds)
            closed = self.close_idle(loop.time(), self.settings.idle_timeout_seconds)
            if closed:
                logger.info("closed %d idle connection(s)", closed)

    # Connections

    def open_connection(self, identity: Identity, socket: Socket) -> Connection:
        """Create and index a connection, or raise ConnectionLimitError when the user is at the limit.

        The check and the insert happen with no await between them, so concurrent handshakes of one
        user cannot both take the last place. The connection holds live messages until `attach`.
        """
        connections = self._by_user.get(identity.user_id, {})
        if len(connections) >= self.settings.max_connections_per_user:
            raise ConnectionLimitError("too_many_connections",
                                       f"at most {self.settings.max_connections_per_user} connections per user")
        connection = Connection(identity, socket, self._limits, self._flush_round, self._expiries, self)
        self._by_user.setdefault(identity.user_id, {})[connection.id] = connection
        self._connection_count += 1
        return connection

    async def attach(self, connection: Connection, since: Since | None) -> Replay:
        """Make sure this hub receives the user's messages, then read what the connection must replay.

        Raises BackendUnavailableError. The caller queues `connection_established`, then calls
        `connection.resume` with the replay.
        """
        await self.backend.connection_opened(connection.user_id, connection.id)
        return await self.backend.replay(connection.user_id, since, self.settings.replay_page_messages)

    async def detach(self, connection: Connection) -> None:
        """Forget a connection here and in the backend. Safe to call more than once."""
        if self._remove(connection):
            with contextlib.suppress(BackendUnavailableError):
                await self.backend.connection_closed(connection.user_id, connection.id)

    def forget(self, connection: Connection) -> None:
        """`detach` for a socket that just closed: local state now, the backend in the background."""
        if self._remove(connection):
            self._background(self.backend.connection_closed(connection.user_id, connection.id))

    def _background(self, work) -> None:
        task = asyncio.get_running_loop().create_task(self._quietly(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _quietly(work) -> None:
        with contextlib.suppress(BackendUnavailableError):
            await work

    def _remove(self, connection: Connection) -> bool:
        connections = self._by_user.get(connection.user_id)
        if connections is None or connections.pop(connection.id, None) is None:
            return False
        self._connection_count -= 1
        if not connections:
            del self._by_user[connection.user_id]
        connection.discard()
        if self._connection_count == 0 and self._all_removed is not None:
            self._all_removed.set()
        return True

    def connections(self) -> Iterator[Connection]:
        for connections in list(self._by_user.values()):
            yield from list(connections.values())

    def connection_count(self, user_id: UUID | None = None) -> int:
        if user_id is None:
            return self._connection_count
        return len(self._by_user.get(user_id, ()))

    # What connections tell the hub (ConnectionOwner)

    def connection_closing(self, connection: Connection) -> None:
        self.metrics.connection_closed(connection.close_code)
        self.forget(connection)

    def connection_cut_off(self, connection: Connection, code: CloseCode) -> None:
        self._counters["slow_consumer_disconnects"] += 1
        self.metrics.slow_consumer_disconnects.labels(code=str(int(code))).inc()

    def gap_detected(self, connection: Connection) -> None:
        self._background(self._catch_up(connection))

    # Sending (the in-process API)

    async def send_to_user(self, user_id: UUID, message: BaseModel) -> int:
        """Send a message to one user: it gets the user's next `seq`, is kept in history, and is
        queued to every connection of the user on every hub (a type delivered live is only queued).

        Returns the number of connections the user held. Raises TypeError if `message` is not a
        generated server message, InvalidMessageError if it breaks a cross-field rule,
        BackendUnavailableError if the backend cannot take it (then nothing was sent), and
        OutcomeUnknownError if its answer was lost (then it may have been sent: send it again
        with the same `token` to make sure, without doubling). Never waits for a client.
        """
        return await self.send_to_users([user_id], message)

    async def send_to_users(self, user_ids: list[UUID], message: BaseModel,
                            token: PublishToken | None = None) -> int:
        """Send one message to several users (each in their own stream); return connections reached.

        With a `token` (see `PublishToken.for_key`), each user gets the message once however
        often it is sent within the token's window; the same token with another fingerprint
        raises IdempotencyKeyReusedError. Raises as `send_to_user` does."""
        return await self.send_encoded(user_ids, encode_checked(message), message.type, token,
                                       self.conflation_key(message))

    async def broadcast(self, message: BaseModel) -> int:
        """Send a message to every connection on every hub, live only (no seq, no history)."""
        return await self.broadcast_encoded(encode_checked(message), message.type)

    def delivered_live(self, message_type: str) -> bool:
        """Whether messages of this type go only to the connections open when they are sent."""
        return policy_of(self.policies, message_type).live

    def conflation_key(self, message: BaseModel) -> str | None:
        """The key this message supersedes the user's earlier ones by, if its type is conflated."""
        return conflation_key(policy_of(self.policies, message.type), message.type, message.payload)

    async def send_encoded(self, user_ids: list[UUID], body: bytes, message_type: str,
                           token: PublishToken | None = None, conflation_key: str | None = None) -> int:
        """`send_to_users` for a message already checked and encoded (`messages.encode_checked`,
        or the service API, which checks a whole batch before it sends any of it), with its
        `conflation_key` (`conflation_key(message)`).

        A type delivered live gets no seq and no history: it reaches the connections open now,
        once each; `token` does not apply (the service API sends it with a key once). A type
        with a fallback is scheduled for it with the publish (fallback/scheduler.py)."""
        started = time.perf_counter()
        user_ids = _distinct(user_ids)
        policy = policy_of(self.policies, message_type)
        if policy.live:
            reached = await self.backend.publish_live(user_ids, body)
        else:
            reached = await self.backend.publish(user_ids, body, token, conflation_key,
                                                 fallback_delay(policy, self.settings.fallback_delay_scale))
        self._count_sent(message_type, started)
        return reached

    def publication(self, user_ids: list[UUID], body: bytes, message_type: str, token: PublishToken | None = None,
                    conflation_key: str | None = None) -> Publication:
        """A message already checked and encoded, of a type not delivered live, as
        `send_encoded_together` takes it: each user once, with the delay of the type's fallback."""
        policy = policy_of(self.policies, message_type)
        return Publication(_distinct(user_ids), body, token, conflation_key,
                           fallback_delay(policy, self.settings.fallback_delay_scale))

    async def send_encoded_together(self, messages: list[tuple[Publication, str]]) -> list[int]:
        """`send_encoded` for several (`publication`, message type) pairs, in this order:
        the backend may send them together (over Redis, one round trip). Returns each one's
        connections reached.

        Raises as `send_encoded` does; BackendUnavailableError when none was sent,
        OutcomeUnknownError when some may have been."""
        started = time.perf_counter()
        reached = await self.backend.publish_many([publication for publication, _ in messages])
        for _, message_type in messages:
            self._count_sent(message_type, started)
        return reached

    async def broadcast_encoded(self, body: bytes, message_type: str) -> int:
        """`broadcast` for a message already checked and encoded."""
        started = time.perf_counter()
        reached = await self.backend.broadcast(body)
        self._count_sent(message_type, started)
        return reached

    def _count_sent(self, message_type: str, started: float) -> None:
        self._counters["messages_sent"] += 1
        self.metrics.message_sent(message_type, time.perf_counter() - started)

    # Delivery (called by the backend)

    def deliver_to_user(self, user_id: UUID, epoch: str, seq: int | None, payload: bytes,
                        exclude: UUID | None = None) -> int:
        connections = self._by_user.get(user_id)
        if not connections:
            return 0
        frame, reached = OutgoingFrame(payload), 0
        for connection in list(connections.values()):
            if connection.id == exclude:
                continue
            if seq is not None and seq <= connection.last_seq and epoch == connection.epoch:
                self._verify_position(connection)
            reached += connection.enqueue(frame) if seq is None else connection.deliver(epoch, seq, frame)
        self._count_delivered(reached)
        return reached

    def deliver_to_all(self, payload: bytes) -> int:
        frame = OutgoingFrame(payload)
        reached = sum(connection.enqueue(frame) for connection in self.connections())
        self._count_delivered(reached)
        return reached

    def _count_delivered(self, frames: int) -> None:
        self._counters["frames_delivered"] += frames
        self.metrics.frames_delivered.inc(frames)

    def _verify_position(self, connection: Connection) -> None:
        """A live message repeats a seq the connection passed: usually a message it also read
        from history, but after Redis lost writes, another message under a reissued seq. A
        catch-up checks the connection's last message against history (cheap, and rare)."""
        if not connection.catching_up:
            connection.hold()
            self.gap_detected(connection)

    def resynchronise(self, user_ids: Iterable[UUID] | None = None) -> None:
        self.metrics.backend_reconnects.inc()
        connections = (self.connections() if user_ids is None else
                       [c for user in user_ids for c in list(self._by_user.get(user, {}).values())])
        for connection in connections:
            if not connection.catching_up:
                connection.hold()
                self.gap_detected(connection)

    async def _catch_up(self, connection: Connection) -> None:
        """Fill a connection's gap from history, a page at a time; close it with RESYNC when that
        is impossible, or when the stream no longer holds the message the connection forwarded
        last at its position (Redis lost writes and reissued that seq)."""
        limit, after = self.settings.replay_page_messages, connection.last_seq
        try:
            page = await self.backend.history_after(connection.user_id, connection.epoch, after, limit,
                                                    forwarded_id(connection), connection.conflate_through)
        except BackendUnavailableError:
            page = None
        if page is None:
            connection.close(CloseCode.RESYNC, "could not continue the stream without a gap")
        else:
            connection.resume(connection.epoch, after, page.entries, complete=page.complete, through=page.through)

    # Cursors

    async def acknowledge(self, connection: Connection, seq: int) -> int:
        return await self.backend.acknowledge(connection.user_id, seq)

    async def mark_read(self, connection: Connection, seq: int) -> int:
        """Record the read position and tell the user's other connections with a `read_receipt`."""
        read_seq = await self.backend.mark_read(connection.user_id, seq)
        if read_seq:
            receipt = encode(new_read_receipt_message(read_seq=read_seq))
            await self.backend.send_live(connection.user_id, receipt, exclude=connection.id)
        return read_seq

    # Operations

    def local_stats(self) -> dict[str, int]:
        """This hub's own users, connections and delivery counters."""
        return {"local_users": len(self._by_user), "local_connections": self._connection_count,
                **self._counters}

    async def stats(self) -> dict[str, int]:
        """Cluster-wide users and connections (`connected_users`, `total_connections`, `hubs`),
        plus `local_stats()`."""
        return {**await self.backend.cluster_stats(), **self.local_stats()}

    async def presence(self, user_id: UUID) -> int:
        return await self.backend.presence(user_id)

    def revoke_user(self, user_id: UUID, reason: str) -> int:
        """Close the user's connections on this hub with CONNECTION_REVOKED, each after what is
        queued to it; return how many. Called by the backend for `disconnect_user`."""
        connections = list(self._by_user.get(user_id, {}).values())
        for connection in connections:
            connection.close(CloseCode.CONNECTION_REVOKED, reason)
        return len(connections)

    async def disconnect_user(self, user_id: UUID, reason: str = "revoked by an operator") -> int:
        """Close every connection of the user on every hub with CONNECTION_REVOKED (4501: the
        client does not reconnect by itself); return how many the user held. Raises
        BackendUnavailableError."""
        return await self.backend.revoke(user_id, reason)

    def close_idle(self, now: float, idle_timeout: float) -> int:
        """Close every connection silent for longer than idle_timeout; return how many."""
        closed = 0
        for connection in self.connections():
            if now - connection.last_received > idle_timeout and not connection.closing:
                connection.close(CloseCode.HEARTBEAT_TIMEOUT, "no frame or pong within the idle timeout")
                closed += 1
        return closed

    async def _close_all(self, code: int, reason: str, timeout: float) -> None:
        """Flush every queue, close every connection with code, and wait (bounded) until they go."""
        if not self._connection_count:
            return
        self._all_removed = asyncio.Event()
        for connection in self.connections():
            connection.close(code, reason)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._all_removed.wait(), timeout)
