"""Commands sent to one Redis connection in one write, and their replies read back: what
redis-py's pipeline does, without its cost per command.

redis-py packs each argument through several layers and arms a timeout for each reply; for a
publish's script calls (18 arguments each, a batch of them per round trip) that was a sixth of
the hub's time. Here a command is packed with one `join`, and the replies of a round trip share
one timeout.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence

from redis.asyncio.connection import AbstractConnection
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

Argument = bytes | str | int


def packed(command: Sequence[Argument]) -> bytes:
    """A command in RESP: an array of bulk strings (text as UTF-8, integers in decimal)."""
    parts = [b"*%d\r\n" % len(command)]
    for argument in command:
        data = argument if isinstance(argument, bytes) else str(argument).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


async def round_trip(connection: AbstractConnection, commands: Sequence[Sequence[Argument]]) -> list:
    """Send `commands` in one write and read their replies, in order, an error reply as its
    ResponseError; all of them within the connection's socket timeout.

    After a lost connection or a timeout the connection is dropped (no reply is left unread on
    it) and everything is sent again on a new one, as the client's Retry says; then raises
    redis' ConnectionError or TimeoutError. Safe to cancel: the connection is dropped."""
    data = b"".join(map(packed, commands))

    async def send_and_read() -> list:
        await connection.send_packed_command(data)
        try:
            async with asyncio.timeout(connection.socket_timeout):
                return [await _reply(connection) for _ in commands]
        except BaseException as exc:
            await connection.disconnect(nowait=True)
            if isinstance(exc, TimeoutError):
                raise RedisTimeoutError(f"no reply from Redis within {connection.socket_timeout} s") from exc
            raise

    return await connection.retry.call_with_retry(send_and_read, lambda _: connection.disconnect())


async def _reply(connection: AbstractConnection):
    try:
        return await connection.read_response(timeout=math.inf)  # the round trip's timeout bounds it
    except ResponseError as exc:
        return exc
