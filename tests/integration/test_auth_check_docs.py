"""`GET /api/v1/ws/auth-check` from a real hub: every refusal the OpenAPI document lists is the
one the hub answers, with the documented body."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
from notifyhub.admission import SUPPORTED_SUBPROTOCOLS
from notifyhub.app import create_app

from tests.support.hubs import JWT_SECRET, hub_settings, serve_in_process
from tests.support.openapi import documented_refusals, response_validator

AUTH_CHECK = "/api/v1/ws/auth-check"
AUDIENCE, ISSUER = "hailango", "https://auth.hailango.test"


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"user_id": str(uuid.uuid4()), "email": "reader@example.com", "exp": now + 600, "iat": now,
              "aud": AUDIENCE, "iss": ISSUER}
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def _token(secret: str = JWT_SECRET, algorithm: str = "HS256", **changes: Any) -> str:
    return jwt.encode(_claims(**changes), secret, algorithm=algorithm)


@dataclass(frozen=True)
class Case:
    status: int
    reason: str | None
    token: str | None = None
    query: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


CASES = {
    "admitted": Case(204, None, _token()),
    "unsupported_subprotocol": Case(400, "unsupported_subprotocol", _token(), {"protocols": "notifyhub.v0"}),
    "ambiguous_token": Case(400, "ambiguous_token", _token(), {"token": _token()}),
    "missing_token": Case(401, "missing_token"),
    "malformed_token": Case(401, "malformed_token", "not-a-jwt"),
    "invalid_signature": Case(401, "invalid_signature", _token(secret="another-secret-another-secret-0123456789")),
    "disallowed_algorithm": Case(401, "disallowed_algorithm", _token(algorithm="HS384")),
    "token_expired": Case(401, "token_expired", _token(exp=int(time.time()) - 3600)),
    "token_not_yet_valid": Case(401, "token_not_yet_valid", _token(nbf=int(time.time()) + 3600)),
    "missing_claim": Case(401, "missing_claim", _token(email=None)),
    "invalid_claim": Case(401, "invalid_claim", _token(user_id="not-a-uuid")),
    "invalid_audience": Case(401, "invalid_audience", _token(aud="another-app")),
    "invalid_issuer": Case(401, "invalid_issuer", _token(iss="https://elsewhere.test")),
    "not_configured": Case(401, "not_configured", _token(), settings={"jwt_secret": ""}),
}


def _settings(**overrides: Any):
    return hub_settings(jwt_audience=AUDIENCE, jwt_issuer=ISSUER, **overrides)


def test_every_documented_refusal_has_a_case() -> None:
    """The document lists exactly the refusals tried here, each under its status."""
    operation = create_app(_settings()).openapi()["paths"][AUTH_CHECK]["get"]
    documented = documented_refusals(operation)
    tried = {(case.status, case.reason) for case in CASES.values() if case.reason}
    assert documented == tried


@pytest.mark.parametrize("name", CASES)
async def test_auth_check_answers_as_documented(name: str) -> None:
    """A browser app learns why its handshake would be refused, in the documented shape."""
    case = CASES[name]
    async with serve_in_process(_settings(**case.settings)) as hub:
        headers = {"Authorization": f"Bearer {case.token}"} if case.token else {}
        async with httpx.AsyncClient(base_url=hub.base_url, timeout=10) as http:
            document = (await http.get("/openapi.json")).json()
            response = await http.get(AUTH_CHECK, headers=headers, params=case.query)
    assert response.status_code == case.status, response.text
    assert str(case.status) in document["paths"][AUTH_CHECK]["get"]["responses"]
    if case.reason is None:
        return
    body = response.json()
    assert body["error"] == case.reason
    assert not [error.message for error in response_validator(document, AUTH_CHECK, "get", case.status).iter_errors(body)], body
    if case.reason == "unsupported_subprotocol":
        assert body["supported"] == list(SUPPORTED_SUBPROTOCOLS)
