"""A connection's replay is paced by its socket; live messages held meanwhile stay bounded.

The socket is a stand-in whose writability the test controls: a peer that reads slowly is the
fault being simulated, and a real kernel buffer would make the moment it fills unpredictable.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from notifyhub.auth import Identity
from notifyhub.connection import Connection, ConnectionLimits, FlushRound
from notifyhub.deadlines import Deadlines
from notifyhub.wire import OutgoingFrame

QUEUE_BYTES = 1000


class SlowSocket:
    """Takes writes while `can_write`; records every payload written."""

    def __init__(self) -> None:
        self.can_write = True
        self.closed = False
        self.flow_listener = None
        self.written: list[bytes] = []
        self.close_code: int | None = None

    def write_frames(self, frames) -> None:
        self.written.extend(frame.payload for frame in frames)

    def close_now(self, code: int, reason: str, abort_after: float) -> None:
        self.close_code, self.closed = code, True


class Owner:
    def __init__(self) -> None:
        self.gaps = 0
        self.cut_off: list[int] = []

    def connection_closing(self, connection) -> None:
        pass

    def connection_cut_off(self, connection, code) -> None:
        self.cut_off.append(int(code))

    def gap_detected(self, connection) -> None:
        self.gaps += 1


def message(seq: int) -> bytes:
    return b'{"seq":%d,"pad":"%s"}' % (seq, b"x" * 80)  # about 100 bytes


async def open_connection() -> tuple[Connection, SlowSocket, Owner]:
    socket, owner = SlowSocket(), Owner()
    limits = ConnectionLimits(send_queue_max_bytes=QUEUE_BYTES, write_timeout_seconds=60,
                              frames_per_second=10, frame_burst=10)
    identity = Identity(uuid.uuid4(), "a@example.com", datetime.now(UTC) + timedelta(hours=1))
    connection = Connection(identity, socket, limits, FlushRound(), Deadlines(), owner)
    return connection, socket, owner


def sequence_numbers(socket: SlowSocket) -> list[int]:
    return [int(payload.split(b",")[0].split(b":")[1]) for payload in socket.written]


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)  # let flush rounds (loop callbacks) run


async def drain(connection: Connection, socket: SlowSocket, done, read_at_once: bool = True) -> None:
    """Let the peer read, a bounded number of times, until `done()`."""
    for _ in range(1000):
        if done():
            return
        socket.can_write = True
        connection.writing_resumed()
        await settle()
        socket.can_write = read_at_once
    raise AssertionError("the connection never finished")


async def test_a_replay_ten_times_the_send_queue_is_written_in_full_as_the_socket_drains() -> None:
    connection, socket, owner = await open_connection()
    socket.can_write = False
    connection.resume("e", 0, [(seq, message(seq)) for seq in range(1, 101)])
    connection.start()
    await settle()
    assert socket.written == [] and socket.close_code is None  # waiting, not cut off
    await drain(connection, socket, lambda: not connection.catching_up, read_at_once=False)
    assert sequence_numbers(socket) == list(range(1, 101))
    assert owner.cut_off == [] and connection.last_seq == 100


async def test_live_messages_during_a_replay_follow_it_in_order() -> None:
    connection, socket, owner = await open_connection()
    socket.can_write = False
    connection.resume("e", 0, [(seq, message(seq)) for seq in range(1, 21)])
    connection.start()
    for seq in (20, 21, 22):  # 20 arrives live and from history: forwarded once
        connection.deliver("e", seq, OutgoingFrame(message(seq)))
    await drain(connection, socket, lambda: socket.written[-1:] == [message(22)])
    assert sequence_numbers(socket) == list(range(1, 23))


async def test_live_messages_beyond_the_budget_during_a_replay_are_read_back_from_history() -> None:
    connection, socket, owner = await open_connection()
    socket.can_write = False
    connection.resume("e", 0, [(seq, message(seq)) for seq in range(1, 21)])
    connection.start()
    for seq in range(21, 60):  # 39 held messages are more than the 1,000-byte budget
        connection.deliver("e", seq, OutgoingFrame(message(seq)))
    await drain(connection, socket, lambda: owner.gaps > 0 or not connection.catching_up)
    assert sequence_numbers(socket) == list(range(1, 21))
    assert owner.gaps == 1 and connection.catching_up  # the hub is asked to fill in 21..59
    connection.resume("e", 20, [(seq, message(seq)) for seq in range(21, 60)])
    await drain(connection, socket, lambda: not connection.catching_up)
    assert sequence_numbers(socket) == list(range(1, 60)) and owner.cut_off == []


async def test_an_incomplete_page_asks_for_the_next_one_and_keeps_what_was_held() -> None:
    connection, socket, owner = await open_connection()
    connection.resume("e", 10, [(seq, message(seq)) for seq in range(11, 16)], complete=False, head_seq=30)
    connection.start()
    connection.deliver("e", 31, OutgoingFrame(message(31)))
    await drain(connection, socket, lambda: owner.gaps > 0)
    assert sequence_numbers(socket) == [11, 12, 13, 14, 15] and connection.last_seq == 15
    connection.resume("e", 15, [(seq, message(seq)) for seq in range(16, 31)])
    await drain(connection, socket, lambda: not connection.catching_up)
    assert sequence_numbers(socket) == list(range(11, 32))
