"""Errors redis-py raises for a connection another task tore down under a command.

redis-py 8.1's asyncio client, on a cluster whose node just died, may clear a connection's writer
while a command is being sent on it (`AttributeError: 'NoneType' object has no attribute
'writelines'`) or write to a closed transport (`RuntimeError`). Both mean what a ConnectionError
means; raised by our own code they would be bugs, so only those raised inside redis-py count.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import AsyncIterator
from pathlib import Path

import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from .base import BackendUnavailableError

REDIS_PY = Path(redis.__file__).resolve().parent


def as_connection_error(exc: BaseException) -> RedisConnectionError | None:
    """A ConnectionError standing for exc when it is redis-py's torn-down-connection race, else None."""
    if not isinstance(exc, AttributeError | RuntimeError) or exc.__traceback__ is None:
        return None
    innermost = traceback.extract_tb(exc.__traceback__)[-1]
    if not Path(innermost.filename).resolve().is_relative_to(REDIS_PY):
        return None
    error = RedisConnectionError(f"connection closed under the command: {exc!r}")
    error.__cause__ = exc
    return error


@contextlib.asynccontextmanager
async def unavailable_on_error(action: str) -> AsyncIterator[None]:
    """Turn any Redis failure into BackendUnavailableError, so nothing fails silently."""
    try:
        yield
    except (RedisError, OSError) as exc:
        # Some of redis-py's errors have no message (MaxConnectionsError): name the class then.
        raise BackendUnavailableError(f"{action}: {str(exc) or type(exc).__name__}") from exc
    except (AttributeError, RuntimeError) as exc:
        if (connection_error := as_connection_error(exc)) is None:
            raise
        raise BackendUnavailableError(f"{action}: {connection_error}") from exc
