"""Where messages, history and presence live: in this process, or in Redis for several hubs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Backend

if TYPE_CHECKING:  # the backends' base is imported by light modules; settings are not
    from ..settings import Settings


def create_backend(settings: Settings) -> Backend:
    """The backend NOTIFYHUB_BACKEND names."""
    if settings.backend == "redis":
        from .redis import RedisBackend

        return RedisBackend(settings)
    from .memory import MemoryBackend

    return MemoryBackend(settings)
