"""A webhook endpoint on loopback for the fallback tests: it verifies every request's signature
with `standardwebhooks`, records what arrived, and can be told to misbehave for its first
requests (answer 500, or 429 with Retry-After, or hold the request open until released).

It runs `http.server` in a thread of its own, so it answers whatever the test's event loop or
the hubs (in this process or others) are doing.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError

SECRET = "whsec_" + "dGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm"
"""The signing secret the tests configure (NOTIFYHUB_WEBHOOK_SECRET)."""

HOLD_LIMIT_SECONDS = 60.0
"""A held request is answered after this long even if the test never releases it."""


@dataclass(frozen=True)
class Received:
    """One request that arrived: its headers, its body parsed, and whether the signature held."""

    webhook_id: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes
    verified: bool


class WebhookReceiver:
    """Records every request on arrival (before it is answered), then answers as told."""

    def __init__(self, secret: str = SECRET) -> None:
        self._verifier = Webhook(secret)
        self.received: list[Received] = []
        self._changed = threading.Condition()
        self._plan: list[tuple[str, int, dict[str, str]]] = []
        """What the next requests get: ("answer", status, headers) or ("hold", 200, {})."""
        self._released = threading.Event()
        self.held = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                receiver._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/notifyhub"

    def fail_next(self, count: int, status: int = 500, retry_after: str | None = None) -> None:
        """Answer the next `count` requests with `status` (and a Retry-After header when given)."""
        headers = {} if retry_after is None else {"Retry-After": retry_after}
        with self._changed:
            self._plan += [("answer", status, headers)] * count

    def hold_next(self, count: int) -> None:
        """Keep the next `count` requests open (recorded, unanswered) until `release`."""
        with self._changed:
            self._plan += [("hold", 200, {})] * count

    def release(self) -> None:
        self._released.set()

    def wait_for(self, count: int, timeout: float, held: int = 0) -> list[Received]:
        """Block until `count` requests arrived and `held` of them are held open; raise
        TimeoutError otherwise. Call from a thread (`asyncio.to_thread`), not the event loop."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.received) >= count and self.held >= held, timeout):
                raise TimeoutError(f"{len(self.received)} webhook request(s) arrived, {count} expected")
            return list(self.received)

    def ids(self) -> list[str]:
        with self._changed:
            return [request.webhook_id for request in self.received]

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        raw = request.rfile.read(int(request.headers.get("content-length", "0")))
        headers = {name.lower(): value for name, value in request.headers.items()}
        try:
            self._verifier.verify(raw, headers)
            verified = True
        except WebhookVerificationError:
            verified = False
        with self._changed:
            action, status, extra = self._plan.pop(0) if self._plan else ("answer", 204, {})
            self.received.append(Received(headers.get("webhook-id", ""), headers, json.loads(raw), raw, verified))
            self.held += action == "hold"
            self._changed.notify_all()
        if action == "hold":
            self._released.wait(HOLD_LIMIT_SECONDS)
        with contextlib.suppress(OSError):  # the sender may be gone (killed while it waited)
            request.send_response(status)
            for name, value in extra.items():
                request.send_header(name, value)
            request.send_header("Content-Length", "0")
            request.end_headers()

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()


@contextlib.contextmanager
def webhook_receiver(secret: str = SECRET) -> Iterator[WebhookReceiver]:
    with WebhookReceiver(secret) as receiver:
        yield receiver
