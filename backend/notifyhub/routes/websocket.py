"""`GET /api/v1/ws` under an ASGI server, and `GET /api/v1/ws/auth-check`.

Under `notifyhub serve` the handshake never reaches this route: the server's WebSocket protocol
hands it to `Admission` first. Both decide with `admission.admit` and go live with `go_live`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from notifyhub_protocol import SUBPROTOCOL, RefusalReason

from ..admission import WEBSOCKET_PATH, admit, go_live, version_refusal
from ..answers import Answer
from ..auth import extract_token
from ..connection import SOCKET_EXTENSION
from ..errors import AuthenticationError
from ..openapi import HandshakeRefusal, refusal_responses

router = APIRouter()

AUTH_CHECK_REFUSALS = (
    RefusalReason.UNSUPPORTED_SUBPROTOCOL, RefusalReason.AMBIGUOUS_TOKEN, RefusalReason.MISSING_TOKEN,
    RefusalReason.MALFORMED_TOKEN, RefusalReason.INVALID_SIGNATURE, RefusalReason.DISALLOWED_ALGORITHM,
    RefusalReason.TOKEN_EXPIRED, RefusalReason.TOKEN_NOT_YET_VALID, RefusalReason.MISSING_CLAIM,
    RefusalReason.INVALID_CLAIM, RefusalReason.INVALID_AUDIENCE, RefusalReason.INVALID_ISSUER,
    RefusalReason.NOT_CONFIGURED)
"""The refusals of the auth-check: the handshake's, up to its token (origin and connection limits
are checked only when a connection opens)."""

AUTH_CHECK_DESCRIPTIONS = {400: "No protocol version the hub speaks, or several tokens",
                           401: "The token is missing or refused"}


def _response(answer: Answer) -> JSONResponse:
    return JSONResponse(answer.body, status_code=answer.status)


def offered_protocols(request: Request) -> list[str]:
    """The subprotocols a client would offer, from `?protocols=` (a browser's fetch may not send
    `Sec-WebSocket-Protocol`) and from `Sec-WebSocket-Protocol` headers; each comma-separated."""
    values = [*request.query_params.getlist("protocols"), *request.headers.getlist("sec-websocket-protocol")]
    return [offer.strip() for value in values for offer in value.split(",") if offer.strip()]


@router.get("/api/v1/ws/auth-check", status_code=204,
            responses={204: {"description": "The handshake would be admitted with this token and offer"},
                       **refusal_responses(AUTH_CHECK_REFUSALS, AUTH_CHECK_DESCRIPTIONS,
                                           {400: HandshakeRefusal})})
async def auth_check(request: Request) -> Response:
    """Apply the WebSocket's version and token rules; a browser cannot read the status of a
    refused handshake."""
    offered = offered_protocols(request)
    if (unsupported := version_refusal(offered)) is not None:
        return _response(unsupported)
    try:
        request.app.state.verifier.verify(extract_token(request.headers, request.query_params, offered))
    except AuthenticationError as exc:
        return _response(Answer.refusing(exc))
    return Response(status_code=204)


@router.websocket(WEBSOCKET_PATH)
async def websocket_endpoint(websocket: WebSocket) -> None:
    """Admit, accept and attach a connection, then hand it over to the hub."""
    hub = websocket.app.state.hub
    socket = websocket.scope["extensions"].get(SOCKET_EXTENSION)
    offered = websocket.scope.get("subprotocols", [])
    admitted = admit(hub, websocket.app.state.verifier, websocket.query_params, websocket.headers, offered, socket)
    if isinstance(admitted, Answer):
        await websocket.send_denial_response(_response(admitted))
        return
    connection, since = admitted
    try:
        await websocket.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in offered else None)
    except BaseException:
        await hub.detach(connection)
        raise
    await go_live(hub, connection, since, socket)
