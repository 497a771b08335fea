"""CORS for the routes a browser page calls with `fetch` from the app's origin (the push
subscription API, `/api/v1/push/`), held to NOTIFYHUB_ALLOWED_ORIGINS as the WebSocket is.

For those routes: a preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed
origin is answered 204 with what the routes accept; a request from an allowed origin gets
`Access-Control-Allow-Origin` naming it; any request from another origin is refused 403
`origin_not_allowed` before the route runs. A request with no `Origin` (not from a browser page,
or same-origin GET) passes untouched. Every other path is left alone: the rest of the HTTP API
is for services, not pages.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notifyhub_protocol import RefusalReason

from .answers import refusal

ALLOWED_METHODS = "GET, POST, DELETE"
ALLOWED_HEADERS = "Authorization, Content-Type"
PREFLIGHT_MAX_AGE_SECONDS = 600
"""How long a browser may reuse a preflight's answer: Chromium caps it at 600 s anyway."""


def origin_allowed(origin: str, allowed: list[str]) -> bool:
    return "*" in allowed or origin in allowed


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


class BrowserRoutesCors:
    """The CORS middleware of the routes under `prefix` (an ASGI middleware)."""

    def __init__(self, app: ASGIApp, prefix: str, allowed_origins: list[str]) -> None:
        self.app = app
        self.prefix = prefix
        self.allowed_origins = allowed_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = _header(scope, b"origin") if scope["type"] == "http" and scope["path"].startswith(self.prefix) else None
        if origin is None:
            await self.app(scope, receive, send)
            return
        if not origin_allowed(origin, self.allowed_origins):
            answer = refusal(RefusalReason.ORIGIN_NOT_ALLOWED, "this origin may not call the hub")
            await _send_answer(send, answer.status, answer.raw_headers(len(answer.rendered())), answer.rendered())
            return
        allow = [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]
        if scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method") is not None:
            await _send_answer(send, 204, [*allow, (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
                                           (b"access-control-allow-headers", ALLOWED_HEADERS.encode()),
                                           (b"access-control-max-age", b"%d" % PREFLIGHT_MAX_AGE_SECONDS)], b"")
            return

        async def send_allowing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *allow]}
            await send(message)

        await self.app(scope, receive, send_allowing)


async def _send_answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
