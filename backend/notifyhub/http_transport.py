"""The HTTP side of the socket adapter: uvicorn's httptools protocol, with the publish routes
answered without an ASGI cycle.

A service publishing one message per request pays for the HTTP stack more than for the hub:
uvicorn's request/response cycle, its ASGI task, scope and events. For `POST /api/v1/messages`
and `/api/v1/messages/batch` this protocol reads the body itself and answers from the app's
`PublishRoutes` (the same functions as the FastAPI routes), writing the response with one
`transport.write`; with the memory backend the answer runs at once, without a task (eager.py).
Everything else, and any request it cannot serve plainly (HTTP/1.0, `Expect: 100-continue`, a
root path, a request pipelined behind another), goes through ASGI as in uvicorn. Pipelining
stays ordered: while a publish is answered it stands in as uvicorn's current cycle, so a
request behind it waits in uvicorn's pipeline.

The protocol finds the routes in `app.state.publish_routes`.
"""

from __future__ import annotations

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

from .eager import run_eagerly
from .routes.services import PublishRoutes

ROUTES_STATE = "publish_routes"
"""Where the protocol finds the routes: `app.state.publish_routes`."""


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

    __slots__ = ("routes", "path", "authorization", "chunks", "size", "too_large", "keep_alive",
                 "response_complete", "disconnected", "message_event")

    def __init__(self, routes: PublishRoutes, path: str, authorization: str, keep_alive: bool) -> None:
        self.routes = routes
        self.path = path
        self.authorization = authorization
        self.chunks: list[bytes] = []
        self.size = 0
        self.too_large = False
        self.keep_alive = keep_alive
        self.response_complete = False
        self.disconnected = False
        self.message_event = _NO_EVENT


class NotifyhubHttpProtocol(HttpToolsProtocol):
    """uvicorn's `httptools` protocol; publish requests are answered without ASGI."""

    def on_message_begin(self) -> None:
        # A publish answered at once arms uvicorn's keep-alive timeout while the parser may still
        # hold a pipelined request; a request that begins is never idle.
        self._unset_keepalive_if_required()
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        cycle = self._publish_cycle()
        if cycle is None:
            super().on_headers_complete()
            return
        self.cycle = cycle  # type: ignore[assignment]

    def _publish_cycle(self) -> _PublishCycle | None:
        """A cycle for this request if it is a publish this protocol answers, else None."""
        routes: PublishRoutes | None = getattr(getattr(self.config.app, "state", None), ROUTES_STATE, None)
        parser = self.parser
        if (routes is None or parser.get_method() != b"POST" or self.root_path or self.expect_100_continue
                or parser.get_http_version() != "1.1" or parser.should_upgrade()
                or self.limit_concurrency is not None
                or (self.cycle is not None and not self.cycle.response_complete)):
            return None
        url = httptools.parse_url(self.url)
        path = url.path.decode("ascii")
        if "%" in path or not routes.serves(path):  # an escaped path is left to uvicorn's unquoting
            return None
        authorization, declared = "", None
        for name, value in self.headers:
            if name == b"authorization" and not authorization:
                authorization = value.decode("latin-1")
            elif name == b"content-length" and declared is None:
                declared = value
        cycle = _PublishCycle(routes, path, authorization, parser.should_keep_alive())
        self.scope["method"] = "POST"
        self.scope["path"] = path
        self.scope["query_string"] = url.query or b""
        if declared is not None and declared.isdigit() and int(declared) > routes.max_body_bytes:
            cycle.too_large = True
        return cycle

    def on_body(self, body: bytes) -> None:
        cycle = self.cycle
        if not isinstance(cycle, _PublishCycle):
            super().on_body(body)
            return
        if cycle.too_large:
            return
        cycle.size += len(body)
        if cycle.size > cycle.routes.max_body_bytes:
            cycle.too_large, cycle.chunks = True, []
        else:
            cycle.chunks.append(body)

    def on_message_complete(self) -> None:
        cycle = self.cycle
        if not isinstance(cycle, _PublishCycle):
            super().on_message_complete()
            return
        answer = self._answer(cycle, self.scope)
        if cycle.routes.hub.backend.waits:
            task = self.loop.create_task(answer)
            task.add_done_callback(self.tasks.discard)
            self.tasks.add(task)
        else:
            run_eagerly(answer, self.tasks)

    async def _answer(self, cycle: _PublishCycle, scope) -> None:
        body = None if cycle.too_large else (cycle.chunks[0] if len(cycle.chunks) == 1 else b"".join(cycle.chunks))
        try:
            answer = await cycle.routes.answer(cycle.path, cycle.authorization, body)
        except Exception:
            self.logger.exception("Exception in ASGI application\n")  # as uvicorn words it
            cycle.keep_alive = False
            self._respond(cycle, scope, 500, [(b"content-type", b"text/plain; charset=utf-8"),
                                              (b"content-length", b"21")], b"Internal Server Error")
            return
        payload = answer.rendered()
        self._respond(cycle, scope, answer.status, answer.raw_headers(len(payload)), payload)

    def _respond(self, cycle: _PublishCycle, scope, status: int, headers: list[tuple[bytes, bytes]],
                 body: bytes) -> None:
        """Write the whole response with one system call, as uvicorn's cycle would frame it."""
        cycle.response_complete = True
        if cycle.disconnected:
            return
        if self.access_log:
            self.access_logger.info('%s - "%s %s HTTP/%s" %d', get_client_addr(scope), "POST",
                                    get_path_with_query_string(scope), "1.1", status)
        content = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            content += (name, b": ", value, b"\r\n")
        for name, value in headers:
            content += (name, b": ", value, b"\r\n")
        if not cycle.keep_alive:
            content.append(b"connection: close\r\n")
        content += (b"\r\n", body)
        self.transport.write(b"".join(content))
        if not cycle.keep_alive:
            self.transport.close()
        self.on_response_complete()


