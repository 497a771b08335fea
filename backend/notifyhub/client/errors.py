"""What the service client raises: the hub refused a request, or could not be reached in time."""

from __future__ import annotations

from typing import Any

from ..errors import NotifyhubError


class HubError(NotifyhubError):
    """Base of every error the service client raises."""


class HubRefusedError(HubError):
    """The hub answered and refused the request; sending it again as it is will not help.

    `status` is the HTTP status, `reason` the refusal reason (`invalid_message`,
    `invalid_service_key`, ...; see `notifyhub_protocol.RefusalReason`), `detail` the hub's
    explanation, and `errors` (for a 422) each failing field as `{"pointer", "type", "message"}`,
    the pointer being a JSON pointer into the request body (`/message/payload/level`).
    """

    def __init__(self, status: int, reason: str, detail: str = "",
                 errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(reason, detail, status=status, errors=errors or [])
        self.status = status
        self.errors = errors or []

    @property
    def pointers(self) -> list[str]:
        """The JSON pointers of the fields the hub refused, in its order."""
        return [error.get("pointer", "") for error in self.errors]

    def __str__(self) -> str:
        return f"the hub refused the request ({self.status} {self.reason}): {self.detail}"


class HubUnavailableError(HubError):
    """No attempt got an answer the client could act on, within the retry policy's bounds.

    `status` is the last answer's (503, 504) or None when the hub was not reached or did not
    answer; `attempts` how many were made. When `maybe_delivered` is true the hub may have taken
    the request: send it again later with the same `idempotency_key` to find out without doubling.
    """

    def __init__(self, reason: str, detail: str, *, status: int | None, attempts: int,
                 maybe_delivered: bool, idempotency_key: str) -> None:
        super().__init__(reason, detail, status=status, attempts=attempts,
                         maybe_delivered=maybe_delivered, idempotency_key=idempotency_key)
        self.status = status
        self.attempts = attempts
        self.maybe_delivered = maybe_delivered
        self.idempotency_key = idempotency_key

    def __str__(self) -> str:
        tries = "1 attempt" if self.attempts == 1 else f"{self.attempts} attempts"
        return f"the hub is unavailable ({self.reason} after {tries}): {self.detail}"
