"""The HTTP adapter: uvicorn's httptools protocol, guarded at the wire, with the publish routes
answered without an ASGI cycle.

Guarded: before any application code runs, every connection is held to `WireLimits`:
- a request head has a byte limit, a header-count limit and a per-line limit (414 for the
  target, 431 for a header), checked while it arrives, so nothing past them is buffered;
- a head must arrive within the head timeout, and a body within the body timeout with no pause
  longer than the idle timeout between chunks (408 where an answer can still be written);
- past `max_connections` open sockets a new one is answered 503 at once, so the process never
  runs out of file descriptors;
- a publish request's service key and declared size are checked when its head is complete
  (401/413 at once, the body never read), and bodies being read count against a server-wide
  memory budget (503 past it);
- a WebSocket upgrade must be HTTP/1.1, with no body.

The publish routes: a service publishing one message per request pays for the HTTP stack more
than for the hub, so this protocol reads `POST /api/v1/messages` and `/batch` itself and answers
from `ServiceApi` with one `transport.write`; with the memory backend the answer runs at once,
without a task (eager.py). Everything else goes through ASGI as in uvicorn. Pipelining stays
ordered: while a publish is answered it stands in as uvicorn's current cycle, so a request behind
it waits in uvicorn's pipeline (a publish behind another request is left to the FastAPI route).
"""

from __future__ import annotations

import asyncio
from urllib.parse import unquote

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

from notifyhub_protocol import RefusalReason

from ..answers import Answer, refusal
from ..service_api import ServiceApi, declared_length
from .eager import run_eagerly
from .limits import ServerLoad, WireLimits
from .websocket_protocol import NotifyhubWebSocketProtocol, parsed_request

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
LINE_OVERHEAD = 24
"""Bytes a line adds around the target or a header field when uvicorn writes the head again for
the WebSocket parser (`DELETE <target> HTTP/1.1\r\n`, `<name>: <value>\r\n`), whose line limit the
upgrade must also fit."""


_HEAD, _BODY, _NOTHING = "head", "body", "nothing"
"""What a connection awaits from its peer, and so which deadline applies."""


class _Refused(Exception):
    """Raised in a parser callback to stop parsing a request that was just refused."""


class _NoEvent:
    """uvicorn sets its cycle's `message_event` when the connection is lost; nothing waits here."""

    __slots__ = ()

    def set(self) -> None:
        pass


_NO_EVENT = _NoEvent()


class _PublishCycle:
    """One publish request answered by this protocol; stands in for uvicorn's RequestResponseCycle
    (the attributes uvicorn reads: `response_complete`, `disconnected`, `keep_alive`,
    `message_event`)."""

    __slots__ = ("path", "idempotency_key", "chunks", "size", "reserved", "too_large", "keep_alive",
                 "response_complete", "disconnected", "message_event")

    def __init__(self, path: str, idempotency_key: str | None, keep_alive: bool, reserved: int) -> None:
        self.path = path
        self.idempotency_key = idempotency_key
        self.chunks: list[bytes] = []
        self.size = 0
        self.reserved = reserved
        self.too_large = False
        self.keep_alive = keep_alive
        self.response_complete = False
        self.disconnected = False
        self.message_event = _NO_EVENT

    @property
    def response_started(self) -> bool:
        return self.response_complete


BUSY = {"Retry-After": "1"}
INTERNAL_ERROR_LINES = b"content-type: text/plain; charset=utf-8\r\ncontent-length: 21\r\n"


class NotifyhubHttpProtocol(HttpToolsProtocol):
    """uvicorn's `httptools` protocol with wire limits; publish requests answered without ASGI."""

    def __init__(self, *args, service_api: ServiceApi | None, limits: WireLimits, load: ServerLoad,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._api = service_api
        self._limits = limits
        self._load = load
        self._reading_head = True
        self._head_bytes = 0
        self._header_count = 0
        self._request_begun = False
        self._awaiting = _HEAD
        self._head_deadline = 0.0
        self._body_started = 0.0
        self._body_progress = 0.0
        self._watchdog: asyncio.TimerHandle | None = None
        self._refused = False
        self._default_headers: list[tuple[bytes, bytes]] | None = None
        self._default_lines = b""

    # Connections

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        if len(self.connections) > self._limits.max_connections:
            self._load.log_refusal(self.loop.time(), "refusing connections: %d open, the limit is %d",
                                   len(self.connections), self._limits.max_connections)
            self._refuse(refusal(RefusalReason.SERVER_BUSY, "too many open connections; retry later", BUSY))
            return
        self._head_deadline = self.loop.time() + self._limits.head_timeout
        self._watchdog = self.loop.call_later(self._limits.shortest_timeout, self._watch)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if isinstance(self.cycle, _PublishCycle):
            self._release(self.cycle)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if self._refused:
            return
        while data:
            if self._reading_head:
                room = self._limits.max_head_bytes - self._head_bytes
                if room <= 0:
                    self._refuse(refusal(RefusalReason.REQUEST_HEAD_TOO_LARGE, "the request head is longer "
                                         f"than {self._limits.max_head_bytes} bytes"))
                    return
                chunk, data = (data, b"") if len(data) <= room else (data[:room], data[room:])
                self._head_bytes += len(chunk)
            else:
                chunk, data = data, b""
            if not self._feed(chunk):
                return

    def _feed(self, chunk: bytes) -> bool:
        """Parse chunk; False once the connection was upgraded, refused or failed."""
        try:
            self.parser.feed_data(chunk)
        except httptools.HttpParserUpgrade:
            if not self._refused:
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                else:
                    self._unsupported_upgrade_warning()
            return False
        except httptools.HttpParserError:
            if not self._refused:
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
            return False
        return not self._refused

    def handle_websocket_upgrade(self) -> None:
        """Hand the connection to the WebSocket protocol with the request as httptools parsed it;
        only a request `parsed_request` leaves to websockets is written out and parsed again."""
        self._disarm()
        request = parsed_request(self.scope["method"], self.url, self.headers)
        protocol = self.ws_protocol_class(config=self.config, server_state=self.server_state,
                                          app_state=self.app_state)
        if request is None or not isinstance(protocol, NotifyhubWebSocketProtocol):
            super().handle_websocket_upgrade()
            return
        self.connections.discard(self)
        protocol.connection_upgraded(self.transport, self.server, self.client)
        protocol.upgrade_parsed(request)
        self.transport.set_protocol(protocol)

    # Parser callbacks

    def on_message_begin(self) -> None:
        # A publish answered at once arms uvicorn's keep-alive timeout while the parser may still
        # hold a pipelined request; a request that begins is never idle.
        self._unset_keepalive_if_required()
        super().on_message_begin()
        self._request_begun = True
        self._reading_head = True
        self._header_count = 0
        self._awaiting = _HEAD
        self._head_deadline = self.loop.time() + self._limits.head_timeout

    def on_url(self, url: bytes) -> None:
        self.url += url
        if len(self.url) + LINE_OVERHEAD > self._limits.max_line_bytes:
            self._refuse(refusal(RefusalReason.REQUEST_TARGET_TOO_LARGE, "the request target is longer "
                                 f"than {self._limits.max_line_bytes} bytes"))
            raise _Refused

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self._limits.max_headers:
            self._refuse(refusal(RefusalReason.REQUEST_HEAD_TOO_LARGE,
                                 f"more than {self._limits.max_headers} header fields"))
            raise _Refused
        if len(name) + len(value) + LINE_OVERHEAD > self._limits.max_line_bytes:
            self._refuse(refusal(RefusalReason.REQUEST_HEAD_TOO_LARGE, "a header field is longer "
                                 f"than {self._limits.max_line_bytes} bytes"))
            raise _Refused
        # uvicorn's own on_header, inline: this runs for every header of every request
        name = name.lower()
        if name == b"expect" and value.lower() == b"100-continue":
            self.expect_100_continue = True
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self._reading_head, self._head_bytes = False, 0
        self._awaiting = _BODY
        self._body_started = self._body_progress = self.loop.time()
        parser = self.parser
        if parser.should_upgrade() and parser.get_http_version() != "1.1":
            self._refuse(refusal(RefusalReason.UNSUPPORTED_HTTP_VERSION, "a WebSocket upgrade needs HTTP/1.1"))
            raise _Refused
        if parser.should_upgrade() and self._announces_body():
            # httptools would wait for the body before reporting the upgrade, and websockets
            # refuses a handshake with one: answer now rather than hold the socket.
            self._refuse(refusal(RefusalReason.INVALID_UPGRADE, "a WebSocket handshake has no body"))
            raise _Refused
        cycle = self._publish_cycle()
        if cycle is None:
            super().on_headers_complete()
        else:
            self.cycle = cycle  # type: ignore[assignment]

    def _announces_body(self) -> bool:
        return any(name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0")
                   for name, value in self.headers)

    def _publish_cycle(self) -> _PublishCycle | None:
        """A cycle for this request if it is a publish this protocol answers, else None.

        Raises _Refused (after answering) when the key, the declared size or the memory budget
        refuses it.
        """
        api, parser = self._api, self.parser
        if api is None or parser.get_method() != b"POST" or parser.should_upgrade():
            return None
        url = httptools.parse_url(self.url)
        path = url.path.decode("latin-1")
        path = unquote(path) if "%" in path else path
        if not api.serves(path):
            return None
        authorization, declared, idempotency_key = "", None, None
        for name, value in self.headers:
            if name == b"authorization" and not authorization:
                authorization = value.decode("latin-1")
            elif name == b"content-length" and declared is None:
                declared = declared_length(value)
            elif name == b"idempotency-key" and idempotency_key is None:
                idempotency_key = value.decode("latin-1")
        refused = api.refuse_head(authorization, declared, idempotency_key)
        if refused is None and declared is not None and not self._load.reserve(declared):
            self._load.log_refusal(self.loop.time(), "refusing publish requests: %d bytes of bodies "
                                   "pending, the limit is %d", self._load.pending_bytes, self._load.limit)
            refused = refusal(RefusalReason.SERVER_BUSY, "too many request bodies pending; retry later", BUSY)
        if refused is not None:
            self._refuse(refused)
            raise _Refused
        if self.root_path or (self.cycle is not None and not self.cycle.response_complete):
            if declared is not None:
                self._load.release(declared)
            return None  # uvicorn's pipeline keeps the order; the FastAPI route answers it
        if self.expect_100_continue:
            self.transport.write(CONTINUE)
        self.scope["method"] = "POST"
        self.scope["path"] = path
        self.scope["query_string"] = url.query or b""
        keep_alive = parser.get_http_version() == "1.1" and parser.should_keep_alive()
        return _PublishCycle(path, idempotency_key, keep_alive, declared or 0)

    def on_body(self, body: bytes) -> None:
        self._body_progress = self.loop.time()
        cycle = self.cycle
        if not isinstance(cycle, _PublishCycle):
            super().on_body(body)
            return
        if cycle.too_large:
            return
        cycle.size += len(body)
        if cycle.size > self._api.max_body_bytes:
            cycle.too_large, cycle.chunks = True, []
            return
        if cycle.size > cycle.reserved:  # a chunked body reserves as it arrives
            if not self._load.reserve(cycle.size - cycle.reserved):
                self._refuse(refusal(RefusalReason.SERVER_BUSY, "too many request bodies pending; retry later", BUSY),
                             reading_body=True)
                raise _Refused
            cycle.reserved = cycle.size
        cycle.chunks.append(body)

    def on_message_complete(self) -> None:
        self._awaiting = _NOTHING
        cycle = self.cycle
        if not isinstance(cycle, _PublishCycle):
            super().on_message_complete()
            return
        answer = self._answer(cycle)
        if self._api.hub.backend.waits:
            task = self.loop.create_task(answer)
            task.add_done_callback(self.tasks.discard)
            self.tasks.add(task)
        else:
            run_eagerly(answer, self.tasks)

    # Answers

    async def _answer(self, cycle: _PublishCycle) -> None:
        body = None if cycle.too_large else (cycle.chunks[0] if len(cycle.chunks) == 1 else b"".join(cycle.chunks))
        cycle.chunks = []
        try:
            answer = await self._api.answer(cycle.path, body, cycle.idempotency_key)
        except Exception:
            self.logger.exception("Exception in ASGI application\n")  # as uvicorn words it
            cycle.keep_alive = False
            self._respond(cycle, 500, INTERNAL_ERROR_LINES, b"Internal Server Error")
            return
        payload = answer.rendered()
        self._respond(cycle, answer.status, answer.header_lines(len(payload)), payload)

    def _respond(self, cycle: _PublishCycle, status: int, header_lines: bytes, body: bytes) -> None:
        """Write the whole response with one system call, as uvicorn's cycle would frame it."""
        cycle.response_complete = True
        self._release(cycle)
        if cycle.disconnected:
            return
        if self.access_log:
            self.access_logger.info('%s - "%s %s HTTP/%s" %d', get_client_addr(self.scope), "POST",
                                    get_path_with_query_string(self.scope), "1.1", status)
        self.transport.write(self._response_bytes(status, header_lines, body, cycle.keep_alive))
        if not cycle.keep_alive:
            self.transport.close()
        self.on_response_complete()

    def _response_bytes(self, status: int, header_lines: bytes, body: bytes, keep_alive: bool) -> bytes:
        return b"".join((STATUS_LINE[status], self._default_header_lines(), header_lines,
                         b"" if keep_alive else b"connection: close\r\n", b"\r\n", body))

    def _default_header_lines(self) -> bytes:
        """uvicorn's default headers (date, server) as head lines, formatted again only when
        uvicorn replaces them (with a new date, once a second)."""
        headers = self.server_state.default_headers
        if headers is not self._default_headers:
            self._default_headers = headers
            self._default_lines = b"".join(b"%s: %s\r\n" % header for header in headers)
        return self._default_lines

    def _refuse(self, answer: Answer, reading_body: bool = False) -> None:
        """Answer now and close: the rest of the request is never read.

        Only close when an answer cannot be written any more: while the head is read, an earlier
        request's response still being produced (a refusal must not overtake it); while the body
        is read, the app already started this request's response.
        """
        self._refused = True
        self._disarm()
        cycle = self.cycle
        if isinstance(cycle, _PublishCycle):
            self._release(cycle)
        if reading_body:
            answerable = not getattr(cycle, "response_started", False) and not cycle.response_complete
        else:
            answerable = cycle is None or cycle.response_complete
        if answerable:
            payload = answer.rendered()
            self.transport.write(self._response_bytes(answer.status, answer.header_lines(len(payload)),
                                                      payload, keep_alive=False))
        self.transport.close()

    def _release(self, cycle: _PublishCycle) -> None:
        if cycle.reserved:
            self._load.release(cycle.reserved)
            cycle.reserved = 0

    # Time limits

    def _disarm(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None

    def _watch(self) -> None:
        """One timer per connection checks the deadline of what it awaits: the head (408 if a
        request began, else the socket is closed), or the body (408). Requests themselves only
        note the time, so a keep-alive connection costs no timer per request. Between deadlines
        it looks every `shortest_timeout`: any deadline set meanwhile is at least that far off,
        so none is checked late."""
        now = self.loop.time()
        if self._awaiting is _HEAD:
            deadline = self._head_deadline
        elif self._awaiting is _BODY:
            deadline = min(self._body_progress + self._limits.body_idle_timeout,
                           self._body_started + self._limits.body_timeout)
        else:
            deadline = now + self._limits.shortest_timeout
        if now < deadline:
            self._watchdog = self.loop.call_later(deadline - now, self._watch)
            return
        self._watchdog = None
        if self._awaiting is _BODY:
            self._refuse(refusal(RefusalReason.REQUEST_TIMEOUT, "the request body did not arrive in time"),
                         reading_body=True)
        elif self._request_begun:
            self._refuse(refusal(RefusalReason.REQUEST_TIMEOUT, "the request head did not arrive in time"))
        else:
            self.transport.close()
