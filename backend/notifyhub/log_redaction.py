"""Keeps tokens and keys out of logs, at every level and however they are encoded.

uvicorn writes request lines (query string included), and at debug level the WebSocket library
writes request headers. A filter on a logger does not see records of its child loggers, so the
filter goes on handlers: server.py puts it on uvicorn's, `install_redaction` on the root's and on
Python's last-resort handler (where `websockets.*`, `asyncio` and any unconfigured logger end up).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

REDACTED = "[REDACTED]"
MAX_DECODE_ROUNDS = 4
"""Percent-decoding is undone this many times at most: enough for any double or triple encoding a
proxy or client produces, and a bound on the work one log line can cost."""

_CREDENTIAL = r"[^\s&'\"\\]+"
_TOKEN_PATTERNS = (
    re.compile(rf"(?i)((?:access_)?token=){_CREDENTIAL}"),
    re.compile(rf"(?i)(bearer[ .]+){_CREDENTIAL}"),
    # Any other Authorization scheme (Basic, a bare key): the whole header value.
    re.compile(r"(?i)((?>\bauthorization['\"]?\s*[:=,]\s*(?:(?-i:b)?['\"])?(?:bearer )?))"
               r"(?!(?:bearer )?\[REDACTED\])[^'\"\r\n]+"),
    # Any JWT, wherever it is: its header is base64url of '{"', so it starts "eyJ".
    re.compile(r"()(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"),
)
LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "notifyhub", "websockets")


def _replace(text: str) -> str:
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + REDACTED, text)
    return text


def _decoded(text: str) -> str | None:
    """text with percent-encoding undone until it no longer changes; None when that takes more
    than MAX_DECODE_ROUNDS rounds."""
    for _ in range(MAX_DECODE_ROUNDS):
        decoded = unquote(text)
        if decoded == text:
            return text
        text = decoded
    return text if unquote(text) == text else None


def redact(text: str) -> str:
    """text with every token, bearer credential and Authorization value replaced by REDACTED.

    A line with percent-encoding is matched once decoded (`%74oken=`, dots as `%2E`, double
    encoding); when it holds a token, the decoded, redacted line is returned, so that no encoded
    copy survives. A line without one is returned unchanged. A line encoded more deeply than
    MAX_DECODE_ROUNDS cannot be checked, so all of it is withheld.
    """
    cleaned = _replace(text)
    if "%" not in cleaned:
        return cleaned
    decoded = _decoded(cleaned)
    if decoded is None:
        return f"{REDACTED} (a line percent-encoded more than {MAX_DECODE_ROUNDS} times)"
    redacted = _replace(decoded)
    return redacted if redacted != decoded else cleaned


class RedactTokens(logging.Filter):
    """Rewrites a record so that neither its message nor its traceback holds a token.

    Arguments are redacted one by one where that suffices, so formatters that read
    `record.args` (uvicorn's access formatter) keep working; otherwise the message is replaced
    by its redacted text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            _redact_message(record, cleaned)
        _redact_traceback(record)
        return True


def _redact_message(record: logging.LogRecord, cleaned: str) -> None:
    if isinstance(record.args, tuple) and record.args:
        args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        message = str(record.msg) % args
        if redact(message) == message:
            record.args = args
            return
    record.msg, record.args = cleaned, None


def _redact_traceback(record: logging.LogRecord) -> None:
    # Formatters render exc_info into exc_text only when it is unset, so setting it here wins.
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def _add_filter(target: logging.Logger | logging.Handler) -> None:
    if not any(isinstance(f, RedactTokens) for f in target.filters):
        target.addFilter(RedactTokens())


def install_redaction() -> None:
    """Filter the loggers that see request data, the root's handlers and the last-resort handler.

    Idempotent. Handlers added later (uvicorn's) need the filter in their own configuration.
    """
    for name in LOGGERS:
        _add_filter(logging.getLogger(name))
    for handler in logging.getLogger().handlers:
        _add_filter(handler)
    if logging.lastResort is not None:
        _add_filter(logging.lastResort)
