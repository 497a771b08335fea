"""Waiting for replicas: a publish accepted only once replicas hold its writes (Redis WAIT).

Redis replicates asynchronously: a primary that dies before its replica received a write loses
it when the replica takes over. WAIT after the writes, on the same connection, blocks until that
many replicas confirmed everything the connection wrote, or the timeout passed; it cannot undo
a write, so a publish whose replicas did not confirm in time stays applied on the primary and is
answered "outcome unknown".
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import OutcomeUnknownError


@dataclass(frozen=True, slots=True)
class Replication:
    """How many replicas must confirm a publish's writes, within how long (0: none asked)."""

    replicas: int = 0
    timeout_ms: int = 0

    def wait_command(self) -> tuple:
        return ("WAIT", self.replicas, self.timeout_ms)

    def unconfirmed(self, acknowledged: list[int]) -> OutcomeUnknownError | None:
        """The error to raise when a primary's WAIT counted fewer replicas than wanted."""
        if not self.replicas or min(acknowledged, default=self.replicas) >= self.replicas:
            return None
        return OutcomeUnknownError(f"publish: applied on the primary, but {min(acknowledged)} of "
                                   f"{self.replicas} replicas confirmed it within {self.timeout_ms} ms")
