"""The hub's exceptions: one base class with structured fields."""

from __future__ import annotations

from typing import Any, ClassVar

from notifyhub_protocol import REFUSAL_STATUS, RefusalReason


class NotifyhubError(Exception):
    """Base of every error the hub raises on purpose."""

    def __init__(self, reason: str, detail: str = "", **fields: Any) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail
        self.fields = fields

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason

    def as_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "detail": self.detail, **self.fields}


class AuthenticationError(NotifyhubError):
    """A token or service key was missing or not accepted. `reason` is a stable RefusalReason;
    `status` is the HTTP status of the refusal."""

    status: ClassVar[int] = 401  # every reason of refusal_reasons.json this class raises but ambiguous_token


class AmbiguousTokenError(AuthenticationError):
    """The request carries several tokens, so the hub will not choose one: a 400, not a 401."""

    status: ClassVar[int] = REFUSAL_STATUS[RefusalReason.AMBIGUOUS_TOKEN]

    def __init__(self, detail: str) -> None:
        super().__init__(RefusalReason.AMBIGUOUS_TOKEN, detail)


class ConnectionLimitError(NotifyhubError):
    """The user already holds the most connections the hub allows."""

    status: ClassVar[int] = REFUSAL_STATUS[RefusalReason.TOO_MANY_CONNECTIONS]


class InvalidMessageError(NotifyhubError):
    """A message failed validation. `errors` lists each failing field by JSON pointer."""

    status: ClassVar[int] = REFUSAL_STATUS[RefusalReason.INVALID_MESSAGE]

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        first = errors[0] if errors else {}
        super().__init__(RefusalReason.INVALID_MESSAGE, f"{first.get('pointer', '')}: {first.get('message', '')}",
                         errors=errors)
        self.errors = errors


class PushSubscriptionLimitError(NotifyhubError):
    """The user already has the most push subscriptions the hub keeps."""

    status: ClassVar[int] = REFUSAL_STATUS[RefusalReason.TOO_MANY_PUSH_SUBSCRIPTIONS]

    def __init__(self, limit: int) -> None:
        super().__init__(RefusalReason.TOO_MANY_PUSH_SUBSCRIPTIONS,
                         f"at most {limit} push subscriptions per user; remove one first", limit=limit)
