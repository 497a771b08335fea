"""What the fallback scheduler hands a channel, and what a channel promises. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class FallbackDelivery:
    """One message that is due for fallback, as it was published to its user.

    `envelope` is the message exactly as a WebSocket client receives it (JSON, with `seq`).
    `message_id` and `seq` within `epoch` name it: a channel uses them to send it at most once."""

    user_id: UUID
    epoch: str
    seq: int
    message_id: str
    message_type: str
    envelope: bytes


class FallbackChannel(Protocol):
    """A way to reach a user with no open tab (`push`, `webhook`: the names `x-delivery` uses).

    `send` returns the number of sends that succeeded and raises nothing for a refusal of one
    recipient (it counts it as failed); it sends each delivery at most once per recipient, even
    when called again for it (after a hub that held it was killed). Safe to cancel: a recipient
    it had not reached yet is reached by the next call."""

    name: str

    async def send(self, delivery: FallbackDelivery) -> ChannelOutcome: ...


@dataclass(frozen=True, slots=True)
class ChannelOutcome:
    """What one `send` did: recipients reached, recipients that failed for good, recipients skipped
    because they had been sent this delivery before."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
