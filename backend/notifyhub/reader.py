"""The reading half of a connection: every frame a client sends, answered in arrival order.

The transport hands each complete frame to `ClientReader.frame_received` synchronously. Most
frames are answered at once (ping, errors). Acks and reads need the backend; while one is in
flight, later frames of the same connection wait behind it, so a client sees its frames
answered in the order it sent them.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable
from datetime import UTC, datetime

from notifyhub_protocol import AckFrame, ErrorCode, PingFrame, ReadFrame, new_error_message, new_pong_message
from pydantic import MISSING, BaseModel

from .backends.base import BackendUnavailableError
from .connection import Connection
from .frames import FrameError, parse_client_frame
from .hub import Hub
from .messages import encode
from .wire import OutgoingFrame

logger = logging.getLogger(__name__)

MAX_WAITING_FRAMES = 64
"""Frames kept waiting behind a backend call; the rate limit keeps a client far below this."""

RATE_LIMITED_ERROR_INTERVAL_SECONDS = 1.0
"""A client over the frame rate gets at most one `rate_limited` error this often, not one per
dropped frame: answering a flood frame by frame would let it cost the hub and other users."""


class ClientReader:
    """Answers one connection's frames; forgets the connection when its socket closes."""

    __slots__ = ("_connection", "_hub", "_waiting", "_worker", "_rate_error_at")

    def __init__(self, connection: Connection, hub: Hub) -> None:
        self._connection = connection
        self._hub = hub
        self._waiting: deque[tuple[str | None, bytes | None]] | None = None
        self._worker: asyncio.Task | None = None
        self._rate_error_at = float("-inf")

    def frame_received(self, text: str | None, data: bytes | None) -> None:
        if self._connection.throttled:  # a flood's frames read before the socket was paused
            self._hub.metrics.client_frames_dropped.inc()
            return
        if self._waiting is not None:
            if len(self._waiting) < MAX_WAITING_FRAMES:
                self._waiting.append((text, data))
            else:
                self._slow_down("too many frames waiting for the backend; slow down")
            return
        pending = self._answer(text, data)
        if pending is not None:
            self._waiting = deque()
            self._worker = asyncio.get_running_loop().create_task(self._work_through(pending))

    def connection_closed(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        self._hub.forget(self._connection)

    async def _work_through(self, pending: Awaitable[None]) -> None:
        """Finish the backend call, then answer the frames that waited for it, in order."""
        while pending is not None:
            await self._guarded(pending)
            pending = None
            while pending is None and self._waiting:
                pending = self._answer(*self._waiting.popleft())
        self._waiting = self._worker = None

    async def _guarded(self, pending: Awaitable[None]) -> None:
        try:
            await pending
        except BackendUnavailableError:
            self._error(FrameError(ErrorCode.INTERNAL, "the backend is unavailable; send the frame again later"))
        except Exception:
            logger.exception("failed to handle a client frame")
            self._error(FrameError(ErrorCode.INTERNAL, "the hub failed to handle the frame"))

    def _answer(self, text: str | None, data: bytes | None) -> Awaitable[None] | None:
        """Answer one frame now, or return the backend call that answers it."""
        connection = self._connection
        if not connection.allow_client_frame():
            self._slow_down(f"too many frames; at most {self._hub.settings.client_frames_per_second:g} "
                            "per second (frames over it are dropped)")
            return None
        frame = parse_client_frame(text, data, self._hub.settings.max_json_depth)
        if isinstance(frame, FrameError):
            self._error(frame)
        elif isinstance(frame, PingFrame):
            self._send(new_pong_message(server_time=datetime.now(UTC)))
        elif isinstance(frame, (AckFrame, ReadFrame)):
            if frame.seq > connection.last_seq:
                self._error(FrameError(ErrorCode.INVALID_MESSAGE, f"seq {frame.seq} is past the last "
                                       f"message this connection received ({connection.last_seq})",
                                       {"errors": [{"pointer": "/seq", "type": "less_than_equal",
                                                    "message": "seq not yet received"}]}))
            elif isinstance(frame, AckFrame):
                return self._hub.acknowledge(connection, frame.seq)
            else:
                return self._hub.mark_read(connection, frame.seq)
        return None

    def _slow_down(self, message: str) -> None:
        """Drop the frame, stop reading the client for a while, and say so at most once a second."""
        self._connection.throttle()
        self._hub.metrics.client_frames_dropped.inc()
        now = asyncio.get_running_loop().time()
        if now - self._rate_error_at >= RATE_LIMITED_ERROR_INTERVAL_SECONDS:
            self._rate_error_at = now
            self._error(FrameError(ErrorCode.RATE_LIMITED, message))

    def _send(self, message: BaseModel) -> None:
        self._connection.enqueue(OutgoingFrame(encode(message)))

    def _error(self, error: FrameError) -> None:
        self._hub.metrics.client_errors.labels(code=error.code.value).inc()
        self._send(new_error_message(code=error.code.value, message=error.message,
                                     details=error.details or MISSING))
