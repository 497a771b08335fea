"""`Answer`: an HTTP response the hub writes itself (status, JSON body, headers), and the one way
a refusal is built from the hub's exceptions. No I/O."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from notifyhub_protocol import REFUSAL_STATUS, RefusalReason

from .errors import NotifyhubError


_STARLETTE_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
"""The options of Starlette's JSONResponse, in one encoder: `json.dumps` builds a new one per call
when given any option."""


def render_json(body: dict[str, Any]) -> bytes:
    """A JSON body exactly as Starlette's JSONResponse renders it."""
    return _STARLETTE_JSON.encode(body).encode()


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: status, JSON body and extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def refusing(cls, error: NotifyhubError, headers: dict[str, str] | None = None, **extra: Any) -> Answer:
        """The refusal for an error: `{"error": <reason>, "detail": ..., **extra}`, with the status
        `schemas/protocol/refusal_reasons.json` gives its reason."""
        status = REFUSAL_STATUS[RefusalReason(error.reason)]
        return cls(status, {"error": error.reason, "detail": error.detail, **extra}, headers or {})


    def rendered(self) -> bytes:
        return render_json(self.body)

    def raw_headers(self, content_length: int) -> list[tuple[bytes, bytes]]:
        """The response headers as Starlette's JSONResponse sends them, for a rendered body."""
        headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in self.headers.items()]
        return headers + [(b"content-length", b"%d" % content_length), (b"content-type", b"application/json")]

    def header_lines(self, content_length: int) -> bytes:
        """`raw_headers` as the lines of a response head."""
        extra = b"".join(b"%s: %s\r\n" % (name.lower().encode("latin-1"), value.encode("latin-1"))
                         for name, value in self.headers.items()) if self.headers else b""
        return b"%scontent-length: %d\r\ncontent-type: application/json\r\n" % (extra, content_length)


def refusal(reason: RefusalReason, detail: str, headers: dict[str, str] | None = None) -> Answer:
    """The refusal for reason, where no exception was raised."""
    return Answer.refusing(NotifyhubError(reason, detail), headers)
