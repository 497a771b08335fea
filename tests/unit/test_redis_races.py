"""redis-py's torn-down-connection race is a connection error; the same exception from our own
code is not hidden."""

from __future__ import annotations

import pytest
from notifyhub.backends.redis_races import as_connection_error
from redis.asyncio.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError


async def test_a_command_sent_on_a_connection_whose_writer_was_cleared_counts_as_a_connection_error() -> None:
    connection = Connection()  # never connected: its writer is None, as after another task's disconnect
    with pytest.raises(AttributeError) as raised:
        await connection._send_packed_command([b"*1\r\n$4\r\nPING\r\n"])
    error = as_connection_error(raised.value)
    assert isinstance(error, RedisConnectionError) and error.__cause__ is raised.value


def test_an_attribute_error_of_our_own_is_not_taken_for_one() -> None:
    with pytest.raises(AttributeError) as raised:
        None.writelines([])  # type: ignore[attr-defined]
    assert as_connection_error(raised.value) is None
    assert as_connection_error(ValueError("x")) is None
