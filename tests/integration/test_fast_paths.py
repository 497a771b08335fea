"""The fast paths answer exactly as the FastAPI routes do: the WebSocket handshake served by the
server's upgrade gate (`Admission`) and the publish routes served by the server's HTTP protocol."""

from __future__ import annotations

import asyncio
import functools
import json
import uuid
from typing import Any

import httpx
import pytest
from notifyhub.server.http_protocol import NotifyhubHttpProtocol
from notifyhub.server.websocket_protocol import NotifyhubWebSocketProtocol
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.http11 import Request

from tests.support.hubs import SERVICE_KEY, Client, RunningHub

HANDSHAKE_PATHS = ["gate", "asgi"]
PUBLISH_PATHS = ["protocol", "route"]


def use_handshake_path(hub: RunningHub, path: str) -> None:
    """`gate`: the server's gate serves the handshake (the default); `asgi`: FastAPI's route does."""
    if path == "asgi":  # connections from now on get a protocol without the gate
        hub.server.config.ws_protocol_class = functools.partial(NotifyhubWebSocketProtocol, gate=None)


def use_publish_path(hub: RunningHub, path: str) -> None:
    """`protocol` (the default) or `route` (FastAPI's routes)."""
    if path == "route":
        hub.server.app.state.service_api.serves = lambda _path: False


async def handshake(url: str, **options: Any) -> tuple[int, dict[str, str], dict]:
    """Status, headers and JSON body of a refused handshake."""
    with pytest.raises(InvalidStatus) as caught:
        async with connect(url, open_timeout=5, **options):
            pass
    response = caught.value.response
    return response.status_code, {k.lower(): v for k, v in response.headers.raw_items()}, json.loads(response.body)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many handshakes the gate accepted and publishes the HTTP protocol answered."""
    counts = {"accepted": 0, "answered": 0}
    accept, respond = NotifyhubWebSocketProtocol.accept, NotifyhubHttpProtocol._respond

    def counting_accept(self, subprotocol):
        counts["accepted"] += 1
        return accept(self, subprotocol)

    def counting_respond(self, *args):
        counts["answered"] += 1
        return respond(self, *args)

    monkeypatch.setattr(NotifyhubWebSocketProtocol, "accept", counting_accept)
    monkeypatch.setattr(NotifyhubHttpProtocol, "_respond", counting_respond)
    return counts


@pytest.mark.parametrize("path", HANDSHAKE_PATHS)
async def test_handshake_refusals_are_the_same_on_both_paths(start_hub, path: str) -> None:
    """Bad token 401, bad `since` 400, wrong subprotocol 400, other origin 403, over the limit 429:
    each an HTTP response before the upgrade, with the same JSON body, on either path."""
    hub = await start_hub(allowed_origins=["https://app.example"], max_connections_per_user=1)
    use_handshake_path(hub, path)
    user_id = uuid.uuid4()
    token = hub.token(user_id)
    refusals = [
        (f"{hub.ws_url}?token={token[:-3]}AAA", {}, 401, "invalid_signature"),
        (hub.ws_url, {}, 401, "missing_token"),
        (f"{hub.ws_url}?token={token}&since=nonsense", {}, 400, "invalid_since"),
        (f"{hub.ws_url}?token={token}", {"subprotocols": ["other.v1"]}, 400, "unsupported_subprotocol"),
        (f"{hub.ws_url}?token={token}", {"origin": "https://evil.example"}, 403, "origin_not_allowed"),
    ]
    for url, options, status, reason in refusals:
        got_status, headers, body = await handshake(url, **options)
        assert (got_status, body["error"]) == (status, reason), url
        assert headers["content-type"] == "application/json" and headers["connection"] == "close"
        assert set(body) == ({"error", "detail", "supported"} if reason == "unsupported_subprotocol"
                             else {"error", "detail"})
    await hub.connect(user_id)
    status, _, body = await handshake(f"{hub.ws_url}?token={token}")
    assert (status, body["error"]) == (429, "too_many_connections")


@pytest.mark.parametrize("path", HANDSHAKE_PATHS)
async def test_accepted_handshake_is_the_same_on_both_paths(hub: RunningHub, counted, path: str) -> None:
    """A good token by header, query or bearer subprotocol gets the upgrade, `notifyhub.v1` when
    offered, then `connection_established` and live messages, on either path."""
    use_handshake_path(hub, path)
    user_id = uuid.uuid4()
    token = hub.token(user_id)
    by_subprotocol = await hub.connect(user_id, token=token)  # notifyhub.v1 + bearer.<jwt>
    assert by_subprotocol.connection.subprotocol == "notifyhub.v1"
    async with connect(f"{hub.ws_url}?token={token}") as ws:
        client = Client(ws)
        assert ws.subprotocol is None
        assert (await client.receive_type("connection_established"))["payload"]["user_id"] == str(user_id)
        response = await hub.publish({"user_ids": [str(user_id)], "message": {
            "type": "notification", "payload": {"title": "t", "message": "m", "level": "info"}}})
        assert response.json()["connections"] == 2
        assert (await client.receive_type("notification"))["seq"] == 1
    assert (await by_subprotocol.receive_type("notification"))["seq"] == 1
    assert counted["accepted"] == (2 if path == "gate" else 0)


async def test_a_plain_handshake_is_parsed_once(hub: RunningHub, monkeypatch: pytest.MonkeyPatch) -> None:
    """The head httptools parsed is the handshake: websockets does not parse it again (it does only
    for heads it must judge itself, see tests/unit/test_handshake_request.py)."""
    parses: list[str] = []
    parse = Request.parse.__func__

    def counting_parse(cls, *args, **kwargs):  # a generator, as websockets' parsers are
        request = yield from parse(cls, *args, **kwargs)
        parses.append(request.path)
        return request

    monkeypatch.setattr(Request, "parse", classmethod(counting_parse))
    user_id = uuid.uuid4()
    async with connect(f"{hub.ws_url}?token={hub.token(user_id)}") as ws:
        assert (await Client(ws).receive_type("connection_established"))["payload"]["user_id"] == str(user_id)
    by_subprotocol = await hub.connect(user_id)
    assert by_subprotocol.connection.subprotocol == "notifyhub.v1"
    assert parses == []


class _CountingTransport:
    """A transport that records what is written through it."""

    def __init__(self, transport, writes: list[bytes]) -> None:
        self._transport = transport
        self._writes = writes

    def write(self, data: bytes) -> None:
        self._writes.append(bytes(data))
        self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


async def test_the_101_and_the_first_frame_go_out_in_one_write(hub: RunningHub, backend_settings: dict[str, Any],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A connection that goes live at once (memory backend) costs the hub one system call to open,
    not one for the 101 and another for `connection_established`; one that waits for Redis gets
    its 101 first, alone. Either way with one Date header."""
    writes: list[bytes] = []
    upgraded = NotifyhubWebSocketProtocol.connection_upgraded

    def counting_upgraded(self, transport, server, client):
        upgraded(self, _CountingTransport(transport, writes), server, client)

    monkeypatch.setattr(NotifyhubWebSocketProtocol, "connection_upgraded", counting_upgraded)
    user_id = uuid.uuid4()
    async with connect(f"{hub.ws_url}?token={hub.token(user_id)}") as ws:
        assert (await Client(ws).receive_type("connection_established"))["payload"]["user_id"] == str(user_id)
        first = writes[0]
    assert first.startswith(b"HTTP/1.1 101 ")
    goes_live_at_once = backend_settings["backend"] == "memory"
    assert (b'"type":"connection_established"' in first) == goes_live_at_once
    assert first.lower().count(b"\r\ndate: ") == 1


async def publish_answers(hub: RunningHub) -> list[tuple[int, dict[str, str], Any]]:
    """Status, the headers a client reads, and the JSON body of one request of every kind."""
    message = {"type": "notification", "payload": {"title": "t", "message": "m", "level": "info"}}
    user = str(uuid.uuid4())
    auth = {"Authorization": f"Bearer {SERVICE_KEY}"}
    requests = [
        ("/api/v1/messages", {"user_ids": [user], "message": message}, auth),
        ("/api/v1/messages", {"broadcast": True, "message": message}, auth),
        ("/api/v1/messages/batch", {"requests": [{"user_ids": [user], "message": message}] * 3}, auth),
        ("/api/v1/messages", {"user_ids": [user], "message": {**message, "type": "nope"}}, auth),
        ("/api/v1/messages/batch", {"requests": []}, auth),
        ("/api/v1/messages", {"user_ids": [user], "message": message}, {"Authorization": "Bearer wrong"}),
        ("/api/v1/messages", {"user_ids": [user], "message": message}, {}),
        ("/api/v1/messages", {"user_ids": [user], "message": {**message, "payload": {
            "title": "t", "message": "x" * 3000, "level": "info"}}}, auth),
    ]
    answers = []
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        for path, body, headers in requests:
            response = await http.post(path, json=body, headers=headers)
            body = response.json()
            for result in [body, *body.get("results", [])]:
                result.pop("id", None)  # new for every message
            kept = {name: response.headers[name] for name in ("content-type", "www-authenticate", "retry-after")
                    if name in response.headers}
            answers.append((response.status_code, kept, body))
        response = await http.post("/api/v1/messages", content=b"{not json", headers=auth)
        answers.append((response.status_code, {"content-type": response.headers["content-type"]},
                        response.json()["error"]))
    return answers


async def test_publish_answers_are_the_same_on_every_path(start_hub, counted) -> None:
    """202 results, 422 with pointers, 401 with WWW-Authenticate and 413 are identical whether the
    server's HTTP protocol or FastAPI's routes answer."""
    answers = {}
    for path in PUBLISH_PATHS:
        hub = await start_hub(max_publish_bytes=2048)
        use_publish_path(hub, path)
        before = counted["answered"]
        answers[path] = await publish_answers(hub)
        assert (counted["answered"] - before > 0) == (path == "protocol")
    assert answers["protocol"] == answers["route"]
    statuses = [status for status, _, _ in answers["protocol"]]
    assert statuses == [202, 202, 202, 422, 422, 401, 401, 413, 422]
    assert answers["protocol"][5][1]["www-authenticate"] == "Bearer"


async def test_pipelined_publishes_are_answered_in_order(hub: RunningHub) -> None:
    """Requests sent back to back on one connection, before any answer, get their answers in
    order, a publish behind another request and another request behind a publish."""
    message = json.dumps({"broadcast": True, "message": {
        "type": "notification", "payload": {"title": "t", "message": "m", "level": "info"}}}).encode()
    publish = (b"POST /api/v1/messages HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer " + SERVICE_KEY.encode()
               + b"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(message) + message)
    health = b"GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n"
    reader, writer = await asyncio.open_connection("127.0.0.1", hub.port)
    writer.write(publish + health + publish + publish + health)
    await writer.drain()
    statuses = []
    for _ in range(5):
        status_line = await asyncio.wait_for(reader.readline(), 5)
        statuses.append(int(status_line.split()[1]))
        length = 0
        while (line := await asyncio.wait_for(reader.readline(), 5)) != b"\r\n":
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await reader.readexactly(length)
    writer.close()
    assert statuses == [202, 200, 202, 202, 200]


async def test_the_rules_the_schema_cannot_state_run_once_per_message(hub: RunningHub, monkeypatch) -> None:
    """A publish checks each message's cross-field rules once (when the request is parsed), not
    again when it is sent: a batch of 3 runs the rule 3 times."""
    from notifyhub import rules

    calls = []
    monkeypatch.setitem(rules.RULES, "notification", lambda payload: calls.append(payload) or [])
    message = {"type": "notification", "payload": {"title": "t", "message": "m", "level": "info"}}
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        response = await http.post("/api/v1/messages/batch", json={"requests": [
            {"user_ids": [str(uuid.uuid4())], "message": message}] * 3},
            headers={"Authorization": f"Bearer {SERVICE_KEY}"})
    assert response.status_code == 202
    assert len(calls) == 3
