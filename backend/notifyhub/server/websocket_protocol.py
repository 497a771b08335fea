"""The WebSocket adapter: uvicorn's sans-I/O WebSocket protocol with what the hub needs on top.

The handshake of the hub's WebSocket path goes to the `UpgradeGate` the server was built with as
soon as the request is parsed: it authenticates, then calls `accept` or `deny` here, so a
handshake costs no ASGI scope, no routing and no ASGI task. Any other path (and an app without
a gate) goes through the ASGI app as in uvicorn. Once the hub has accepted a connection it takes
the connection over (`hand_over`): frames go straight from the parser to a `FrameListener`. A
connection then costs no coroutine stack, no ASGI queue and no copy of its handshake, only what
it needs to live.

Further additions, each because ASGI cannot express it:
- activity: the loop time of the last bytes received, pongs included, for the idle timeout;
- direct writes: several frames in one `transport.write`, with wire bytes shared by receivers;
  the 101 in the same write as the first frames when the hub queues them during the handshake;
- closing a connection whose peer stopped reading, which an awaited ASGI close never finishes;
- no reading while the peer does not read: pongs and close frames cannot pile up in memory, so
  everything the hub writes stays within the connection's send budget and the write timeout;
- pausing a flooding client's socket (`pause_reading_for`);
- less memory per connection: every attribute in a slot, and keep-alive pings on the server's
  shared `pings` deadlines (`notifyhub.deadlines`) instead of a timer each.

It implements `notifyhub.connection.Socket`. The FastAPI route finds it in
`scope["extensions"][SOCKET_EXTENSION]`.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import socket
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from typing import Any, Protocol
from urllib.parse import unquote

from uvicorn._types import ASGIReceiveEvent
from uvicorn.logging import TRACE_LOG_LEVEL
from uvicorn.protocols.utils import ClientDisconnected, is_ssl
from uvicorn.protocols.websockets.websockets_sansio_impl import STATUS_PHRASES, WebSocketsSansIOProtocol
from websockets.datastructures import Headers
from websockets.exceptions import InvalidHeaderValue, InvalidState
from websockets.http11 import Request, Response
from websockets.protocol import Protocol as WebSocketsProtocol
from websockets.server import ServerProtocol

from ..connection import SOCKET_EXTENSION, FlowListener, FrameListener
from ..deadlines import Deadlines
from ..wire import OutgoingFrame, close_reason
from .eager import run_eagerly

INPUT_SLICE_BYTES = 16 * 1024
"""How much of one read is parsed before checking whether the reader throttled the client: at
most this much of a flood is parsed per pause (about a millisecond of CPU)."""
RECEIVE_BUFFER_BYTES = 64 * 1024
"""The kernel's receive buffer of an accepted WebSocket. Clients send little; left to grow (up to
`tcp_rmem`, often 32 MiB), it would let a flooding client park megabytes in the kernel, drained
a slice per pause."""



class UpgradeGate(Protocol):
    """Serves the handshake of one path without ASGI (see `notifyhub.admission.Admission`)."""

    path: str

    def upgrade(self, socket: NotifyhubWebSocketProtocol, query_string: str, headers: Mapping[str, str],
                subprotocols: list[str]) -> None:
        """Call exactly one of `socket.accept` or `socket.deny`, without awaiting."""


class RequestHeaders(Mapping[str, str]):
    """A request's headers by case-insensitive name, first value of a repeated header (as
    Starlette's `Headers.get`)."""

    __slots__ = ("_headers",)

    def __init__(self, headers: Headers) -> None:
        self._headers = headers

    def __getitem__(self, name: str) -> str:
        values = self._headers.get_all(name)
        if not values:
            raise KeyError(name)
        return values[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers)

    def __len__(self) -> int:
        return len(self._headers)


class _Discard:
    """Stands in for the ASGI receive queue after hand-over: uvicorn still reports events to it."""

    __slots__ = ()

    def put_nowait(self, event: ASGIReceiveEvent) -> None:
        pass


_DISCARD = _Discard()


class _Flag:
    """Stands in for uvicorn's `writable` Event after hand-over, when nothing awaits it."""

    __slots__ = ("_set",)

    def __init__(self, value: bool) -> None:
        self._set = value

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True

    def clear(self) -> None:
        self._set = False


def parsed_request(method: str, target: bytes, headers: Sequence[tuple[bytes, bytes]]) -> Request | None:
    """The handshake request websockets would parse from this head, or None when the head is one
    that websockets itself must judge (and refuse): not a GET, a body announced, a target that is
    not ASCII. httptools has already refused malformed lines, names and values, and the hub's
    `WireLimits` (within websockets' own line and header-count limits) everything too long."""
    if method != "GET":
        return None
    try:
        path = target.decode("ascii")
    except UnicodeDecodeError:
        return None
    pairs = []
    for name, value in headers:
        if name in (b"transfer-encoding", b"content-length"):
            return None
        pairs.append((name.decode("ascii"), value.decode("latin-1")))
    try:
        return Request(path, Headers(pairs))
    except InvalidHeaderValue:
        return None


class _OpenCloseAtDebug(logging.LoggerAdapter):
    """The logger handed to `websockets`, which writes "connection open" and "connection closed"
    at INFO for every connection: those two go out at DEBUG, as the hub's own per-connection lines
    do, since at the default level a formatted, redacted line was about 5% of a handshake's CPU.
    Warnings and errors pass unchanged."""

    def info(self, msg: object, *args: object, **kwargs: Any) -> None:
        self.debug(msg, *args, **kwargs)


_WEBSOCKETS_LOGGER = _OpenCloseAtDebug(logging.getLogger("uvicorn.error"), {})
"""One adapter for every connection: uvicorn gives each the same logger, and an adapter of its
own cost each connection two objects for as long as it lived."""


class NotifyhubWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's `websockets-sansio` protocol, with hand-over, activity, batched writes and
    forced close."""

    # Every attribute, uvicorn's included, in a slot: uvicorn's class has no slots, and its
    # forty-odd attributes in each connection's own dictionary (too many to share its keys) took
    # about 1.5 KB per connection, a fifth of an idle one. A slot here takes the attribute over
    # wherever it is assigned; the instance dictionary stays empty.
    __slots__ = (
        # uvicorn's WebSocketsSansIOProtocol
        "config", "app", "loop", "logger", "root_path", "asgi_version", "app_state", "connections", "tasks",
        "default_headers", "transport", "server", "client", "scheme", "queue", "handshake_initiated",
        "handshake_complete", "close_sent", "disconnected", "close_timer", "close_timeout", "initial_response",
        "conn", "read_paused", "writable", "ping_interval", "ping_timeout", "ping_timer", "pong_timer",
        "pending_ping_payload", "ping_sent_at", "last_ping_rtt", "frames", "curr_msg_data_type", "scope",
        "request", "response",
        # this class
        "gate", "pings", "last_received", "flow_listener", "listener", "_writes_paused", "_throttle", "_unparsed",
        "_unsent_response",
    )

    def __init__(self, *args, gate: UpgradeGate | None = None, pings: Deadlines | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conn.logger = _WEBSOCKETS_LOGGER
        self.gate = gate
        self.pings = pings
        self.last_received = self.loop.time()
        self.flow_listener: FlowListener | None = None
        self.listener: FrameListener | None = None
        self._writes_paused = False
        self._throttle: asyncio.TimerHandle | None = None
        self._unparsed: list[bytes] = []
        self._unsent_response: bytes | None = None

    def data_received(self, data: bytes) -> None:
        self.last_received = self.loop.time()
        if self.listener is None or len(data) <= INPUT_SLICE_BYTES and not self._unparsed:
            super().data_received(data)
            return
        self._parse_sliced(data)

    def _parse_sliced(self, data: bytes) -> None:
        """Parse a large read a slice at a time, and keep what is left once the reader throttles
        the client: a flooding client's read (up to 256 KiB of tiny frames) is not parsed whole
        only to be dropped, and is parsed in order when the pause ends."""
        if self._unparsed:
            self._unparsed.append(data)
            return
        for start in range(0, len(data), INPUT_SLICE_BYTES):
            if self._throttle is not None and not self.close_sent:
                self._unparsed.append(data[start:])
                return
            super().data_received(data[start:start + INPUT_SLICE_BYTES])
            if self.transport.is_closing():
                return

    def connection_upgraded(self, transport: asyncio.Transport, server: tuple[str, int | None] | None,
                            client: tuple[str, int] | None) -> None:
        """`connection_made` for a socket the HTTP protocol held, with the addresses it already
        read: asking the socket again cost two system calls and four objects per handshake."""
        self.connections.add(self)
        self.transport = transport
        self.server, self.client = server, client
        self.scheme = "wss" if is_ssl(transport) else "ws"
        if self.logger.level <= TRACE_LOG_LEVEL:
            self.logger.log(TRACE_LOG_LEVEL, "%sWebSocket connection made", "%s:%d - " % client if client else "")

    def upgrade_parsed(self, request: Request) -> None:
        """Serve the handshake of a request the HTTP protocol already parsed: websockets' parser
        moves on to frames, as it does after parsing a request itself, and the request is handled
        as the event it would have produced. Call right after `connection_made` or
        `connection_upgraded`."""
        conn = self.conn
        conn.parser = WebSocketsProtocol.parse(conn)
        next(conn.parser)
        self.handle_connect(request)

    def handle_connect(self, event: Request) -> None:
        raw_path, _, query_string = event.path.partition("?")
        gate = self.gate
        if gate is None or self.root_path or unquote(raw_path) != gate.path:
            super().handle_connect(event)
            scope = getattr(self, "scope", None)
            if scope is not None:
                scope["extensions"][SOCKET_EXTENSION] = self
            return
        self.request = event
        self.response = _switching_protocols(self.conn, event)
        self.handshake_initiated = True
        if self.response.status_code != 101:  # not a valid upgrade: websockets' own refusal
            self.handshake_complete = self.close_sent = True
            self.conn.send_response(self.response)
            self.transport.write(b"".join(self.conn.data_to_send()))
            self.transport.close()
            return
        subprotocols = [token.strip() for header in event.headers.get_all("Sec-WebSocket-Protocol")
                        for token in header.split(",")]
        try:
            gate.upgrade(self, query_string, RequestHeaders(event.headers), subprotocols)
        except Exception:
            self._write(b"")
            self.logger.exception("Exception while opening a WebSocket connection\n")
            self.send_500_response()
            self.transport.close()
            return
        self._write(b"")  # the 101, unless the first frames already took it along

    def accept(self, subprotocol: str | None) -> bool:
        """Send the 101 response (as uvicorn would for `websocket.accept`); False if the socket
        is already closing. The 101 goes out with the first frames written before the handshake's
        end, or alone at its end: one system call, not two, for a connection that goes live at
        once. Logged at DEBUG, not at INFO as uvicorn does: a formatted, redacted line for every
        connection cost about 3% of a handshake."""
        if self.logger.isEnabledFor(logging.DEBUG):
            self.logger.debug('%s - "WebSocket %s" [accepted]', self._client_address(), self.request.path)
        headers = self.response.headers
        for name, value in self.default_headers:
            headers[name.decode("latin-1")] = value.decode("latin-1")
        if subprotocol:
            headers["Sec-WebSocket-Protocol"] = subprotocol
        if self.transport.is_closing():
            return False
        self.handshake_complete = True
        self.conn.send_response(self.response)
        self._unsent_response = b"".join(self.conn.data_to_send())
        self.start_keepalive()
        return True

    def deny(self, status: int, body: bytes) -> None:
        """Refuse the handshake with an HTTP response carrying a JSON body, then close."""
        self.logger.info('%s - "WebSocket %s" %d', self._client_address(), self.request.path, status)
        headers = Headers([("content-length", str(len(body))), ("content-type", "application/json"),
                           ("Date", email.utils.formatdate(usegmt=True)), ("Connection", "close")])
        self.handshake_complete = self.close_sent = True
        self.conn.send_response(Response(status, STATUS_PHRASES[status], headers, body))
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.transport.close()

    def _client_address(self) -> str:
        return "%s:%d" % self.client if self.client else ""

    def run(self, work: Coroutine[Any, Any, None], eagerly: bool = False) -> None:
        """Run the rest of an accepted handshake in a task uvicorn holds (and cancels at shutdown);
        eagerly: at once, in a task only if it has to wait (see eager.py)."""
        if eagerly:
            run_eagerly(self._run_upgraded(work), self.tasks)
            return
        task = self.loop.create_task(self._run_upgraded(work))
        task.add_done_callback(self.on_task_complete)
        self.tasks.add(task)

    async def _run_upgraded(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except BaseException as exc:
            if not isinstance(exc, asyncio.CancelledError):
                self.logger.exception("Exception while opening a WebSocket connection\n")
            if self.listener is None:
                self._write(b"")
                self.transport.close()
            if isinstance(exc, asyncio.CancelledError):
                raise

    def schedule_ping(self) -> None:
        """uvicorn's, on the server's shared `pings` deadlines rather than a timer of its own."""
        if self.pings is None:
            super().schedule_ping()
            return
        delay = max(0.0, self.ping_interval - self.last_ping_rtt)
        self.ping_timer = self.pings.call_at(self.loop.time() + delay, self.send_keepalive_ping)

    def pause_writing(self) -> None:
        super().pause_writing()
        if self.listener is not None:
            self._writes_paused = True
            self._update_reading()
        if self.flow_listener is not None:
            self.flow_listener.writing_paused()

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._writes_paused:
            self._writes_paused = False
            self._update_reading()
        if self.flow_listener is not None:
            self.flow_listener.writing_resumed()

    def pause_reading_for(self, seconds: float) -> None:
        if self._throttle is not None or self.closed:
            return
        self._throttle = self.loop.call_later(seconds, self._end_throttle)
        self._update_reading()

    def _end_throttle(self) -> None:
        self._throttle = None
        if self._unparsed and not self.transport.is_closing():
            unparsed, self._unparsed = b"".join(self._unparsed), []
            self._parse_sliced(unparsed)
        self._update_reading()

    @property
    def throttled(self) -> bool:
        return self._throttle is not None

    def _update_reading(self) -> None:
        """Read only while the peer reads what is written to it and is not being throttled (after
        hand-over; before it, uvicorn's own flow control applies). Once a close was sent, a
        throttled peer is read again, since its close reply ends the connection sooner than the
        abort timer; a peer that does not read stays unread, or its pings would pile up pongs."""
        paused = self._writes_paused or (self._throttle is not None and not self.close_sent)
        if paused != self.read_paused and not self.transport.is_closing():
            self.read_paused = paused
            if paused:
                self.transport.pause_reading()
            else:
                self.transport.resume_reading()

    def hand_over(self, listener: FrameListener) -> None:
        """Deliver this connection's frames to listener from now on; the ASGI app may return.

        Frames (or a disconnect) that arrived while the app was still busy are passed on first.
        """
        pending, self.queue = self.queue, _DISCARD
        self.listener = listener
        _limit_receive_buffer(self.transport)
        self.writable = _Flag(self.writable.is_set())
        # The handshake is no longer needed. The parser's generator still holds the request,
        # so its headers are emptied rather than just dropped.
        self.request.headers.clear()
        self.response.headers.clear()
        self.scope = self.request = self.response = None
        while not pending.empty():
            event = pending.get_nowait()
            if event["type"] == "websocket.receive":
                listener.frame_received(event.get("text"), event.get("bytes"))
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        if self.disconnected:
            listener.connection_closed()

    def send_receive_event_to_app(self) -> None:
        if self.listener is None:
            super().send_receive_event_to_app()
            return
        data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
        self.frames = []
        if self.close_sent:
            return
        if self.curr_msg_data_type != "text":
            self.listener.frame_received(None, data)
            return
        try:
            text = data.decode()
        except UnicodeDecodeError:
            self.close_now(1007, "invalid UTF-8", abort_after=self.close_timeout)
            return
        self.listener.frame_received(text, None)

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if self._throttle is not None:
            self._throttle.cancel()
            self._throttle = None
        self._unparsed = []
        if self.listener is not None:
            self.listener.connection_closed()
            self.listener = self.flow_listener = None

    async def run_asgi(self) -> None:
        # uvicorn's, except that a connection the hub took over stays open when the app returns.
        try:
            result = await self.app(self.scope, self.receive, self.send)
        except ClientDisconnected:
            pass
        except BaseException:
            self.logger.exception("Exception in ASGI application\n")
            self.send_500_response()
        else:
            if not self.handshake_complete:
                self.logger.error("ASGI callable returned without completing handshake.")
                self.send_500_response()
            elif result is not None:
                self.logger.error("ASGI callable should return None, but returned '%s'.", result)
        if self.listener is None and self.close_timer is None:
            self.transport.close()

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
            self._write(frames[0].wire if len(frames) == 1 else b"".join(f.wire for f in frames))
            return
        try:
            for frame in frames:
                self.conn.send_text(frame.payload)
        except InvalidState:
            return
        self._write(b"".join(self.conn.data_to_send()))

    def _write(self, data: bytes) -> None:
        """Write data, after the 101 if that has not gone out yet (see `accept`)."""
        if self._unsent_response is not None:
            data, self._unsent_response = self._unsent_response + data, None
        if data:
            self.transport.write(data)

    def close_now(self, code: int, reason: str, abort_after: float) -> None:
        """Send a close frame after what is already written, then drop the socket.

        The transport is aborted if the peer has not answered within abort_after seconds, so a
        peer that stopped reading cannot hold the connection (or its buffer) open. Safe to call
        more than once.
        """
        if self.closed or self.transport.is_closing():
            return
        reason = close_reason(reason)
        self.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": reason})
        try:
            self.conn.send_close(code, reason)
        except InvalidState:
            return
        self._write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        self._update_reading()
        self.close_timer = self.loop.call_later(abort_after, self.transport.abort)


def _switching_protocols(conn: ServerProtocol, request: Request) -> Response:
    """websockets' `ServerProtocol.accept`, but without the `Date` header it formats (about 3% of a
    handshake) only for `accept` to replace it with the server's: the 101 with the accept key and
    extensions of a valid handshake request, or websockets' own refusal of any other."""
    try:
        accept_key, extensions, protocol = conn.process_request(request)
    except Exception:
        return conn.accept(request)  # checks the request again, and refuses it as websockets does
    conn.accept_called = True
    headers = Headers()
    headers["Upgrade"] = "websocket"
    headers["Connection"] = "Upgrade"
    headers["Sec-WebSocket-Accept"] = accept_key
    if extensions is not None:
        headers["Sec-WebSocket-Extensions"] = extensions
    if protocol is not None:
        headers["Sec-WebSocket-Protocol"] = protocol
    return Response(101, "Switching Protocols", headers)


def _limit_receive_buffer(transport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # A peer that aborted during the handshake leaves a closed socket (fd -1): ValueError.
        with contextlib.suppress(OSError, ValueError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
