"""Reading an HTTP `Retry-After` header, for every outgoing call that honours one (the client for
services, Web Push, webhooks). No I/O."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A `Retry-After` header as seconds from `now` (Unix time; the clock when None): RFC 9110
    section 10.2.3's delay-seconds, or an HTTP date (0 for one already past). None when absent or
    unreadable, a negative number or a date without its GMT zone included."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)
