"""Who may connect: the three ways to pass a token, and HTTP refusals before the upgrade."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import quote

import httpx

import jwt
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from notifyhub.auth import issue_token
from notifyhub_protocol import SUBPROTOCOL
from tests.support.hubs import JWT_SECRET, SERVICE_KEY, Client, RunningHub, hub_settings, serve_subprocess


def sign(claims: dict, key: str = JWT_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def valid_claims(**changes) -> dict:
    claims = {"user_id": str(uuid.uuid4()), "email": "learner@example.com", "exp": int(time.time()) + 3600}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


async def refusal(url: str, **options) -> tuple[int, dict]:
    """Status and JSON body of a refused handshake."""
    with pytest.raises(InvalidStatus) as caught:
        async with connect(url, open_timeout=5, **options):
            pass
    response = caught.value.response
    return response.status_code, json.loads(response.body)


async def test_token_in_query_header_or_subprotocol_is_accepted(hub: RunningHub) -> None:
    """A client may pass its JWT as ?token=, as Authorization: Bearer, or as a bearer subprotocol."""
    user_id = uuid.uuid4()
    token = hub.token(user_id)
    attempts = [
        dict(uri=f"{hub.ws_url}?token={token}"),
        dict(uri=hub.ws_url, additional_headers={"Authorization": f"Bearer {token}"}),
        dict(uri=hub.ws_url, subprotocols=["notifyhub.v1", f"bearer.{token}"]),
    ]
    for attempt in attempts:
        async with connect(attempt.pop("uri"), open_timeout=5, **attempt) as ws:
            frame = await Client(ws).receive_type("connection_established")
            assert frame["payload"]["user_id"] == str(user_id)
            if "subprotocols" in attempt:
                assert ws.subprotocol == "notifyhub.v1"


BAD_TOKENS = {
    "missing": (None, "missing_token"),
    "malformed": ("not-a-jwt", "malformed_token"),
    "wrong_signature": (sign(valid_claims(), key="another-secret-another-secret-0123456789"),
                        "invalid_signature"),
    "alg_none": (jwt.encode(valid_claims(), None, algorithm="none"), "disallowed_algorithm"),
    "expired": (sign(valid_claims(exp=int(time.time()) - 60)), "token_expired"),
    "without_claims": (sign({"sub": "someone"}), "missing_claim"),
    "without_exp": (sign(valid_claims(exp=None)), "missing_claim"),
    "user_id_not_uuid": (sign(valid_claims(user_id="42")), "invalid_claim"),
    "user_id_integer": (sign(valid_claims(user_id=int(uuid.uuid4()))), "invalid_claim"),
    "email_not_string": (sign(valid_claims(email=7)), "invalid_claim"),
    "exp_string": (sign(valid_claims(exp=str(int(time.time()) + 3600))), "invalid_claim"),
    "exp_1e300": (sign(valid_claims(exp=1e300)), "invalid_claim"),
    "exp_10**12": (sign(valid_claims(exp=10**12)), "invalid_claim"),
    "exp_negative": (sign(valid_claims(exp=-1)), "invalid_claim"),
    "exp_bool": (sign(valid_claims(exp=True)), "invalid_claim"),
    "nbf_string": (sign(valid_claims(nbf="soon")), "invalid_claim"),
    "iat_1e300": (sign(valid_claims(iat=1e300)), "invalid_claim"),
    "nbf_in_the_future": (sign(valid_claims(nbf=int(time.time()) + 3600)), "token_not_yet_valid"),
    "iat_in_the_future": (sign(valid_claims(iat=int(time.time()) + 3600)), "token_not_yet_valid"),
}


@pytest.mark.parametrize("token, reason", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_bad_token_is_refused_with_401_and_reason(hub: RunningHub, token: str | None,
                                                        reason: str) -> None:
    """A bad token is an HTTP 401 before the upgrade, with a reason the client can read."""
    url = hub.ws_url if token is None else f"{hub.ws_url}?token={token}"
    status, body = await refusal(url)
    assert (status, body["error"]) == (401, reason)
    metrics = (await hub.get("/metrics")).text
    assert f'notifyhub_connection_errors_total{{reason="{reason}"}} 1.0' in metrics


@pytest.mark.parametrize("token, reason", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_auth_check_applies_the_same_rules(hub: RunningHub, token: str | None, reason: str) -> None:
    """The auth-check endpoint tells a browser why its handshake was refused."""
    params = {} if token is None else {"token": token}
    response = await hub.get("/api/v1/ws/auth-check", key=None, params=params)
    assert (response.status_code, response.json()["error"]) == (401, reason)


def ambiguous_attempts(hub: RunningHub) -> dict[str, dict]:
    """Handshakes carrying two tokens, each valid on its own."""
    first, second = hub.token(), hub.token()
    header = {"Authorization": f"Bearer {first}"}
    return {
        "header+query": dict(uri=f"{hub.ws_url}?token={second}", additional_headers=header),
        "header+subprotocol": dict(uri=hub.ws_url, additional_headers=header,
                                   subprotocols=["notifyhub.v1", f"bearer.{second}"]),
        "subprotocol+query": dict(uri=f"{hub.ws_url}?token={first}",
                                  subprotocols=["notifyhub.v1", f"bearer.{second}"]),
        "two_bearer_offers": dict(uri=hub.ws_url,
                                  subprotocols=["notifyhub.v1", f"bearer.{first}", f"bearer.{second}"]),
        "two_query_tokens": dict(uri=f"{hub.ws_url}?token={first}&token={second}"),
    }


@pytest.mark.parametrize("case", ["header+query", "header+subprotocol", "subprotocol+query",
                                  "two_bearer_offers", "two_query_tokens"])
async def test_several_tokens_are_refused_with_400(hub: RunningHub, case: str) -> None:
    """The hub never picks one of several tokens: the handshake is refused with 400 ambiguous_token."""
    attempt = ambiguous_attempts(hub)[case]
    status, body = await refusal(attempt.pop("uri"), **attempt)
    assert (status, body["error"]) == (400, "ambiguous_token")


async def test_auth_check_refuses_several_tokens_with_400(hub: RunningHub) -> None:
    """auth-check gives a browser the same 400 as the handshake for a header and a query token."""
    response = await hub.get("/api/v1/ws/auth-check", params={"token": hub.token()},
                             headers={"Authorization": f"Bearer {hub.token()}"})
    assert (response.status_code, response.json()["error"]) == (400, "ambiguous_token")


async def test_auth_check_accepts_a_good_token(hub: RunningHub) -> None:
    """A valid token gets 204 from auth-check, by query or by header."""
    token = hub.token()
    assert (await hub.get("/api/v1/ws/auth-check", key=None, params={"token": token})).status_code == 204
    headers = {"Authorization": f"Bearer {token}"}
    assert (await hub.get("/api/v1/ws/auth-check", key=None, headers=headers)).status_code == 204


OTHER_VERSIONS = {
    "older_only": ["notifyhub.v0"],
    "newer_only": ["notifyhub.v2"],
    "two_others": ["notifyhub.v0", "notifyhub.v2"],
}


@pytest.mark.parametrize("offered", OTHER_VERSIONS.values(), ids=OTHER_VERSIONS.keys())
async def test_other_protocol_versions_get_400_naming_the_supported_ones(hub: RunningHub,
                                                                       offered: list[str]) -> None:
    """A client of another protocol version is told, before the upgrade, which versions the hub speaks."""
    status, body = await refusal(hub.ws_url, subprotocols=[*offered, f"bearer.{hub.token()}"])
    assert (status, body["error"], body["supported"]) == (400, "unsupported_subprotocol", [SUBPROTOCOL])
    assert SUBPROTOCOL in body["detail"]


async def test_other_protocol_version_is_named_before_a_bad_token(hub: RunningHub) -> None:
    """A client of another version with an expired token learns of the version (a new token would not help)."""
    expired = sign(valid_claims(exp=int(time.time()) - 60))
    status, body = await refusal(f"{hub.ws_url}?token={expired}", subprotocols=["notifyhub.v2"])
    assert (status, body["error"]) == (400, "unsupported_subprotocol")


async def test_auth_check_names_the_supported_versions(hub: RunningHub) -> None:
    """auth-check, given the offered protocols, gives a browser the same 400 as the handshake."""
    auth = {"Authorization": f"Bearer {hub.token()}"}
    asked = [dict(params={"protocols": "notifyhub.v2"}, headers=auth),
             dict(params={"protocols": "notifyhub.v0,notifyhub.v2"}, headers=auth),
             dict(headers={**auth, "Sec-WebSocket-Protocol": "notifyhub.v2"}),
             dict(params={"protocols": "notifyhub.v2", "token": "not-a-jwt"})]
    for ask in asked:
        response = await hub.get("/api/v1/ws/auth-check", key=None, **ask)
        assert response.status_code == 400, ask
        assert response.json() == {"error": "unsupported_subprotocol", "detail": f"this hub speaks '{SUBPROTOCOL}'",
                                   "supported": [SUBPROTOCOL]}


async def test_auth_check_accepts_the_version_it_speaks(hub: RunningHub) -> None:
    """A token offered with the hub's own version gets 204, by query or by header; a bearer offer is a token."""
    token = hub.token()
    auth = {"Authorization": f"Bearer {token}"}
    ok = [dict(params={"protocols": SUBPROTOCOL}, headers=auth),
          dict(params={"protocols": f"notifyhub.v0,{SUBPROTOCOL}"}, headers=auth),
          dict(headers={"Sec-WebSocket-Protocol": f"{SUBPROTOCOL}, bearer.{token}"})]
    for ask in ok:
        assert (await hub.get("/api/v1/ws/auth-check", key=None, **ask)).status_code == 204, ask


async def test_connection_over_the_per_user_limit_gets_429(start_hub) -> None:
    """A user's 21st connection is refused with 429; another user is unaffected."""
    hub = await start_hub()
    user_id = uuid.uuid4()
    for _ in range(20):
        await hub.connect(user_id)
    status, body = await refusal(f"{hub.ws_url}?token={hub.token(user_id)}")
    assert (status, body["error"]) == (429, "too_many_connections")
    await hub.connect(uuid.uuid4())


async def test_closed_connection_frees_its_place(start_hub) -> None:
    """Closing a connection lets the user open another one at the limit."""
    hub = await start_hub(max_connections_per_user=1)
    user_id = uuid.uuid4()
    first = await hub.connect(user_id)
    await first.close()
    await hub.connect(user_id)


async def test_other_origin_is_refused_with_403(start_hub) -> None:
    """With allowed origins configured, a browser on another origin gets 403."""
    hub = await start_hub(allowed_origins=["https://app.hailango.example"])
    token = hub.token()
    status, body = await refusal(f"{hub.ws_url}?token={token}", origin="https://evil.example")
    assert (status, body["error"]) == (403, "origin_not_allowed")
    async with connect(f"{hub.ws_url}?token={token}", origin="https://app.hailango.example"):
        pass


async def test_token_expiry_closes_the_connection_with_4001(hub: RunningHub) -> None:
    """When the token expires the hub closes with 'token expired', so the client reconnects."""
    client = await hub.connect(token=hub.token(ttl=1))
    await client.connection.wait_closed()
    assert client.connection.close_code == 4001


def secret_forms(secret: str) -> set[str]:
    """Ways a secret could show up in a log: as is, its last dot-separated part, percent-encoded."""
    return {secret, secret.rsplit(".", 1)[-1], quote(secret, safe=""), secret.replace(".", "%2E")}


async def test_tokens_never_reach_the_debug_log() -> None:
    """Whichever way a client passes a token or a service its key, `serve --log-level debug` logs none of it."""
    settings = hub_settings()
    tokens = [issue_token(settings, uuid.uuid4(), "learner@example.com") for _ in range(6)]
    async with serve_subprocess("--log-level", "debug", "--access-log") as hub:
        encoded_dots = tokens[0].replace(".", "%2E")
        async with connect(f"{hub.ws_url}?%74oken={encoded_dots}", open_timeout=5) as ws:
            await Client(ws).receive_type("connection_established")
        async with connect(hub.ws_url, open_timeout=5, additional_headers={"Authorization": f"Bearer {tokens[1]}"}):
            pass
        async with connect(hub.ws_url, open_timeout=5, subprotocols=["notifyhub.v1", f"bearer.{tokens[2]}"]):
            pass
        for query in (f"access_token={tokens[3]}", f"%2574oken={tokens[4].replace('.', '%252E')}"):
            await refusal(f"{hub.ws_url}?{query}")
        async with httpx.AsyncClient(base_url=hub.base_url) as http:
            await http.get("/api/v1/ws/auth-check", params={"token": tokens[5]})
            await http.post("/api/v1/messages", json={}, headers={"Authorization": f"Bearer {SERVICE_KEY}"})
    log = "".join(hub.output)
    assert log.count("[REDACTED]") >= 4, log
    leaked = [form for secret in [*tokens, SERVICE_KEY] for form in secret_forms(secret) if form in log]
    assert not leaked
