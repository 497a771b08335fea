"""Close codes and error codes of the protocol.

Generated from schemas/ by `make codegen`. Do not edit by hand.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

SUBPROTOCOL = "notifyhub.v1"
"""The WebSocket subprotocol the hub speaks."""

BEARER_SUBPROTOCOL_PREFIX = "bearer."
"""A browser offers `bearer.<jwt>` beside SUBPROTOCOL to pass its token."""


class CloseCode(IntEnum):
    """WebSocket close codes the hub uses."""

    NORMAL_CLOSURE = 1000
    """The side that closed is done; the client does not reconnect by itself."""

    GOING_AWAY = 1001
    """The peer is going away (a tab closing, a server stopping without restart)."""

    POLICY_VIOLATION = 1008
    """The connection broke a rule the hub will not relax; reconnecting would fail the same way."""

    MESSAGE_TOO_BIG = 1009
    """The client sent a frame larger than `max_message_bytes` (after decompression)."""

    INTERNAL_ERROR = 1011
    """The hub hit an unexpected condition; reconnect with backoff."""

    SERVICE_RESTART = 1012
    """The hub is restarting; reconnect with backoff."""

    TRY_AGAIN_LATER = 1013
    """The hub is overloaded; reconnect with backoff."""

    SLOW_CONSUMER = 4000
    """The client did not read fast enough and its outgoing queue filled; reconnect."""

    TOKEN_EXPIRED = 4001
    """The token expired while connected; reconnect with a fresh token."""

    HEARTBEAT_TIMEOUT = 4002
    """Nothing arrived from the client within the idle timeout; reconnect."""

    WRITE_TIMEOUT = 4003
    """A write to the client did not complete within the write timeout; reconnect."""

    RESYNC = 4004
    """The hub could not continue the connection's stream without a gap; reconnect with `since` to resume or resynchronise."""

    UNAUTHORIZED = 4500
    """The credentials are no longer accepted; get new ones before connecting again."""

    CONNECTION_REVOKED = 4501
    """A service ended this connection on purpose; do not reconnect automatically."""


RECONNECT_CLOSE_CODES = frozenset({CloseCode.GOING_AWAY, CloseCode.MESSAGE_TOO_BIG, CloseCode.INTERNAL_ERROR, CloseCode.SERVICE_RESTART, CloseCode.TRY_AGAIN_LATER, CloseCode.SLOW_CONSUMER, CloseCode.TOKEN_EXPIRED, CloseCode.HEARTBEAT_TIMEOUT, CloseCode.WRITE_TIMEOUT, CloseCode.RESYNC})
"""Known codes after which a client reconnects with backoff."""

RECONNECT_RANGE = range(4000, 4500)
STOP_RANGE = range(4500, 5000)


def should_reconnect(code: int) -> bool:
    """Whether a client should reconnect after the hub closed with `code`."""
    if code in RECONNECT_CLOSE_CODES or code in RECONNECT_RANGE:
        return True
    if code in STOP_RANGE or code in CloseCode.__members__.values():
        return False
    return True


class ErrorCode(StrEnum):
    """Why the hub could not act on a frame a client sent (the `error` message's `code`)."""

    INVALID_JSON = "invalid_json"
    """The frame is not a JSON document: a syntax error, NaN or Infinity, nesting deeper than the hub allows, or a number too large to read."""

    INVALID_MESSAGE = "invalid_message"
    """The frame is JSON but does not match the schema of its type, or is a binary frame."""

    UNKNOWN_TYPE = "unknown_type"
    """The frame's `type` is not a client frame type the hub knows."""

    MESSAGE_TOO_LARGE = "message_too_large"
    """The frame is larger than the hub accepts."""

    RATE_LIMITED = "rate_limited"
    """The client sent frames faster than the hub allows; the frame was dropped."""

    INTERNAL = "internal"
    """The hub failed to handle the frame; the connection goes on."""
