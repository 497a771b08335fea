"""The memory backend's fallback schedule: a heap of due times in this process.

Like everything on the memory backend, it does not survive a restart: messages waiting for
their fallback when the process stops are never sent through it.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from uuid import UUID

from ..fallback.schedule import DueEntry, FallbackSchedule, entry_name
from .base import StreamState

StateOf = Callable[[UUID], StreamState | None]
"""A user's stream state, None when the backend has none."""


class MemoryFallbackSchedule(FallbackSchedule):
    """Entries by name with their due time (Unix ms) and frame; a heap orders the due times.

    A claim moves an entry's due time to the end of its lease (a stale heap item is skipped), so
    claims and completions follow the same rules as on Redis. Nothing here awaits."""

    def __init__(self, state_of: StateOf, marker_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self._state_of = state_of
        self._clock = clock
        self._marker_seconds = marker_seconds
        self._entries: dict[str, tuple[int, bytes]] = {}
        self._heap: list[tuple[int, str]] = []
        self._markers: dict[str, float] = {}
        """`channel message_id` -> when the marker expires (time.time())."""

    def add(self, user_id: UUID, epoch: str, seq: int, frame: bytes, due: int) -> None:
        """Schedule the message at this place for Unix ms `due` (called by the backend's publish)."""
        name = entry_name(user_id, epoch, seq)
        if name not in self._entries:
            self._entries[name] = (due, frame)
            heapq.heappush(self._heap, (due, name))

    def __len__(self) -> int:
        return len(self._entries)

    def prune(self, now: float) -> None:
        """Drop expired markers (the backend's periodic prune calls this)."""
        self._markers = {marker: until for marker, until in self._markers.items() if until > now}

    async def claim_due(self, limit: int, lease_seconds: float) -> list[DueEntry]:
        now = int(self._clock() * 1000)
        until = now + int(lease_seconds * 1000)
        claimed: list[DueEntry] = []
        while self._heap and self._heap[0][0] <= now and len(claimed) < limit:
            due, name = heapq.heappop(self._heap)
            kept = self._entries.get(name)
            if kept is None or kept[0] != due:
                continue  # completed, or claimed again since this item was pushed
            self._entries[name] = (until, kept[1])
            heapq.heappush(self._heap, (until, name))
            claimed.append(DueEntry.parse(name, kept[1]))
        return claimed

    async def complete(self, entry: DueEntry) -> None:
        self._entries.pop(entry.name, None)  # its heap item is skipped when it surfaces

    async def stream_state(self, user_id: UUID) -> StreamState | None:
        return self._state_of(user_id)

    async def first_send(self, channel: str, user_id: UUID, message_id: str) -> bool:
        now = self._clock()
        marker = f"{channel} {user_id} {message_id}"
        if self._markers.get(marker, 0.0) > now:
            return False
        self._markers[marker] = now + self._marker_seconds
        return True
