"""`Publisher`: send validated messages from any Python service straight into Redis.

Hubs running with NOTIFYHUB_BACKEND=redis on the same Redis and prefix deliver them exactly as
messages sent through their HTTP API: same seq, history and live delivery.
"""

from __future__ import annotations

from types import TracebackType
from uuid import UUID

from pydantic import BaseModel

from .backends.base import PublishToken
from .backends.positions import StreamPositions
from .backends.redis import redis_client, streams_for
from .backends.redis_races import unavailable_on_error
from .backends.redis_streams import RedisKeys
from .delivery_policy import conflation_key, policy_of, schema_policies
from .fallback.schedule import fallback_delay
from .hub import encode_checked
from .idempotency import message_token
from .settings import Settings


class Publisher:
    """Publishes into the streams the hubs read. Use as `async with Publisher(...) as publisher`.

    Its history limits must match the hubs' (they default to the same NOTIFYHUB_* settings), and
    so do its pool, timeout, retries, cluster mode and replica wait (NOTIFYHUB_REDIS_*), and its
    NOTIFYHUB_FALLBACK_DELAY_SCALE (a message with a fallback is scheduled as a hub schedules
    it; the hubs send it). Every method raises
    BackendUnavailableError when Redis could not be asked (nothing was sent), TypeError or
    InvalidMessageError when the message is not a valid server message; sending to users also
    raises OutcomeUnknownError when Redis was asked but its answer was lost (send again with the
    same idempotency key to make sure it arrives once).
    """

    def __init__(self, redis_url: str | None = None, prefix: str | None = None,
                 settings: Settings | None = None) -> None:
        settings = settings or Settings()
        self._settings = settings
        self._redis = redis_client(settings, url=redis_url)
        self._streams = streams_for(settings, self._redis, RedisKeys(prefix or settings.redis_prefix))
        self._positions = StreamPositions(settings.redis_positions_remembered)
        self._policies = schema_policies()

    async def send_to_user(self, user_id: UUID, message: BaseModel, idempotency_key: str | None = None) -> int:
        """Append to the user's stream and deliver live; return the user's open connections."""
        return await self.send_to_users([user_id], message, idempotency_key)

    async def send_to_users(self, user_ids: list[UUID], message: BaseModel,
                            idempotency_key: str | None = None) -> int:
        """Send to each user once, as the message type's delivery policy says (a type delivered
        live reaches only the connections open now, and the key does not apply). With an `idempotency_key`, sending the same message to the same
        users again within NOTIFYHUB_IDEMPOTENCY_WINDOW_SECONDS sends it only to those who do
        not have it yet; the same key for another message raises IdempotencyKeyReusedError, an
        empty, overlong or non-ASCII key InvalidIdempotencyKeyError."""
        body = encode_checked(message)
        user_ids = list(dict.fromkeys(user_ids))
        policy = policy_of(self._policies, message.type)
        if policy.live:  # no seq, no history: the connections open now, as a hub sends it
            async with unavailable_on_error("publish"):
                return await self._streams.publish_live(user_ids, body)
        token = (PublishToken.internal() if idempotency_key is None else
                 message_token(idempotency_key, message, user_ids, self._settings.idempotency_window_seconds))
        appended = await self._streams.publish(user_ids, body, token, self._positions.floor,
                                               conflation_key(policy, message.type, message.payload),
                                               fallback_delay(policy, self._settings.fallback_delay_scale))
        for place in appended:
            self._positions.saw(place.user_id, place.epoch, place.seq)
        return sum(place.connections for place in appended)

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
