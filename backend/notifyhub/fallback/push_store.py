"""Where users' push subscriptions live, and the record that a message went to a subscription:
in this process (memory backend) or in Redis beside the hub's other keys (Redis backend), under
the user's hash tag `{<user>}` so that a user's keys share a Redis Cluster slot.

On Redis, a user's subscriptions are one hash, `<prefix>:{<user>}:push` (subscription id ->
subscription as JSON), which outlives hub restarts; a sent record is a key
`<prefix>:{<user>}:pushed:<subscription id>:<message id>` set with `SET NX` and an expiry.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Protocol
from uuid import UUID

from ..backends.base import Backend
from ..errors import PushSubscriptionLimitError
from .push_subscription import PushSubscription, subscription_id


class PushStore(Protocol):
    """A user's push subscriptions and the sent records. On Redis every method raises
    BackendUnavailableError when Redis cannot be reached (what was asked may not be done)."""

    async def save(self, user_id: UUID, subscription: PushSubscription, limit: int) -> bool:
        """Keep subscription (replacing the one with its endpoint: new keys); True when it is new.
        Raises PushSubscriptionLimitError when it is new and the user already has `limit`
        subscriptions that have not expired (expired ones are removed first)."""
        ...

    async def remove(self, user_id: UUID, endpoint: str) -> None:
        """Forget the subscription with this endpoint; nothing when there is none."""
        ...

    async def subscriptions(self, user_id: UUID, now: float | None = None) -> list[PushSubscription]:
        """The user's subscriptions that have not expired (expired ones are removed)."""
        ...

    async def mark_sent(self, user_id: UUID, subscription_id: str, message_id: str, ttl_seconds: float) -> bool:
        """Record that message_id goes to this subscription; True the first time within
        ttl_seconds, False when it was recorded before (atomic: of two concurrent calls, one wins)."""
        ...


class MemoryPushStore:
    """PushStore in this process: lost with it, like the memory backend's history."""

    def __init__(self) -> None:
        self._subscriptions: dict[UUID, dict[str, PushSubscription]] = {}
        self._sent: OrderedDict[tuple[UUID, str, str], float] = OrderedDict()  # -> expiry (monotonic)

    async def save(self, user_id: UUID, subscription: PushSubscription, limit: int) -> bool:
        kept = self._unexpired(user_id, time.time())
        is_new = subscription.id not in kept
        if is_new and len(kept) >= limit:
            raise PushSubscriptionLimitError(limit)
        kept[subscription.id] = subscription
        return is_new

    async def remove(self, user_id: UUID, endpoint: str) -> None:
        kept = self._subscriptions.get(user_id, {})
        kept.pop(subscription_id(endpoint), None)
        if not kept:
            self._subscriptions.pop(user_id, None)

    async def subscriptions(self, user_id: UUID, now: float | None = None) -> list[PushSubscription]:
        return list(self._unexpired(user_id, time.time() if now is None else now).values())

    def _unexpired(self, user_id: UUID, now: float) -> dict[str, PushSubscription]:
        kept = self._subscriptions.setdefault(user_id, {})
        for key in [key for key, subscription in kept.items() if subscription.expired(now)]:
            del kept[key]
        return kept

    async def mark_sent(self, user_id: UUID, subscription_id: str, message_id: str, ttl_seconds: float) -> bool:
        now = time.monotonic()
        # Records expire in the order they were made (one ttl for all): drop the old ones first.
        while self._sent and next(iter(self._sent.values())) <= now:
            self._sent.popitem(last=False)
        key = (user_id, subscription_id, message_id)
        expiry = self._sent.get(key)
        if expiry is not None and expiry > now:
            return False
        self._sent[key] = now + ttl_seconds
        return True


def create_push_store(backend: Backend) -> PushStore:
    """The store beside backend: in Redis with the Redis backend, else in this process."""
    redis = getattr(backend, "redis", None)
    if redis is None:
        return MemoryPushStore()
    from .push_store_redis import RedisPushStore  # redis-py is imported only with the Redis backend

    return RedisPushStore(redis, backend.keys)  # type: ignore[attr-defined]
