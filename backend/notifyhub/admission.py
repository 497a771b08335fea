"""Who may open a WebSocket, and how an accepted one goes live.

`admit` decides before the upgrade (`since`, origin, subprotocol, token, the per-user limit) and
registers the connection, with no I/O. `go_live` runs after the 101: it attaches the connection to
the backend, queues `connection_established` and the replay, and hands the socket to the hub.
`Admission` is the server's upgrade gate: it serves the handshake without ASGI using both.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from notifyhub_protocol import SUBPROTOCOL, CloseCode, RefusalReason
from starlette.datastructures import QueryParams

from .answers import Answer, refusal
from .auth import TokenVerifier, extract_token
from .backends.base import BackendUnavailableError, Replay, Since
from .connection import Connection, Socket
from .errors import AuthenticationError, ConnectionLimitError, NotifyhubError
from .hub import Hub, try_again_later_reason
from .reader import ClientReader
from .wire import OutgoingFrame

logger = logging.getLogger(__name__)

WEBSOCKET_PATH = "/api/v1/ws"

SUPPORTED_SUBPROTOCOLS = (SUBPROTOCOL,)
"""The protocol versions this hub speaks, from the generated SUBPROTOCOL; told to a client offering none."""


def _origin_allowed(origin: str | None, allowed: list[str]) -> bool:
    return origin is None or "*" in allowed or origin in allowed


def version_refusal(offered: list[str]) -> Answer | None:
    """400 `unsupported_subprotocol` naming the versions the hub speaks, when subprotocols were
    offered but none of them is one; None when the offer is fine (or empty: no subprotocol at all)."""
    if not offered or any(version in offered for version in SUPPORTED_SUBPROTOCOLS):
        return None
    speaks = ", ".join(f"'{version}'" for version in SUPPORTED_SUBPROTOCOLS)
    return Answer.refusing(NotifyhubError(RefusalReason.UNSUPPORTED_SUBPROTOCOL, f"this hub speaks {speaks}"),
                           supported=list(SUPPORTED_SUBPROTOCOLS))


def admit(hub: Hub, verifier: TokenVerifier, query: Mapping[str, str], headers: Mapping[str, str],
          offered: list[str], socket: Socket | None) -> tuple[Connection, Since | None] | Answer:
    """Admit a handshake as a registered connection, or answer why not. No I/O."""
    settings = hub.settings
    errors = hub.metrics.connection_errors
    since = None
    if "since" in query:
        try:
            since = Since.parse(query["since"], query.get("since_id"))
        except ValueError as exc:
            errors.labels(reason=RefusalReason.INVALID_SINCE).inc()
            return refusal(RefusalReason.INVALID_SINCE, str(exc))
    if not _origin_allowed(headers.get("origin"), settings.allowed_origins):
        errors.labels(reason=RefusalReason.ORIGIN_NOT_ALLOWED).inc()
        return refusal(RefusalReason.ORIGIN_NOT_ALLOWED, "this origin may not connect")
    # Before the token: a client of another version learns that, whatever its token (it cannot
    # cure it by fetching a new one).
    if (unsupported := version_refusal(offered)) is not None:
        errors.labels(reason=RefusalReason.UNSUPPORTED_SUBPROTOCOL).inc()
        return unsupported
    try:
        identity = verifier.verify(extract_token(headers, query, offered))
    except AuthenticationError as exc:
        errors.labels(reason=exc.reason).inc()
        return Answer.refusing(exc)
    if socket is None:
        logger.error("WebSocket served without notifyhub's protocol class; run `notifyhub serve`")
        return refusal(RefusalReason.UNSUPPORTED_SERVER, "served without notifyhub's server")
    try:
        connection = hub.open_connection(identity, socket)
    except ConnectionLimitError as exc:
        errors.labels(reason=exc.reason).inc()
        return Answer.refusing(exc)
    return connection, since


async def go_live(hub: Hub, connection: Connection, since: Since | None, socket: Socket) -> None:
    """After the 101: attach to the backend, queue `connection_established` and the replay, and
    hand the socket over to the hub. A backend that is down, or does not answer within the
    handshake timeout, closes with TRY_AGAIN_LATER."""
    try:
        replay = await _attach(hub, connection, since)
    except (BackendUnavailableError, TimeoutError) as exc:
        logger.warning("could not attach a connection (%s); asking the client to come back later", exc)
        connection.start()
        connection.close(CloseCode.TRY_AGAIN_LATER, try_again_later_reason(hub.settings))
        await hub.detach(connection)
        return
    except BaseException:
        await hub.detach(connection)
        raise
    identity = connection.identity
    connection.enqueue(OutgoingFrame(hub.established.frame(connection.id, identity.user_id, identity.expires_at,
                                                           replay)))
    connection.resume(replay.state.epoch, replay.start, replay.entries, complete=replay.complete,
                      head_seq=replay.state.last_seq, through=replay.through)
    connection.start()
    socket.hand_over(ClientReader(connection, hub))


def _attach(hub: Hub, connection: Connection, since: Since | None):
    """`hub.attach`, bounded by the handshake timeout when the backend may wait (an eager
    coroutine, with the memory backend, cannot use `asyncio.timeout`)."""
    attach = hub.attach(connection, since)
    if not hub.backend.waits:
        return attach
    return asyncio.wait_for(attach, hub.settings.websocket_handshake_timeout_seconds)


class Admission:
    """The handshake of `GET /api/v1/ws` without the ASGI round trip (the server's upgrade gate).

    The server's WebSocket protocol calls `upgrade` as soon as it has parsed the request: `admit`
    decides (the same 400/401/403/429 before the upgrade as the FastAPI route), the 101 is written
    at once, and `go_live` follows at once with the memory backend, in a task with Redis.
    """

    path = WEBSOCKET_PATH

    def __init__(self, hub: Hub, verifier: TokenVerifier) -> None:
        self.hub = hub
        self.verifier = verifier

    def upgrade(self, socket, query_string: str, headers: Mapping[str, str], subprotocols: list[str]) -> None:
        admitted = admit(self.hub, self.verifier, QueryParams(query_string), headers, subprotocols, socket)
        if isinstance(admitted, Answer):
            socket.deny(admitted.status, admitted.rendered())
            return
        connection, since = admitted
        if not socket.accept(SUBPROTOCOL if SUBPROTOCOL in subprotocols else None):
            self.hub.forget(connection)
            return
        socket.run(go_live(self.hub, connection, since, socket), eagerly=not self.hub.backend.waits)
