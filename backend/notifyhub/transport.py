"""The socket adapter: uvicorn's sans-I/O WebSocket protocol with what the hub needs on top.

Three additions, each because ASGI cannot express it:
- activity: the loop time of the last bytes received, pongs included, for the idle timeout;
- direct writes: several text frames in one `transport.write`, without awaiting the ASGI send;
- closing a connection whose peer stopped reading, which an awaited ASGI close never finishes.

The hub finds the protocol in `scope["extensions"][EXTENSION]`.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Protocol

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.http11 import Request

EXTENSION = "notifyhub.transport"


class OutgoingFrame:
    """One text frame for any number of receivers.

    Server frames are not masked, so without compression the bytes on the wire (header and
    payload) are the same for every receiver: they are built once, on first use, and shared.
    """

    __slots__ = ("payload", "_wire")

    def __init__(self, payload: bytes) -> None:
        self.payload = payload
        self._wire: bytes | None = None

    def __len__(self) -> int:
        return len(self.payload)

    @property
    def wire(self) -> bytes:
        if self._wire is None:
            self._wire = text_frame_header(len(self.payload)) + self.payload
        return self._wire


def text_frame_header(length: int) -> bytes:
    """RFC 6455 header of a final, unmasked text frame of `length` payload bytes."""
    if length < 126:
        return bytes((0x81, length))
    if length < 1 << 16:
        return struct.pack("!BBH", 0x81, 126, length)
    return struct.pack("!BBQ", 0x81, 127, length)


class FlowListener(Protocol):
    """Told when the socket's write buffer crosses its high or low water mark."""

    def writing_paused(self) -> None: ...

    def writing_resumed(self) -> None: ...


class NotifyhubWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's `websockets-sansio` protocol, exposing activity, batched writes and forced close."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.last_received = self.loop.time()
        self.flow_listener: FlowListener | None = None

    def data_received(self, data: bytes) -> None:
        self.last_received = self.loop.time()
        super().data_received(data)

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)
        if scope is not None:
            scope["extensions"][EXTENSION] = self

    def pause_writing(self) -> None:
        super().pause_writing()
        if self.flow_listener is not None:
            self.flow_listener.writing_paused()

    def resume_writing(self) -> None:
        super().resume_writing()
        if self.flow_listener is not None:
            self.flow_listener.writing_resumed()

    async def send(self, message) -> None:
        await super().send(message)
        # uvicorn leaves a denied handshake "incomplete" and then logs a spurious error about it.
        if message["type"] == "websocket.http.response.body" and not message.get("more_body", False):
            self.handshake_complete = True

    @property
    def can_write(self) -> bool:
        """True while the handshake is done, no close was sent and the buffer is below high water."""
        return (self.handshake_complete and not self.close_sent and not self.disconnected
                and self.writable.is_set())

    @property
    def closed(self) -> bool:
        return self.close_sent or self.disconnected

    def write_frames(self, frames: Sequence[OutgoingFrame]) -> None:
        """Write text frames in one system call; shared wire bytes unless compression is on."""
        if self.closed:
            return
        if not self.conn.extensions:
            self.transport.write(frames[0].wire if len(frames) == 1 else b"".join(f.wire for f in frames))
            return
        try:
            for frame in frames:
                self.conn.send_text(frame.payload)
        except InvalidState:
            return
        self.transport.write(b"".join(self.conn.data_to_send()))

    def close_now(self, code: int, reason: str, abort_after: float) -> None:
        """Send a close frame after what is already written, then drop the socket.

        The transport is aborted if the peer has not answered within abort_after seconds, so a
        peer that stopped reading cannot hold the connection (or its buffer) open. Safe to call
        more than once.
        """
        if self.closed or self.transport.is_closing():
            return
        self.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": reason})
        try:
            self.conn.send_close(code, reason)
        except InvalidState:
            return
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        self.close_timer = self.loop.call_later(abort_after, self.transport.abort)
