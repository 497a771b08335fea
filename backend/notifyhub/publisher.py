"""`Publisher`: send validated messages from any Python service straight into Redis.

Hubs running with NOTIFYHUB_BACKEND=redis on the same Redis and prefix deliver them exactly as
messages sent through their HTTP API: same seq, history and live delivery.
"""

from __future__ import annotations

from types import TracebackType
from uuid import UUID

from pydantic import BaseModel

from .backends.redis import redis_client, unavailable_on_error
from .backends.redis_streams import RedisKeys, RedisStreams
from .hub import encode_checked
from .settings import Settings


class Publisher:
    """Publishes into the streams the hubs read. Use as `async with Publisher(...) as publisher`.

    Its history limits must match the hubs' (they default to the same NOTIFYHUB_* settings).
    Every method raises BackendUnavailableError when Redis cannot take the message, TypeError or
    InvalidMessageError when the message is not a valid server message.
    """

    def __init__(self, redis_url: str | None = None, prefix: str | None = None,
                 settings: Settings | None = None) -> None:
        settings = settings or Settings()
        self._redis = redis_client(redis_url or settings.redis_url, 2.0)
        keys = RedisKeys(prefix or settings.redis_prefix)
        self._streams = RedisStreams(self._redis, keys, settings.history_max_messages,
                                     settings.history_max_age_seconds)

    async def send_to_user(self, user_id: UUID, message: BaseModel) -> int:
        """Append to the user's stream and deliver live; return the user's open connections."""
        return await self.send_to_users([user_id], message)

    async def send_to_users(self, user_ids: list[UUID], message: BaseModel) -> int:
        body = encode_checked(message)
        async with unavailable_on_error("publish"):
            return await self._streams.publish(list(dict.fromkeys(user_ids)), body)

    async def broadcast(self, message: BaseModel) -> None:
        """Deliver to every connection on every hub, live only."""
        frame = encode_checked(message)
        async with unavailable_on_error("broadcast"):
            await self._streams.broadcast(frame)

    async def aclose(self) -> None:
        await self._redis.aclose()

    async def __aenter__(self) -> Publisher:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        traceback: TracebackType | None) -> None:
        await self.aclose()
