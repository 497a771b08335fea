"""notifyhub: the real-time notification hub.

`create_app(settings)` builds the server; `Publisher` sends messages into Redis from another
process; the message models and constructors live in `notifyhub_protocol`.
"""

from .backends.base import BackendUnavailableError, IdempotencyKeyReusedError, OutcomeUnknownError
from .errors import InvalidMessageError, NotifyhubError
from .idempotency import InvalidIdempotencyKeyError
from .publisher import Publisher
from .settings import Settings

__all__ = ["BackendUnavailableError", "IdempotencyKeyReusedError", "InvalidIdempotencyKeyError",
           "InvalidMessageError", "NotifyhubError", "OutcomeUnknownError", "Publisher", "Settings"]
