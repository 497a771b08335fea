"""The handshake request handed to websockets as httptools parsed it, or left to websockets."""

from __future__ import annotations

from notifyhub.server.websocket_protocol import parsed_request

HEADERS = [(b"host", b"hub"), (b"upgrade", b"websocket"), (b"connection", b"Upgrade"),
           (b"sec-websocket-key", b"dGhlIHNhbXBsZSBub25jZQ=="), (b"sec-websocket-version", b"13")]


def test_a_plain_upgrade_becomes_the_request_websockets_would_parse() -> None:
    """Target and headers arrive unchanged; header names are matched whatever their case."""
    request = parsed_request("GET", b"/api/v1/ws?token=abc", [*HEADERS, (b"x-note", b"caf\xe9")])
    assert request.path == "/api/v1/ws?token=abc"
    assert request.headers["Sec-WebSocket-Key"] == "dGhlIHNhbXBsZSBub25jZQ=="
    assert request.headers["X-Note"] == "café"  # ISO-8859-1, as websockets decodes values


def test_heads_websockets_must_judge_are_left_to_it() -> None:
    """Another method, an announced body, a non-ASCII target: websockets parses and refuses them."""
    assert parsed_request("POST", b"/api/v1/ws", HEADERS) is None
    assert parsed_request("GET", b"/api/v1/ws", [*HEADERS, (b"content-length", b"5")]) is None
    assert parsed_request("GET", b"/api/v1/ws", [*HEADERS, (b"transfer-encoding", b"chunked")]) is None
    assert parsed_request("GET", "/api/v1/ws/é".encode(), HEADERS) is None
