"""Tokens and keys never reach a log line, however they are encoded and whichever logger writes them."""

from __future__ import annotations

import io
import logging
import uuid
from urllib.parse import quote

import pytest
from notifyhub.auth import issue_token
from notifyhub.log_redaction import MAX_DECODE_ROUNDS, REDACTED, RedactTokens, install_redaction, redact
from notifyhub.settings import Settings
from uvicorn.logging import AccessFormatter

TOKEN = issue_token(Settings(jwt_secret="redaction-secret-" * 3), uuid.uuid4(), "a@b.example")
SIGNATURE = TOKEN.rsplit(".", 1)[1]
SERVICE_KEY = "svc-key-7Hq!x"


def percent_encoded(text: str, times: int = 1) -> str:
    """text with every character percent-encoded (dots included), `times` over."""
    for _ in range(times):
        text = "".join(f"%{byte:02X}" for byte in text.encode())
    return text


def leaks(line: str, secret: str) -> bool:
    """Whether any form of secret (as is, its signature part, percent-encoded) is in line."""
    forms = {secret, secret.rsplit(".", 1)[-1], quote(secret, safe=""), secret.replace(".", "%2E")}
    return any(form in line for form in forms)


LINES = {
    "query": f'127.0.0.1:5 - "WebSocket /api/v1/ws?token={TOKEN}" 101',
    "encoded-name-and-dots": f"GET /api/v1/ws?%74oken={TOKEN.replace('.', '%2E')} HTTP/1.1",
    "access_token": f"GET /api/v1/ws/auth-check?x=1&access_token={TOKEN} HTTP/1.1",
    "fully-encoded": f"GET /api/v1/ws?{percent_encoded('token=' + TOKEN)} HTTP/1.1",
    "double-encoded": f"GET /api/v1/ws?{percent_encoded('token=' + TOKEN, 2)} HTTP/1.1",
    "double-encoded-dots": f"GET /api/v1/ws?%2574oken={TOKEN.replace('.', '%252E')} HTTP/1.1",
    "authorization-header": f"< Authorization: Bearer {TOKEN}",
    "subprotocol-header": f"< Sec-WebSocket-Protocol: notifyhub.v1, bearer.{TOKEN}",
    "subprotocol-encoded": f"offers notifyhub.v1%2C%20bearer%2E{TOKEN.replace('.', '%2E')}",
    "header-list": f"headers [(b'authorization', b'Bearer {TOKEN}'), (b'host', b'hub')]",
    "bare-jwt": f"could not use {TOKEN} here",
}


@pytest.mark.parametrize("line", LINES.values(), ids=LINES.keys())
def test_token_is_redacted_in_every_encoding(line: str) -> None:
    """A JWT in a query, a header or a subprotocol is withheld, plain or percent-encoded once or twice."""
    cleaned = redact(line)
    assert REDACTED in cleaned and not leaks(cleaned, TOKEN), cleaned


@pytest.mark.parametrize("line", [
    f"< Authorization: Bearer {SERVICE_KEY}",
    f"{{'authorization': 'Bearer {SERVICE_KEY}'}}",
    f"< authorization: {SERVICE_KEY}",
    f"Authorization: Basic {SERVICE_KEY}",
], ids=["bearer", "dict", "bare", "basic"])
def test_service_key_in_an_authorization_header_is_redacted(line: str) -> None:
    """A service key is not a JWT, yet no Authorization header value survives."""
    cleaned = redact(line)
    assert REDACTED in cleaned and SERVICE_KEY not in cleaned and "7Hq" not in cleaned, cleaned


@pytest.mark.parametrize("line", [
    '127.0.0.1:5 - "GET /api/v1/ws/stats HTTP/1.1" 200',
    "GET /books/%E6%97%A5%E6%9C%AC?page=2 HTTP/1.1",
    "progress at 50% for notifyhub_protocol.constructors.new_message",
])
def test_lines_without_tokens_are_left_alone(line: str) -> None:
    """Redaction changes nothing in a line that holds no credential, encoded or not."""
    assert redact(line) == line


def test_a_line_encoded_too_deeply_to_check_is_withheld() -> None:
    """Encoding a token more times than the hub decodes cannot sneak it into the log."""
    cleaned = redact(f"GET /api/v1/ws?{percent_encoded('token=' + TOKEN, MAX_DECODE_ROUNDS + 2)} HTTP/1.1")
    assert cleaned.startswith(REDACTED) and SIGNATURE[:8] not in cleaned


def capture(logger_name: str, handler_logger: str) -> tuple[logging.Logger, io.StringIO]:
    """A logger whose records reach a redacting handler on (possibly an ancestor) handler_logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokens())
    parent = logging.getLogger(handler_logger)
    parent.addHandler(handler)
    parent.setLevel(logging.DEBUG)
    return logging.getLogger(logger_name), stream


@pytest.fixture
def cleanup_loggers():
    yield
    for name in ("redaction-test", "redaction-test.websockets.server"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)


@pytest.mark.usefixtures("cleanup_loggers")
def test_handler_filter_covers_records_of_child_loggers() -> None:
    """A debug record from a child logger (as websockets.* are) is redacted by its ancestor's handler."""
    child, stream = capture("redaction-test.websockets.server", "redaction-test")
    child.debug("< GET %s HTTP/1.1", f"/api/v1/ws?token={TOKEN}")
    child.debug("< Authorization: %s", f"Bearer {SERVICE_KEY}")
    output = stream.getvalue()
    assert output.count(REDACTED) == 2 and not leaks(output, TOKEN) and SERVICE_KEY not in output


@pytest.mark.usefixtures("cleanup_loggers")
def test_traceback_is_redacted() -> None:
    """An exception whose message holds a token is logged with the token withheld."""
    logger, stream = capture("redaction-test", "redaction-test")
    try:
        raise ValueError(f"bad token {TOKEN}")
    except ValueError:
        logger.exception("while handling %s", "a request")
    output = stream.getvalue()
    assert "ValueError: bad token [REDACTED]" in output and not leaks(output, TOKEN)


def test_access_log_format_survives_redaction() -> None:
    """uvicorn's access formatter reads the record's arguments; redaction keeps them usable."""
    record = logging.makeLogRecord({"name": "uvicorn.access", "levelno": logging.INFO, "levelname": "INFO",
                                    "msg": '%s - "%s %s HTTP/%s" %d',
                                    "args": ("127.0.0.1:5", "GET", f"/api/v1/ws/auth-check?token={TOKEN}",
                                             "1.1", 204)})
    assert RedactTokens().filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False).format(record)
    assert line == '127.0.0.1:5 - "GET /api/v1/ws/auth-check?token=[REDACTED] HTTP/1.1" 204 No Content'


def test_install_covers_the_last_resort_handler() -> None:
    """Records of loggers nobody configured (they reach Python's last-resort handler) are redacted too."""
    install_redaction()
    install_redaction()
    filters = [f for f in logging.lastResort.filters if isinstance(f, RedactTokens)]
    assert len(filters) == 1
