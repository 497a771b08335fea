"""The hub's exceptions: one base class with structured fields."""

from __future__ import annotations

from typing import Any


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
    """A token or service key was missing or not accepted. `reason` is a stable code."""


class ConnectionLimitError(NotifyhubError):
    """The user already holds the most connections the hub allows."""


class InvalidMessageError(NotifyhubError):
    """A message failed validation. `errors` lists each failing field by JSON pointer."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        first = errors[0] if errors else {}
        super().__init__("invalid_message", f"{first.get('pointer', '')}: {first.get('message', '')}",
                         errors=errors)
        self.errors = errors
