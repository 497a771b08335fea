"""A WebSocket client that behaves as the browser client does: it follows a user's stream and,
whenever its connection closes, connects again (to the next hub given) with `since`."""

from __future__ import annotations

import asyncio
import contextlib
import json

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.support.delivery_count import DeliveryCount

RECONNECT_DELAY_SECONDS = 0.05


class ResumingClient:
    """Reads a user's notifications into a DeliveryCount under `name` until `stop()`."""

    def __init__(self, name: str, ws_urls: list[str], token: str, count: DeliveryCount) -> None:
        self.name = name
        self._urls = ws_urls
        self._token = token
        self._count = count
        self.epoch, self.seq = "", 0
        self.connects = 0
        self._task: asyncio.Task | None = None
        self._connection = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        """Start following; return once the first connection is established."""
        self._task = asyncio.create_task(self._run())
        async with asyncio.timeout(20):
            await self._ready.wait()

    def drop(self) -> None:
        """Close the current connection, as a tab losing its network would; it resumes by itself."""
        if self._connection is not None:
            self._connection.transport.abort()

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        while True:
            url = self._urls[self.connects % len(self._urls)]
            self.connects += 1
            since = f"?since={self.epoch}:{self.seq}" if self.epoch else ""
            try:
                async with connect(url + since, subprotocols=["notifyhub.v1", f"bearer.{self._token}"],
                                   open_timeout=10) as connection:
                    self._connection = connection
                    async for raw in connection:
                        self._handle(json.loads(raw))
            except ConnectionClosed as closed:
                self._count.closed(self.name, closed.rcvd.code if closed.rcvd else 1006)
            except (OSError, InvalidStatus, TimeoutError):
                pass
            await asyncio.sleep(RECONNECT_DELAY_SECONDS)  # a backoff, not a synchronisation

    def _handle(self, frame: dict) -> None:
        if frame["type"] == "connection_established":
            payload = frame["payload"]
            # Only a position that was not resumed is a reset; a first connection has none.
            self._count.established(self.name, payload["recovered"] or not self.epoch)
            self.epoch, self.seq = payload["epoch"], payload["last_seq"]
            self._ready.set()
        elif "seq" in frame:
            self._count.delivered(self.name, self.epoch, frame["seq"], frame["payload"]["message"])
            self.seq = frame["seq"]
