"""`GET /api/v1/ws` (the client WebSocket) and `GET /api/v1/ws/auth-check`."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from notifyhub_protocol import SUBPROTOCOL, CloseCode, new_connection_established_message
from pydantic import BaseModel
from starlette.datastructures import QueryParams

from ..auth import Identity, TokenVerifier, extract_token
from ..backends.base import BackendUnavailableError, Replay, Since
from ..connection import Connection
from ..errors import AuthenticationError, ConnectionLimitError, NotifyhubError
from ..hub import Hub, encode
from ..reader import ClientReader
from ..transport import EXTENSION, NotifyhubWebSocketProtocol, OutgoingFrame
from . import render_json

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
        return _denial(exc.status, exc)
    return Response(status_code=204)


WEBSOCKET_PATH = "/api/v1/ws"


@router.websocket(WEBSOCKET_PATH)
async def websocket_endpoint(websocket: WebSocket) -> None:
    """Admit, accept and attach a connection, then hand it over to the hub (see transport.py).

    Under `notifyhub serve` this handshake is served by `WebSocketGate` instead, with the same
    functions; this route serves it when the app runs under another server.
    """
    hub: Hub = websocket.app.state.hub
    transport = websocket.scope["extensions"].get(EXTENSION)
    offered = websocket.scope.get("subprotocols", [])
    admitted = admit(hub, websocket.app.state.verifier, websocket.query_params, websocket.headers,
                     offered, transport)
    if isinstance(admitted, Denial):
        await websocket.send_denial_response(JSONResponse(admitted.body, status_code=admitted.status))
        return
    connection, since = admitted
    try:
        await websocket.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in offered else None)
    except BaseException:
        await hub.detach(connection)
        raise
    await go_live(hub, connection, since, transport)


class WebSocketGate:
    """The handshake of `GET /api/v1/ws` without the ASGI round trip.

    `NotifyhubWebSocketProtocol` calls `upgrade` as soon as it has parsed the request: the same
    `admit` as the route decides (so the same 400/401/403/429 before the upgrade, the same
    settings and metrics), the 101 is written at once, and `go_live` follows at once with the
    memory backend (eager.py), in a task with Redis. What this skips is only the ASGI scope and
    task, FastAPI's routing and Starlette's WebSocket object.
    """

    path = WEBSOCKET_PATH

    def __init__(self, hub: Hub, verifier: TokenVerifier) -> None:
        self._hub = hub
        self._verifier = verifier

    def upgrade(self, transport: NotifyhubWebSocketProtocol, query_string: str, headers: Mapping[str, str],
                subprotocols: list[str]) -> None:
        admitted = admit(self._hub, self._verifier, QueryParams(query_string), headers, subprotocols, transport)
        if isinstance(admitted, Denial):
            transport.deny(admitted.status, render_json(admitted.body))
            return
        connection, since = admitted
        if not transport.accept(SUBPROTOCOL if SUBPROTOCOL in subprotocols else None):
            self._hub.forget(connection)
            return
        transport.run(go_live(self._hub, connection, since, transport), eagerly=not self._hub.backend.waits)


@dataclass(frozen=True, slots=True)
class Denial:
    """Why a handshake is refused: the HTTP status and JSON body sent instead of the upgrade."""

    status: int
    body: dict[str, str]


def _denied(status: int, error: NotifyhubError) -> Denial:
    return Denial(status, {"error": error.reason, "detail": error.detail})


def admit(hub: Hub, verifier: TokenVerifier, query: Mapping[str, str], headers: Mapping[str, str],
          offered: list[str], transport: NotifyhubWebSocketProtocol | None
          ) -> tuple[Connection, Since | None] | Denial:
    """Admit a handshake as a registered connection, or say why not. No I/O."""
    settings = hub.settings
    errors = hub.metrics.connection_errors
    since = None
    if "since" in query:
        try:
            since = Since.parse(query["since"])
        except ValueError as exc:
            errors.labels(reason="invalid_since").inc()
            return _denied(400, NotifyhubError("invalid_since", str(exc)))
    if not _origin_allowed(headers.get("origin"), settings.allowed_origins):
        errors.labels(reason="origin_not_allowed").inc()
        return _denied(403, NotifyhubError("origin_not_allowed", "this origin may not connect"))
    try:
        identity = _authenticate(verifier, headers, query, offered)
    except AuthenticationError as exc:
        errors.labels(reason=exc.reason).inc()
        return _denied(exc.status, exc)
    if offered and SUBPROTOCOL not in offered:
        errors.labels(reason="unsupported_subprotocol").inc()
        return _denied(400, NotifyhubError("unsupported_subprotocol", f"offer '{SUBPROTOCOL}'"))
    if transport is None:
        logger.error("WebSocket served without notifyhub's protocol class; run `notifyhub serve`")
        return _denied(500, NotifyhubError("unsupported_server", "served without notifyhub's transport"))
    try:
        connection = hub.open_connection(identity, transport)
    except ConnectionLimitError as exc:
        errors.labels(reason=exc.reason).inc()
        return _denied(429, exc)
    return connection, since


async def go_live(hub: Hub, connection: Connection, since: Since | None,
                  transport: NotifyhubWebSocketProtocol) -> None:
    """After the 101: attach to the backend, queue `connection_established` and the replay, and
    hand the socket over to the hub. A backend that is down closes with TRY_AGAIN_LATER."""
    try:
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
