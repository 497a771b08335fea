"""What the server allows a peer before the hub knows who it is: request heads and bodies, time,
memory held by unanswered requests, and open sockets. Pure values and counters, no I/O."""

from __future__ import annotations

import logging
import resource
from dataclasses import dataclass

from ..settings import Settings

logger = logging.getLogger(__name__)

DESCRIPTOR_HEADROOM = 64
"""Descriptors kept free beyond the connection limit: listeners, Redis, log files, the loop."""


@dataclass(frozen=True, slots=True)
class WireLimits:
    """Limits on what a peer may send or hold, from settings (see docs/limits.md)."""

    max_head_bytes: int
    max_line_bytes: int
    max_headers: int
    head_timeout: float
    body_timeout: float
    body_idle_timeout: float
    max_connections: int

    @property
    def shortest_timeout(self) -> float:
        return min(self.head_timeout, self.body_timeout, self.body_idle_timeout)

    @classmethod
    def from_settings(cls, settings: Settings, descriptor_limit: int) -> WireLimits:
        return cls(
            max_head_bytes=settings.max_request_head_bytes,
            max_line_bytes=settings.max_request_line_bytes,
            max_headers=settings.max_request_headers,
            head_timeout=settings.request_head_timeout_seconds,
            body_timeout=settings.request_body_timeout_seconds,
            body_idle_timeout=settings.request_body_idle_timeout_seconds,
            max_connections=settings.max_connections or connections_for_descriptors(descriptor_limit),
        )


def connections_for_descriptors(limit: int) -> int:
    """The most sockets the server may hold so that it never runs out of descriptors."""
    return max(limit - max(DESCRIPTOR_HEADROOM, limit // 10), 16)


def raise_descriptor_limit() -> int:
    """Raise this process's soft limit on open files to the hard limit; return the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft == hard:
        return soft if soft != resource.RLIM_INFINITY else 1 << 20
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError) as exc:
        logger.warning("could not raise the open-file limit from %d to %d: %s", soft, hard, exc)
        return soft
    return hard


OVERLOAD_LOG_INTERVAL_SECONDS = 1.0
"""Refusals for overload are logged at most this often: a flood must not flood the log too."""


class ServerLoad:
    """What every connection of one server shares: the bytes held by request bodies not yet
    answered (a request that would take them past the limit is refused instead of buffered),
    and when an overload refusal was last logged."""

    __slots__ = ("limit", "pending_bytes", "_logged_at", "_unlogged")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pending_bytes = 0
        self._logged_at = float("-inf")
        self._unlogged = 0

    def reserve(self, size: int) -> bool:
        if self.pending_bytes + size > self.limit:
            return False
        self.pending_bytes += size
        return True

    def release(self, size: int) -> None:
        self.pending_bytes -= size

    def log_refusal(self, now: float, message: str, *args: object) -> None:
        """Log an overload refusal, and how many were not logged since the last one."""
        self._unlogged += 1
        if now - self._logged_at < OVERLOAD_LOG_INTERVAL_SECONDS:
            return
        logger.warning(message + " (%d refused since the last report)", *args, self._unlogged)
        self._logged_at, self._unlogged = now, 0
