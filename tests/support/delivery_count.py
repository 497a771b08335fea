"""Counting what a fault did to delivery: sent, accepted, delivered, lost, duplicated, reordered.

Messages are told apart by their text (a retry without an idempotency key gets a new id but is
the same message to the test). A client's deliveries are split into segments by the resets it
was told of (`recovered: false`): inside a segment nothing may be duplicated or reordered; a
message accepted but never delivered is lost, and silently lost when the client was never told.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class DeliveryCount:
    sent: int = 0
    accepted: set[str] = field(default_factory=set)
    answers: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    deliveries: dict[str, list[tuple[str, int, str]]] = field(default_factory=lambda: defaultdict(list))
    resets: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    closes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _segments: dict[str, list[list[tuple[str, int, str]]]] = field(default_factory=dict)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    # What the test records

    def answered(self, text: str, status: int) -> None:
        """A publish of `text` was answered; only the first try counts as sent."""
        if text not in self.answers:
            self.sent += 1
        self.answers[text].append(status)
        if status == 202:
            self.accepted.add(text)

    def established(self, client: str, recovered: bool) -> None:
        segments = self._segments.setdefault(client, [[]])
        if not recovered:
            self.resets[client] += 1
            segments.append([])
        self._notify()

    def delivered(self, client: str, epoch: str, seq: int, text: str) -> None:
        entry = (epoch, seq, text)
        self.deliveries[client].append(entry)
        self._segments.setdefault(client, [[]])[-1].append(entry)
        self._notify()

    def closed(self, client: str, code: int) -> None:
        self.closes[client].append(code)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until_delivered(self, client: str, texts: set[str], timeout: float = 20.0) -> None:
        """Wait (bounded) until the client received every one of `texts`."""
        async with asyncio.timeout(timeout):
            while not texts <= self.texts(client):
                await self._changed.wait()

    # What the test asserts

    def texts(self, client: str) -> set[str]:
        return {text for _, _, text in self.deliveries[client]}

    def lost(self, client: str) -> set[str]:
        return self.accepted - self.texts(client)

    def silently_lost(self, client: str) -> set[str]:
        return set() if self.resets[client] else self.lost(client)

    def duplicated(self, client: str) -> int:
        return sum(len(segment) - len({text for _, _, text in segment}) for segment in self._segments.get(client, []))

    def reordered(self, client: str) -> int:
        count = 0
        for segment in self._segments.get(client, []):
            last: dict[str, int] = {}
            for epoch, seq, _ in segment:
                count += seq <= last.get(epoch, 0)
                last[epoch] = seq
        return count

    def conflicts(self) -> dict[tuple[str, int], set[str]]:
        """(epoch, seq) positions that named more than one message, on any client."""
        names: dict[tuple[str, int], set[str]] = defaultdict(set)
        for entries in self.deliveries.values():
            for epoch, seq, text in entries:
                names[(epoch, seq)].add(text)
        return {position: texts for position, texts in names.items() if len(texts) > 1}

    def summary(self) -> dict[str, object]:
        clients = list(self.deliveries)
        return {"sent": self.sent, "accepted": len(self.accepted),
                "delivered": sum(len(self.deliveries[c]) for c in clients),
                "lost": sum(len(self.lost(c)) for c in clients),
                "silently_lost": sum(len(self.silently_lost(c)) for c in clients),
                "duplicated": sum(self.duplicated(c) for c in clients),
                "reordered": sum(self.reordered(c) for c in clients),
                "resets": dict(self.resets), "conflicts": self.conflicts(),
                "deliveries": {client: entries[-20:] for client, entries in self.deliveries.items()}}

    def assert_exact(self, *clients: str) -> None:
        """Every accepted message reached each client once, in order, with no reset."""
        summary = self.summary()
        for client in clients:
            assert (self.lost(client), self.duplicated(client), self.reordered(client),
                    self.resets[client]) == (set(), 0, 0, 0), (client, summary)
        assert not self.conflicts(), summary

    def assert_no_silent_gap(self, *clients: str) -> None:
        """Whatever was lost, each client was told; no position named two messages; nothing
        was doubled or reordered between resets."""
        summary = self.summary()
        for client in clients:
            assert (self.silently_lost(client), self.duplicated(client), self.reordered(client)) == (set(), 0, 0), \
                (client, summary)
        assert not self.conflicts(), summary
