"""The highest position a hub saw in each user's stream, to notice a Redis that lost writes.

Redis may come back from a crash or a failover without its last writes (an append-only file
fsync'd once a second, a lagging replica). Its keys still exist, so nothing there says so; but a
hub that saw (epoch, seq) of a user knows that a stream now behind it in that epoch would issue
those seqs again for other messages. The publish script takes this floor and starts a new epoch
instead.
"""

from __future__ import annotations

from collections import OrderedDict
from uuid import UUID

NO_FLOOR = ("", 0)


class StreamPositions:
    """The highest (epoch, seq) seen per user, for the `capacity` users seen most recently."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._seen: OrderedDict[UUID, tuple[str, int]] = OrderedDict()

    def saw(self, user_id: UUID, epoch: str, seq: int) -> None:
        """Record a position that Redis confirmed (a publish's answer, a live message, a replay).

        A position in another epoch replaces the one kept: epochs have no order, and the floor
        only matters while the stream stays in the epoch it names."""
        kept = self._seen.get(user_id)
        if kept is None or kept[0] != epoch or seq > kept[1]:
            self._seen[user_id] = (epoch, seq)
        self._seen.move_to_end(user_id)
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)

    def floor(self, user_id: UUID) -> tuple[str, int]:
        """The highest position seen of the user's stream, or NO_FLOOR."""
        return self._seen.get(user_id, NO_FLOOR)

    def __len__(self) -> int:
        return len(self._seen)
