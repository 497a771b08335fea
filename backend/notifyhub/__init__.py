"""notifyhub: the real-time notification hub.

`notifyhub.client` sends messages through a hub's service API (`pip install notifyhub`);
`notifyhub.app.create_app(settings)` builds the app and `notifyhub.server.build_server(settings)`
the server (`pip install 'notifyhub[server]'`); `Publisher` sends messages into Redis from another
process; the message models, constructors and drafts live in `notifyhub_protocol`. Importing this
package loads no server, Redis, metrics or settings library: `Publisher` and `Settings` are
imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .backends.base import BackendUnavailableError, IdempotencyKeyReusedError, OutcomeUnknownError
from .errors import InvalidMessageError, NotifyhubError
from .idempotency import InvalidIdempotencyKeyError

if TYPE_CHECKING:
    from .publisher import Publisher
    from .settings import Settings

__all__ = ["BackendUnavailableError", "IdempotencyKeyReusedError", "InvalidIdempotencyKeyError",
           "InvalidMessageError", "NotifyhubError", "OutcomeUnknownError", "Publisher", "Settings"]


def __getattr__(name: str) -> Any:
    if name == "Publisher":
        from .publisher import Publisher

        return Publisher
    if name == "Settings":
        from .settings import Settings

        return Settings
    raise AttributeError(f"module 'notifyhub' has no attribute {name!r}")
