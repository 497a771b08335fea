"""Keeps tokens out of logs: uvicorn writes the request line, query string included."""

from __future__ import annotations

import logging
import re

REDACTED = "[REDACTED]"
_TOKEN_PATTERNS = (
    re.compile(r"(?i)((?:access_)?token=)[^&\s\"']+"),
    re.compile(r"(?i)(bearer[ .])[A-Za-z0-9._~+/=-]+"),
    re.compile(r"()eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"),  # any JWT
)
LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "notifyhub")


def redact(text: str) -> str:
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + REDACTED, text)
    return text


class RedactTokens(logging.Filter):
    """Rewrites a record's final message with every token replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_redaction() -> None:
    """Attach the filter to the loggers that see request lines, once. Idempotent."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
