"""notifyhub: the real-time notification hub.

`notifyhub.app.create_app(settings)` builds the app and `notifyhub.server.build_server(settings)`
the server; `Publisher` sends messages into Redis from another process; the message models and
constructors live in `notifyhub_protocol`. Importing this package loads no server, Redis or
metrics library: `Publisher` is imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .backends.base import BackendUnavailableError, IdempotencyKeyReusedError, OutcomeUnknownError
from .errors import InvalidMessageError, NotifyhubError
from .idempotency import InvalidIdempotencyKeyError
from .settings import Settings

if TYPE_CHECKING:
    from .publisher import Publisher

__all__ = ["BackendUnavailableError", "IdempotencyKeyReusedError", "InvalidIdempotencyKeyError",
           "InvalidMessageError", "NotifyhubError", "OutcomeUnknownError", "Publisher", "Settings"]


def __getattr__(name: str) -> Any:
    if name == "Publisher":
        from .publisher import Publisher

        return Publisher
    raise AttributeError(f"module 'notifyhub' has no attribute {name!r}")
