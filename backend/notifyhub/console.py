"""The operations console's answers: the hubs, the time series, a user, and disconnecting one.

The page (`routes/console.py`) and its JSON endpoints are thin; what they show is assembled
here, from the hub, its backend (every hub on Redis) and the `Sampler`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from uuid import UUID

from .hub import Hub
from .samples import Sample, Sampler, chart_points, sum_series

CANCEL_RETRY_SECONDS = 0.1
"""How long `stop` waits for the sampler to end before cancelling it again."""


class Console:
    """What the console reads and does, for one hub. `start` and `stop` run the sampler."""

    def __init__(self, hub: Hub) -> None:
        settings = hub.settings
        self.hub = hub
        self._stream_messages = settings.console_stream_messages
        self._window = settings.console_window_seconds
        self.sampler = Sampler(hub.metrics, self._gauges, settings.console_sample_seconds, settings.console_window_seconds, self._share)
        self._task: asyncio.Task | None = None

    def _gauges(self) -> tuple[int, int]:
        stats = self.hub.local_stats()
        return stats["local_connections"], stats["local_users"]

    def start(self) -> None:
        self._task = asyncio.create_task(self.sampler.run(), name="notifyhub-console-sampler")

    async def stop(self) -> None:
        """Stop sampling, within the shutdown timeout; whatever the sampler raised is dropped with
        it (it only feeds charts). A cancellation lost inside a Redis call (Python 3.11's
        `wait_for` can drop one) is repeated until the sampler ends."""
        task, deadline = self._task, asyncio.get_running_loop().time() + self.hub.settings.shutdown_timeout_seconds
        while task is not None and not task.done() and asyncio.get_running_loop().time() < deadline:
            task.cancel()
            await asyncio.wait([task], timeout=CANCEL_RETRY_SECONDS)
        if task is not None and task.done() and not task.cancelled():
            task.exception()  # retrieved, so that it is not reported as never retrieved

    async def _share(self, sample: Sample) -> None:
        keep = self.sampler.samples.maxlen
        await self.hub.backend.share_sample(json.dumps(sample.as_json()).encode(), keep,
                                            self._window + self.sampler.interval)

    async def hubs(self) -> dict[str, Any]:
        """Every hub with its connections and users, and the totals across them."""
        summaries = await self.hub.backend.hub_summaries()
        stats = await self.hub.stats()
        return {"this_hub": self.hub.backend.hub_id, "backend": self.hub.settings.backend,
                "connected_users": stats["connected_users"], "total_connections": stats["total_connections"],
                "hubs": [{"hub_id": s.hub_id, "connections": s.connections, "users": s.users, "seen": s.seen}
                         for s in sorted(summaries, key=lambda s: s.hub_id)]}

    async def series(self) -> dict[str, Any]:
        """This hub's samples and, on Redis, every live hub's and their sum."""
        interval = self.sampler.interval
        local = list(self.sampler.samples)
        shared = await self.hub.backend.shared_samples()
        per_hub = {self.hub.backend.hub_id: local} if shared is None else {
            hub: [Sample.from_json(json.loads(raw)) for raw in samples] for hub, samples in shared.items()}
        per_hub.setdefault(self.hub.backend.hub_id, local)
        return {"sample_seconds": interval, "window_seconds": self._window,
                "fallbacks_configured": self.hub.fallbacks.configured,
                "summed": chart_points(sum_series(per_hub.values()), interval),
                "hubs": {hub: chart_points(samples, interval) for hub, samples in sorted(per_hub.items())}}

    async def user(self, user_id: UUID) -> dict[str, Any]:
        """A user's presence, connections by hub, stream cursors and last messages."""
        view = await self.hub.backend.user_view(user_id, self._stream_messages)
        state = view.state
        return {
            "user_id": str(user_id), "online": bool(view.connections),
            "connections": [{"connection_id": c, "hub_id": h} for c, h in sorted(view.connections.items())],
            "stream": None if state is None else {"epoch": state.epoch, "last_seq": state.last_seq,
                                                  "acked_seq": state.acked_seq, "read_seq": state.read_seq},
            "messages": [_message_row(seq, frame) for seq, frame in view.entries],
        }

    async def disconnect(self, user_id: UUID) -> dict[str, Any]:
        """Close the user's connections on every hub with 4501."""
        return {"user_id": str(user_id), "connections": await self.hub.disconnect_user(user_id)}


def _message_row(seq: int, frame: bytes) -> dict[str, Any]:
    message = json.loads(frame)
    return {"seq": seq, "id": message.get("id"), "type": message.get("type"),
            "timestamp": message.get("timestamp"), "payload": message.get("payload")}
