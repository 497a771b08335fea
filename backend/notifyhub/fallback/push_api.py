"""The push subscription API's answers as plain functions of (authorization, declared size, body):
`GET /api/v1/push/vapid-public-key`, `POST` and `DELETE /api/v1/push/subscriptions`.

Like the service API, a request is judged in two steps so that nothing is read for a request
that will be refused: `refuse_head` (push configured, the user's token, the declared size), then
`subscribe` / `unsubscribe` once the body is read. With no VAPID key every route answers 404
`push_not_configured`: there is no key to subscribe with, and nothing would be pushed.
"""

from __future__ import annotations

from uuid import UUID

from notifyhub_protocol import RefusalReason

from ..answers import Answer, refusal
from ..auth import TokenVerifier, extract_token
from ..backends.base import BackendUnavailableError
from ..errors import AuthenticationError, InvalidMessageError, PushSubscriptionLimitError
from ..service_api import too_large, unavailable
from ..settings import Settings
from .push import PushChannel
from .push_store import PushStore
from .push_subscription import parse_subscription, parse_unsubscribe

PUSH_PREFIX = "/api/v1/push/"
VAPID_PUBLIC_KEY_PATH = "/api/v1/push/vapid-public-key"
SUBSCRIPTIONS_PATH = "/api/v1/push/subscriptions"


def not_configured() -> Answer:
    return refusal(RefusalReason.PUSH_NOT_CONFIGURED, "this hub sends no Web Push: it has no "
                   "NOTIFYHUB_VAPID_PRIVATE_KEY")


class PushApi:
    """The subscription routes of one hub; `channel` is None when push is off."""

    def __init__(self, settings: Settings, verifier: TokenVerifier, store: PushStore,
                 channel: PushChannel | None) -> None:
        self._settings = settings
        self._verifier = verifier
        self._store = store
        self._channel = channel
        self.max_body_bytes = settings.push_max_body_bytes

    def public_key(self) -> Answer:
        """200 `{"public_key"}`, or 404 when push is off. Needs no token: the key is public."""
        if self._channel is None:
            return not_configured()
        return Answer(200, {"public_key": self._channel.public_key})

    def refuse_head(self, headers, declared_length: int | None) -> UUID | Answer:
        """The user the request is made for, or its refusal: 404 when push is off, 401 for a
        missing or refused token (`Authorization: Bearer <jwt>` only; 400 `ambiguous_token` for
        several), 413 for a declared size over the limit."""
        if self._channel is None:
            return not_configured()
        try:
            identity = self._verifier.verify(extract_token(headers, {}, []))
        except AuthenticationError as exc:
            if exc.reason == RefusalReason.MISSING_TOKEN:  # auth's detail names the WebSocket's places too
                exc = AuthenticationError(RefusalReason.MISSING_TOKEN, "send the user's JWT as "
                                          "'Authorization: Bearer <jwt>'")
            return Answer.refusing(exc, {"WWW-Authenticate": "Bearer"})
        if declared_length is not None and declared_length > self.max_body_bytes:
            return too_large(self.max_body_bytes)
        return identity.user_id

    async def subscribe(self, user_id: UUID, body: bytes | None) -> Answer:
        """201 `{"id"}` for a new subscription, 200 with the same id for an endpoint the user had
        (its keys and expiry replaced); 413, 422 naming the field, 409 over the per-user limit,
        503 when Redis cannot be reached (nothing was kept)."""
        if body is None:
            return too_large(self.max_body_bytes)
        try:
            subscription = parse_subscription(body, self._settings.push_allow_insecure_endpoints)
            created = await self._store.save(user_id, subscription, self._settings.max_push_subscriptions_per_user)
        except InvalidMessageError as exc:
            return Answer.refusing(exc, errors=exc.errors)
        except PushSubscriptionLimitError as exc:
            return Answer.refusing(exc)
        except BackendUnavailableError as exc:
            return unavailable(exc, self._settings.retry_after_seconds)
        return Answer(201 if created else 200, {"id": subscription.id})

    async def unsubscribe(self, user_id: UUID, body: bytes | None) -> Answer:
        """204, whether or not the user had a subscription with that endpoint; 413, 422, 503."""
        if body is None:
            return too_large(self.max_body_bytes)
        try:
            await self._store.remove(user_id, parse_unsubscribe(body))
        except InvalidMessageError as exc:
            return Answer.refusing(exc, errors=exc.errors)
        except BackendUnavailableError as exc:
            return unavailable(exc, self._settings.retry_after_seconds)
        return Answer(204, {})
