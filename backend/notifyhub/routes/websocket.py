"""`GET /api/v1/ws` (the client WebSocket) and `GET /api/v1/ws/auth-check`."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from notifyhub_protocol import SUBPROTOCOL, CloseCode, new_connection_established_message
from pydantic import BaseModel

from ..auth import Identity, TokenVerifier, extract_token
from ..backends.base import BackendUnavailableError, Replay, Since
from ..connection import Connection
from ..errors import AuthenticationError, ConnectionLimitError, NotifyhubError
from ..hub import Hub, encode
from ..reader import ClientReader
from ..transport import EXTENSION, OutgoingFrame

logger = logging.getLogger(__name__)
router = APIRouter()


def _denial(status: int, error: NotifyhubError) -> JSONResponse:
    return JSONResponse({"error": error.reason, "detail": error.detail}, status_code=status)


def _origin_allowed(origin: str | None, allowed: list[str]) -> bool:
    return origin is None or "*" in allowed or origin in allowed


def _authenticate(verifier: TokenVerifier, headers, query, subprotocols) -> Identity:
    return verifier.verify(extract_token(headers, query, subprotocols))


@router.get("/api/v1/ws/auth-check", status_code=204, responses={401: {"description": "Token refused"}})
async def auth_check(request: Request) -> Response:
    """Apply the WebSocket's token rules; a browser cannot read the status of a refused handshake."""
    try:
        _authenticate(request.app.state.verifier, request.headers, request.query_params, ())
    except AuthenticationError as exc:
        return _denial(401, exc)
    return Response(status_code=204)


@router.websocket("/api/v1/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    """Admit, accept and attach a connection, then hand it over to the hub (see transport.py)."""
    hub: Hub = websocket.app.state.hub
    admitted = _admit(websocket, hub)
    if isinstance(admitted, JSONResponse):
        await websocket.send_denial_response(admitted)
        return
    connection, since = admitted
    transport = websocket.scope["extensions"][EXTENSION]
    offered = websocket.scope.get("subprotocols", [])
    try:
        await websocket.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in offered else None)
        replay = await hub.attach(connection, since)
    except BackendUnavailableError:
        logger.warning("backend unavailable; asking the client to come back later")
        connection.start()
        connection.close(CloseCode.TRY_AGAIN_LATER, "backend unavailable")
        await hub.detach(connection)
        return
    except BaseException:
        await hub.detach(connection)
        raise
    connection.enqueue(OutgoingFrame(encode(_established(connection, hub, replay))))
    connection.resume(replay.state.epoch, replay.start, replay.entries, complete=replay.complete,
                      head_seq=replay.state.last_seq)
    connection.start()
    transport.hand_over(ClientReader(connection, hub))


def _admit(websocket: WebSocket, hub: Hub) -> tuple[Connection, Since | None] | JSONResponse:
    """Admit the handshake as a registered connection, or say why not as an HTTP response."""
    settings = hub.settings
    errors = hub.metrics.connection_errors
    since = None
    if "since" in websocket.query_params:
        try:
            since = Since.parse(websocket.query_params["since"])
        except ValueError as exc:
            errors.labels(reason="invalid_since").inc()
            return _denial(400, NotifyhubError("invalid_since", str(exc)))
    if not _origin_allowed(websocket.headers.get("origin"), settings.allowed_origins):
        errors.labels(reason="origin_not_allowed").inc()
        return _denial(403, NotifyhubError("origin_not_allowed", "this origin may not connect"))
    offered = websocket.scope.get("subprotocols", [])
    try:
        identity = _authenticate(websocket.app.state.verifier, websocket.headers,
                                 websocket.query_params, offered)
    except AuthenticationError as exc:
        errors.labels(reason=exc.reason).inc()
        return _denial(401, exc)
    if offered and SUBPROTOCOL not in offered:
        errors.labels(reason="unsupported_subprotocol").inc()
        return _denial(400, NotifyhubError("unsupported_subprotocol", f"offer '{SUBPROTOCOL}'"))
    transport = websocket.scope["extensions"].get(EXTENSION)
    if transport is None:
        logger.error("WebSocket served without notifyhub's protocol class; run `notifyhub serve`")
        return _denial(500, NotifyhubError("unsupported_server", "served without notifyhub's transport"))
    try:
        connection = hub.open_connection(identity, transport)
    except ConnectionLimitError as exc:
        errors.labels(reason=exc.reason).inc()
        return _denial(429, exc)
    return connection, since


def _established(connection: Connection, hub: Hub, replay: Replay) -> BaseModel:
    settings = hub.settings
    return new_connection_established_message(
        connection_id=connection.id,
        user_id=connection.user_id,
        server_time=datetime.now(UTC),
        ping_interval_seconds=settings.ping_interval_seconds,
        idle_timeout_seconds=settings.idle_timeout_seconds,
        max_message_bytes=settings.max_message_bytes,
        token_expires_at=connection.identity.expires_at,
        epoch=replay.state.epoch,
        last_seq=replay.state.last_seq,
        recovered=replay.recovered,
        acked_seq=replay.state.acked_seq,
        read_seq=replay.state.read_seq,
    )
