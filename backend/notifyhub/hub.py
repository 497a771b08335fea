"""The hub: every connection of every user, and delivery to them.

Connections are indexed user_id -> {connection_id -> connection}. On one event loop a dict
changed with no await in between needs no lock, and no method here awaits a client: a message
is encoded once and its bytes are queued to each connection without waiting.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from uuid import UUID

from notifyhub_protocol import SERVER_MESSAGE_TYPES, CloseCode
from pydantic import BaseModel

from .auth import Identity
from .connection import Connection, ConnectionLimits
from .errors import ConnectionLimitError
from .metrics import HubMetrics
from .rules import check_rules
from .settings import Settings
from .transport import NotifyhubWebSocketProtocol


def encode(message: BaseModel) -> bytes:
    """The UTF-8 JSON of a message, as every receiver will get it."""
    return message.__pydantic_serializer__.to_json(message)


class Hub:
    """Registry of connections and the in-process API for sending to them."""

    def __init__(self, settings: Settings, metrics: HubMetrics | None = None) -> None:
        self.settings = settings
        self.metrics = metrics or HubMetrics()
        self._by_user: dict[UUID, dict[UUID, Connection]] = {}
        self._connection_count = 0
        self._messages_sent = 0
        self._frames_delivered = 0
        self._slow_consumer_disconnects = 0
        self._all_removed: asyncio.Event | None = None
        self._limits = ConnectionLimits(
            send_queue_max_bytes=settings.send_queue_max_bytes,
            write_timeout_seconds=settings.write_timeout_seconds,
            frames_per_second=settings.client_frames_per_second,
            frame_burst=settings.client_frame_burst,
        )
        self.metrics.bind_gauges(lambda: self._connection_count, lambda: len(self._by_user))

    # Connections

    def open_connection(self, identity: Identity, transport: NotifyhubWebSocketProtocol) -> Connection:
        """Create and index a connection, or raise ConnectionLimitError when the user is at the limit.

        The check and the insert happen with no await between them, so concurrent handshakes of one
        user cannot both take the last place.
        """
        connections = self._by_user.get(identity.user_id, {})
        if len(connections) >= self.settings.max_connections_per_user:
            raise ConnectionLimitError("too_many_connections",
                                       f"at most {self.settings.max_connections_per_user} connections per user")
        connection = Connection(identity, transport, self._limits, self._on_forced_close)
        self._by_user.setdefault(identity.user_id, {})[connection.id] = connection
        self._connection_count += 1
        return connection

    def remove(self, connection: Connection) -> None:
        """Forget a connection. Safe to call more than once."""
        connections = self._by_user.get(connection.user_id)
        if connections is None or connections.pop(connection.id, None) is None:
            return
        self._connection_count -= 1
        if not connections:
            del self._by_user[connection.user_id]
        connection.discard()
        if self._connection_count == 0 and self._all_removed is not None:
            self._all_removed.set()

    def connections(self) -> Iterator[Connection]:
        for connections in list(self._by_user.values()):
            yield from list(connections.values())

    def connection_count(self, user_id: UUID | None = None) -> int:
        if user_id is None:
            return self._connection_count
        return len(self._by_user.get(user_id, ()))

    def _on_forced_close(self, connection: Connection, code: CloseCode) -> None:
        self._slow_consumer_disconnects += 1
        self.metrics.slow_consumer_disconnects.labels(code=str(int(code))).inc()

    # Delivery

    async def send_to_user(self, user_id: UUID, message: BaseModel) -> int:
        """Deliver a message to every connection of one user; return how many it was queued to.

        `message` is a generated server message model (see `notifyhub_protocol.new_*_message`).
        Raises InvalidMessageError if it breaks a cross-field rule, TypeError if it is not a server
        message. Never waits for a client; safe to cancel.
        """
        return self.deliver([user_id], message)

    async def send_to_users(self, user_ids: list[UUID], message: BaseModel) -> int:
        """Deliver one message to the connections of several users; return the connection count."""
        return self.deliver(user_ids, message)

    async def broadcast(self, message: BaseModel) -> int:
        """Deliver a message to every open connection; return how many it was queued to."""
        return self.deliver(None, message)

    def deliver(self, user_ids: list[UUID] | None, message: BaseModel) -> int:
        """Encode once and queue to the named users' connections, or to all when user_ids is None."""
        started = time.perf_counter()
        message_type = getattr(message, "type", None)
        if message_type not in SERVER_MESSAGE_TYPES or not isinstance(
                message, SERVER_MESSAGE_TYPES[message_type].message_model):
            raise TypeError(f"not a server message model: {type(message).__name__}")
        check_rules(message_type, message.payload, "")
        frame = encode(message)
        targets = self._by_user.values() if user_ids is None else (
            self._by_user.get(user_id, {}) for user_id in dict.fromkeys(user_ids))
        reached = 0
        for connections in list(targets):
            for connection in list(connections.values()):
                reached += connection.enqueue(frame)
        self._messages_sent += 1
        self._frames_delivered += reached
        self.metrics.messages_sent.labels(type=message_type).inc()
        self.metrics.frames_delivered.inc(reached)
        self.metrics.send_latency.observe(time.perf_counter() - started)
        return reached

    # Operations

    def stats(self) -> dict[str, int]:
        return {
            "connected_users": len(self._by_user),
            "total_connections": self._connection_count,
            "messages_sent": self._messages_sent,
            "frames_delivered": self._frames_delivered,
            "slow_consumer_disconnects": self._slow_consumer_disconnects,
        }

    def close_idle(self, now: float, idle_timeout: float) -> int:
        """Close every connection silent for longer than idle_timeout; return how many."""
        closed = 0
        for connection in self.connections():
            if now - connection.last_received > idle_timeout and not connection.closing:
                connection.close(CloseCode.HEARTBEAT_TIMEOUT, "no frame or pong within the idle timeout")
                closed += 1
        return closed

    async def close_all(self, code: int, reason: str, timeout: float) -> None:
        """Flush every queue, close every connection with code, and wait (bounded) until they go."""
        if not self._connection_count:
            return
        self._all_removed = asyncio.Event()
        for connection in self.connections():
            connection.close(code, reason)
        try:
            await asyncio.wait_for(self._all_removed.wait(), timeout)
        except TimeoutError:
            pass
