"""The push routes in `/openapi.json` against a real hub: every answer they document, refusals
included, is the answer a page gets, body and headers."""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
from notifyhub.app import create_app
from notifyhub.fallback.vapid import generate_vapid_key

from tests.support.hubs import JWT_SECRET, hub_settings, serve_in_process
from tests.support.openapi import documented_refusals, response_validator
from tests.support.push_service import b64url, browser_keys
from tests.support.redis_server import free_port

KEY, SUBSCRIPTIONS = "/api/v1/push/vapid-public-key", "/api/v1/push/subscriptions"
ENDPOINT = "https://push.example.com/subscription/1"
PUSH = {"vapid_private_key": generate_vapid_key()[0], "vapid_subject": "mailto:ops@example.com",
        "allowed_origins": ["https://app.example"], "max_push_subscriptions_per_user": 1, "push_max_body_bytes": 1024}


def _token(secret: str = JWT_SECRET, algorithm: str = "HS256", **claims: Any) -> str:
    now = int(time.time())
    values = {"user_id": str(uuid.uuid4()), "email": "learner@example.com", "iat": now, "exp": now + 600, **claims}
    return jwt.encode({name: value for name, value in values.items() if value is not None}, secret, algorithm=algorithm)


def _subscription(endpoint: str = ENDPOINT) -> dict[str, Any]:
    return {"endpoint": endpoint, "expirationTime": None, "keys": browser_keys()}


@dataclass(frozen=True)
class Case:
    """One request and the documented answer it must get."""

    method: str
    path: str
    status: int
    reason: str | None = None
    body: Any = None
    token: str | None = field(default_factory=_token)
    headers: tuple[tuple[str, str], ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    before: int = 0
    """Subscriptions of the same user (other endpoints) made first, or with ENDPOINT itself: -1."""

    @property
    def id(self) -> str:
        return f"{self.method} {self.path} {self.status} {self.reason or ''}".strip()


TOKEN_CASES = {
    "missing_token": {"token": None},
    "malformed_token": {"token": "not-a-jwt"},
    "invalid_signature": {"token": _token(secret="another-secret-another-secret-0123456789")},
    "disallowed_algorithm": {"token": _token(algorithm="HS384")},
    "token_expired": {"token": _token(exp=int(time.time()) - 3600)},
    "token_not_yet_valid": {"token": _token(nbf=int(time.time()) + 3600)},
    "missing_claim": {"token": _token(email=None)},
    "invalid_claim": {"token": _token(user_id="not-a-uuid")},
    "invalid_audience": {"token": _token(aud="another-app"), "settings": {"jwt_audience": "the-app"}},
    "invalid_issuer": {"token": _token(iss="another-issuer"), "settings": {"jwt_issuer": "the-issuer"}},
    "not_configured": {"settings": {"jwt_secret": ""}},
}

CASES = [
    Case("get", KEY, 200, token=None),
    Case("get", KEY, 404, "push_not_configured", token=None, settings={"vapid_private_key": ""}),
    Case("get", KEY, 403, "origin_not_allowed", token=None, headers=(("Origin", "https://elsewhere.example"),)),
    Case("post", SUBSCRIPTIONS, 201, body=_subscription()),
    Case("post", SUBSCRIPTIONS, 200, body=_subscription(), before=-1),
    Case("post", SUBSCRIPTIONS, 409, "too_many_push_subscriptions", body=_subscription(), before=1),
    Case("post", SUBSCRIPTIONS, 413, "body_too_large", body={**_subscription(), "padding": "x" * 2000}),
    Case("post", SUBSCRIPTIONS, 422, "invalid_message", body=_subscription("http://10.0.0.1/x")),
    Case("delete", SUBSCRIPTIONS, 204, body={"endpoint": ENDPOINT}),
    Case("delete", SUBSCRIPTIONS, 413, "body_too_large", body={"endpoint": "https://push.example.com/" + "x" * 2000}),
    Case("delete", SUBSCRIPTIONS, 422, "invalid_message", body={"endpoint": 1}),
]
for method in ("post", "delete"):
    body = _subscription() if method == "post" else {"endpoint": ENDPOINT}
    CASES += [Case(method, SUBSCRIPTIONS, 401, reason, body, **case) for reason, case in TOKEN_CASES.items()]
    CASES += [Case(method, SUBSCRIPTIONS, 404, "push_not_configured", body, settings={"vapid_private_key": ""}),
              Case(method, SUBSCRIPTIONS, 403, "origin_not_allowed", body, headers=(("Origin", "https://elsewhere.example"),)),
              Case(method, SUBSCRIPTIONS, 400, "ambiguous_token", body,
                   token=None, headers=(("Authorization", f"Bearer {_token()}"), ("Authorization", f"Bearer {_token()}"))),
              Case(method, SUBSCRIPTIONS, 503, "backend_unavailable", body,
                   settings={"backend": "redis", "redis_url": f"redis://127.0.0.1:{free_port()}/0",
                             "redis_retries": 0, "redis_health_check_seconds": 0.3})]


async def _send(http: httpx.AsyncClient, case: Case) -> httpx.Response:
    headers = [("Authorization", f"Bearer {case.token}")] if case.token else []
    if case.before:
        for index in range(max(case.before, 1)):
            endpoint = ENDPOINT if case.before == -1 else f"{ENDPOINT}/{index}"
            made = await http.post(SUBSCRIPTIONS, json=_subscription(endpoint), headers=headers)
            assert made.status_code == 201, made.text
    return await http.request(case.method.upper(), case.path, json=case.body, headers=[*headers, *case.headers])


def test_every_documented_push_answer_has_a_case() -> None:
    """No answer the document promises for the push routes goes untried against a hub."""
    document = create_app(hub_settings(**PUSH)).openapi()
    documented = {(path, method, status, reason) for path in (KEY, SUBSCRIPTIONS)
                  for method, operation in document["paths"][path].items()
                  for status, reason in documented_refusals(operation)}
    documented |= {(path, method, int(status), None) for path in (KEY, SUBSCRIPTIONS)
                   for method, operation in document["paths"][path].items()
                   for status in operation["responses"] if int(status) < 300}
    assert documented <= {(case.path, case.method, case.status, case.reason) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
async def test_push_answers_match_the_documented_schemas(case: Case) -> None:
    """A page can rely on the documented status, body and headers of each answer it gets."""
    settings = hub_settings(**{**PUSH, **case.settings})
    async with serve_in_process(settings) as hub, httpx.AsyncClient(base_url=hub.base_url, timeout=20) as http:
        document = (await http.get("/openapi.json")).json()
        response = await _send(http, case)
    assert response.status_code == case.status, (case.id, response.text)
    responses = document["paths"][case.path][case.method]["responses"]
    for header in responses[str(case.status)].get("headers", {}):
        assert header.lower() in response.headers, (case.id, header)
    if case.status == 204:
        assert response.content == b""
        return
    body = response.json()
    errors = [error.message for error in
              response_validator(document, case.path, case.method, case.status).iter_errors(body)]
    assert not errors, (case.id, body, errors)
    assert body.get("error") == case.reason, (case.id, body)


def test_the_public_key_is_an_uncompressed_p256_point() -> None:
    """What the document promises of `public_key` is what browsers need: 65 bytes, 0x04 first."""
    app = create_app(hub_settings(**PUSH))
    key = app.state.push_channel.public_key
    assert len(key) == 87 and "=" not in key
    point = base64.urlsafe_b64decode(key + "=")
    assert len(point) == 65 and point[0] == 4 and b64url(point) == key
