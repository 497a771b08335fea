"""The hub's Redis client reads replies with hiredis, redis-py's C parser."""

from __future__ import annotations

from notifyhub.backends.redis import redis_client
from notifyhub.settings import Settings
from redis._parsers import _AsyncHiredisParser


def test_the_hubs_redis_connections_parse_replies_in_c() -> None:
    """Replay and publishing over Redis rely on the C parser the server extra installs (pure Python
    parsing held replay from Redis to under half its speed)."""
    client = redis_client(Settings(redis_url="redis://127.0.0.1:6379/0"))
    connection = client.connection_pool.make_connection()
    assert isinstance(connection._parser, _AsyncHiredisParser)
