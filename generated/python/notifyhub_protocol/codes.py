"""Close codes and error codes of the protocol.

Generated from schemas/ by `make codegen`. Do not edit by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum, StrEnum
from types import MappingProxyType

SUBPROTOCOL = "notifyhub.v1"
"""The WebSocket subprotocol the hub speaks: `notifyhub.v` and the major protocol version."""

PROTOCOL_VERSION = "1.3.0"
"""The protocol version these models describe (major.minor.patch)."""

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


class RefusalReason(StrEnum):
    """Why the hub refused an HTTP request (the `error` of the refusal's JSON body)."""

    MISSING_TOKEN = "missing_token"
    """401: No token in the Authorization header, a `bearer.` subprotocol offer or the `token` query parameter."""

    MALFORMED_TOKEN = "malformed_token"
    """401: The token is not a well-formed JWT."""

    INVALID_SIGNATURE = "invalid_signature"
    """401: The token's signature does not verify with the hub's key."""

    DISALLOWED_ALGORITHM = "disallowed_algorithm"
    """401: The token is signed with an algorithm outside `NOTIFYHUB_JWT_ALGORITHMS` (`none` is never allowed)."""

    TOKEN_EXPIRED = "token_expired"
    """401: The token's `exp` has passed (beyond `NOTIFYHUB_JWT_LEEWAY_SECONDS`)."""

    TOKEN_NOT_YET_VALID = "token_not_yet_valid"
    """401: The token's `nbf` or `iat` is in the future (beyond `NOTIFYHUB_JWT_LEEWAY_SECONDS`)."""

    MISSING_CLAIM = "missing_claim"
    """401: The token lacks a required claim (`user_id`, `email`, `exp`, or `aud`/`iss` when configured); `detail` names it."""

    INVALID_CLAIM = "invalid_claim"
    """401: A claim has the wrong type or is out of range (a `user_id` that is not a UUID, an `exp` that is not a number a date can hold); `detail` names it."""

    INVALID_AUDIENCE = "invalid_audience"
    """401: The token's `aud` is not `NOTIFYHUB_JWT_AUDIENCE`."""

    INVALID_ISSUER = "invalid_issuer"
    """401: The token's `iss` is not `NOTIFYHUB_JWT_ISSUER`."""

    NOT_CONFIGURED = "not_configured"
    """401: The hub has no `NOTIFYHUB_JWT_SECRET`, so it accepts no token."""

    AMBIGUOUS_TOKEN = "ambiguous_token"
    """400: Several `bearer.` subprotocol offers, or a token in more than one of the Authorization header, the subprotocol and the `token` query parameter."""

    INVALID_SERVICE_KEY = "invalid_service_key"
    """401: The service API needs `Authorization: Bearer <key>` with one of `NOTIFYHUB_SERVICE_KEYS`."""

    OPERATIONS_KEY_REQUIRED = "operations_key_required"
    """401: An operations endpoint (metrics, stats, presence) needs the operations key."""

    ORIGIN_NOT_ALLOWED = "origin_not_allowed"
    """403: A browser origin not in `NOTIFYHUB_ALLOWED_ORIGINS`."""

    TOO_MANY_CONNECTIONS = "too_many_connections"
    """429: The user already holds `NOTIFYHUB_MAX_CONNECTIONS_PER_USER` connections."""

    UNSUPPORTED_SUBPROTOCOL = "unsupported_subprotocol"
    """400: Subprotocols were offered, but no protocol version the hub speaks (`notifyhub.v<major>`); the answer's `supported` lists those it does."""

    INVALID_SINCE = "invalid_since"
    """400: The `since` query parameter is not a stream position the hub can read, or `since_id` is not a message id."""

    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key"
    """400: The idempotency key is empty, too long or has characters it may not have."""

    UNSUPPORTED_HTTP_VERSION = "unsupported_http_version"
    """400: The request is not HTTP/1.1 (a WebSocket upgrade needs HTTP/1.1)."""

    INVALID_UPGRADE = "invalid_upgrade"
    """400: A WebSocket upgrade that announces a body (`Content-Length` or `Transfer-Encoding`); a handshake is a GET without one (RFC 6455 section 4.1)."""

    REQUEST_TIMEOUT = "request_timeout"
    """408: The request head or body did not arrive within its time limit."""

    BODY_TOO_LARGE = "body_too_large"
    """413: The request body is larger than the route accepts (`NOTIFYHUB_MAX_PUBLISH_BYTES` for the service API, `NOTIFYHUB_PUSH_MAX_BODY_BYTES` for push subscriptions)."""

    REQUEST_TARGET_TOO_LARGE = "request_target_too_large"
    """414: The request target (path and query) is longer than the hub reads."""

    INVALID_MESSAGE = "invalid_message"
    """422: The body is not valid against its schema; `errors` names each failing field by JSON pointer."""

    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    """422: The idempotency key was already used for a different request."""

    REQUEST_HEAD_TOO_LARGE = "request_head_too_large"
    """431: The request head has more bytes or more header fields than the hub reads."""

    BACKEND_UNAVAILABLE = "backend_unavailable"
    """503: The backend (Redis) is unreachable; nothing was sent."""

    SERVER_BUSY = "server_busy"
    """503: The hub is at its connection or memory limit; try again later."""

    OUTCOME_UNKNOWN = "outcome_unknown"
    """504: The backend did not answer in time: the message may or may not have been sent."""

    UNSUPPORTED_SERVER = "unsupported_server"
    """500: The app runs under a server without notifyhub's WebSocket transport; run `notifyhub serve`."""

    PUSH_NOT_CONFIGURED = "push_not_configured"
    """404: Web Push is off on this hub: it has no `NOTIFYHUB_VAPID_PRIVATE_KEY`, so it has no public key to give and sends no pushes."""

    TOO_MANY_PUSH_SUBSCRIPTIONS = "too_many_push_subscriptions"
    """409: The user already has `NOTIFYHUB_MAX_PUSH_SUBSCRIPTIONS_PER_USER` push subscriptions; removing one (or one expiring) makes room."""


REFUSAL_STATUS: Mapping[RefusalReason, int] = MappingProxyType({
    RefusalReason.MISSING_TOKEN: 401,
    RefusalReason.MALFORMED_TOKEN: 401,
    RefusalReason.INVALID_SIGNATURE: 401,
    RefusalReason.DISALLOWED_ALGORITHM: 401,
    RefusalReason.TOKEN_EXPIRED: 401,
    RefusalReason.TOKEN_NOT_YET_VALID: 401,
    RefusalReason.MISSING_CLAIM: 401,
    RefusalReason.INVALID_CLAIM: 401,
    RefusalReason.INVALID_AUDIENCE: 401,
    RefusalReason.INVALID_ISSUER: 401,
    RefusalReason.NOT_CONFIGURED: 401,
    RefusalReason.AMBIGUOUS_TOKEN: 400,
    RefusalReason.INVALID_SERVICE_KEY: 401,
    RefusalReason.OPERATIONS_KEY_REQUIRED: 401,
    RefusalReason.ORIGIN_NOT_ALLOWED: 403,
    RefusalReason.TOO_MANY_CONNECTIONS: 429,
    RefusalReason.UNSUPPORTED_SUBPROTOCOL: 400,
    RefusalReason.INVALID_SINCE: 400,
    RefusalReason.INVALID_IDEMPOTENCY_KEY: 400,
    RefusalReason.UNSUPPORTED_HTTP_VERSION: 400,
    RefusalReason.INVALID_UPGRADE: 400,
    RefusalReason.REQUEST_TIMEOUT: 408,
    RefusalReason.BODY_TOO_LARGE: 413,
    RefusalReason.REQUEST_TARGET_TOO_LARGE: 414,
    RefusalReason.INVALID_MESSAGE: 422,
    RefusalReason.IDEMPOTENCY_KEY_REUSED: 422,
    RefusalReason.REQUEST_HEAD_TOO_LARGE: 431,
    RefusalReason.BACKEND_UNAVAILABLE: 503,
    RefusalReason.SERVER_BUSY: 503,
    RefusalReason.OUTCOME_UNKNOWN: 504,
    RefusalReason.UNSUPPORTED_SERVER: 500,
    RefusalReason.PUSH_NOT_CONFIGURED: 404,
    RefusalReason.TOO_MANY_PUSH_SUBSCRIPTIONS: 409,
})
"""The HTTP status each refusal reason always comes with."""


def refusal_status(reason: str) -> int:
    """The HTTP status the hub answers with for `reason`.

    Raises ValueError when `reason` is not a RefusalReason.
    """
    return REFUSAL_STATUS[RefusalReason(reason)]
