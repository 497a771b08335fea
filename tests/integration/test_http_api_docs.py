"""`/docs` and `/openapi.json` from a real hub: served offline, and true to what the hub answers."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from notifyhub.app import create_app

from tests.support.hubs import SERVICE_KEY, hub_settings, serve_in_process, serve_subprocess
from tests.support.openapi import documented_refusals, response_validator
from tests.support.redis_server import free_port

OPERATIONS_KEY = "integration-operations-key"
MAX_PUBLISH_BYTES = 2048
MESSAGES, BATCH, PRESENCE, STATS = ("/api/v1/messages", "/api/v1/messages/batch", "/api/v1/presence/{user_id}",
                                    "/api/v1/ws/stats")


def _notification(**audience: Any) -> dict[str, Any]:
    audience = audience or {"user_ids": [str(uuid.uuid4())]}
    return {**audience, "message": {"type": "notification",
                                    "payload": {"title": "t", "message": "m", "level": "info"}}}


@dataclass(frozen=True)
class Case:
    """One request and the documented answer it must get: (path, method, status, reason)."""

    path: str
    status: int
    reason: str | None = None
    method: str = "post"
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    key: str | None = SERVICE_KEY
    before: tuple[tuple[dict[str, Any], dict[str, str]], ...] = ()
    """Requests to the same path sent first (body, extra headers)."""

    @property
    def id(self) -> str:
        return f"{self.method} {self.path} {self.status} {self.reason or ''}".strip()


CASES = [
    Case(MESSAGES, 202, body=_notification()),
    Case(BATCH, 202, body={"requests": [_notification(), _notification(broadcast=True)]}),
    Case(MESSAGES, 400, "invalid_idempotency_key", body=_notification(), headers={"Idempotency-Key": "k" * 256}),
    Case(BATCH, 400, "invalid_idempotency_key", body={"requests": [_notification()]}, headers={"Idempotency-Key": "k" * 300}),
    Case(MESSAGES, 401, "invalid_service_key", body=_notification(), key="not-a-key"),
    Case(BATCH, 401, "invalid_service_key", body={"requests": [_notification()]}, key=None),
    Case(MESSAGES, 413, "body_too_large", body=_notification() | {"padding": "x" * MAX_PUBLISH_BYTES}),
    Case(BATCH, 413, "body_too_large", body={"requests": [_notification()] * 40}),
    Case(MESSAGES, 422, "invalid_message", body={"user_ids": [], "message": {"type": "notification", "payload": {}}}),
    Case(BATCH, 422, "invalid_message", body={"requests": [_notification(), {"broadcast": True}]}),
    Case(MESSAGES, 422, "idempotency_key_reused", body=_notification(), headers={"Idempotency-Key": "reused"},
         before=((_notification(), {"Idempotency-Key": "reused"}),)),
    Case(BATCH, 422, "idempotency_key_reused", body={"requests": [_notification()]}, headers={"Idempotency-Key": "again"},
         before=(({"requests": [_notification()]}, {"Idempotency-Key": "again"}),)),
    Case(PRESENCE, 200, method="get"),
    Case(PRESENCE, 401, "operations_key_required", method="get", key=None),
    Case(PRESENCE, 401, "invalid_service_key", method="get", key=OPERATIONS_KEY),
    Case(STATS, 401, "operations_key_required", method="get", key=None),
]

UNAVAILABLE_CASES = [
    Case(MESSAGES, 503, "backend_unavailable", body=_notification()),
    Case(BATCH, 503, "backend_unavailable", body={"requests": [_notification()]}),
    Case(PRESENCE, 503, "backend_unavailable", method="get"),
]
"""Against a hub whose Redis is not there: nothing can be sent."""

UNANSWERED_CASES = [
    Case(MESSAGES, 504, "outcome_unknown", body=_notification()),
    Case(BATCH, 504, "outcome_unknown", body={"requests": [_notification()]}),
]
"""Against a hub whose Redis stopped answering once the publish was sent."""


def _settings(**overrides: Any):
    return hub_settings(max_publish_bytes=MAX_PUBLISH_BYTES, operations_keys=[OPERATIONS_KEY], **overrides)


def _documented(document: dict[str, Any], case: Case) -> dict[str, Any]:
    """The response the document gives for the case's path, method and status."""
    return document["paths"][case.path][case.method]["responses"][str(case.status)]


async def _send(base_url: str, case: Case) -> httpx.Response:
    headers = {"Authorization": f"Bearer {case.key}"} if case.key else {}
    url = case.path.replace("{user_id}", str(uuid.uuid4()))
    async with httpx.AsyncClient(base_url=base_url, timeout=20) as http:
        for body, extra in case.before:
            await http.post(url, json=body, headers={**headers, **extra})
        if case.method == "get":
            return await http.get(url, headers=headers)
        return await http.post(url, json=case.body, headers={**headers, **case.headers})


async def _check(base_url: str, case: Case) -> None:
    async with httpx.AsyncClient(base_url=base_url) as http:
        document = (await http.get("/openapi.json")).json()
    response = await _send(base_url, case)
    assert response.status_code == case.status, (case.id, response.text)
    body = response.json()
    errors = [error.message for error in response_validator(document, case.path, case.method, case.status).iter_errors(body)]
    assert not errors, (case.id, body, errors)
    assert body.get("error") == case.reason, (case.id, body)
    for header in _documented(document, case).get("headers", {}):
        assert header.lower() in response.headers, (case.id, header)


def test_every_documented_refusal_has_a_case() -> None:
    """No refusal the document promises goes untried against a hub."""
    document = create_app(_settings()).openapi()
    documented = {(path, method, status, reason) for path in (MESSAGES, BATCH, PRESENCE, STATS)
                  for method, operation in document["paths"][path].items()
                  for status, reason in documented_refusals(operation)}
    tried = {(case.path, case.method, case.status, case.reason) for case in CASES + UNAVAILABLE_CASES + UNANSWERED_CASES}
    assert documented <= tried, documented - tried


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
async def test_answers_match_the_documented_schemas(case: Case) -> None:
    """A service can rely on the documented body (and headers) of each answer it gets."""
    async with serve_in_process(_settings()) as hub:
        await _check(hub.base_url, case)


@pytest.mark.parametrize("case", UNAVAILABLE_CASES, ids=lambda case: case.id)
async def test_backend_unavailable_answers_match_the_documented_schemas(case: Case) -> None:
    """With Redis unreachable, the 503 a service gets is the documented refusal, Retry-After included."""
    settings = _settings(backend="redis", redis_url=f"redis://127.0.0.1:{free_port()}/0", redis_retries=0,
                         redis_health_check_seconds=0.3)
    async with serve_in_process(settings) as hub:
        await _check(hub.base_url, case)


@pytest.mark.parametrize("case", UNANSWERED_CASES, ids=lambda case: case.id)
async def test_outcome_unknown_answers_match_the_documented_schemas(case: Case, private_redis) -> None:
    """When Redis stops answering mid-publish, the 504 a service gets is the documented refusal."""
    settings = _settings(backend="redis", redis_url=private_redis.url, redis_retries=0,
                         redis_health_check_seconds=5, redis_timeout_seconds=0.5)
    async with serve_in_process(settings) as hub:
        warm_up = await _send(hub.base_url, Case(case.path, 202, body=case.body))  # a pooled connection
        assert warm_up.status_code == 202, warm_up.text
        private_redis.pause()
        try:
            await _check(hub.base_url, case)
        finally:
            private_redis.resume()


async def _assets(base_url: str, path: str = "/docs") -> list[str]:
    """The page's answer checked, and the URLs of every file it loads, made absolute."""
    async with httpx.AsyncClient(base_url=base_url) as http:
        page = await http.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    referenced = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page.text)
    referenced += re.findall(r"""url:\s*["']([^"']+)["']""", page.text)  # the document Swagger UI loads
    assert '"validatorUrl": null' in page.text  # no badge fetched from the public validator
    return [urljoin(f"{base_url}{path}", url) for url in referenced]


async def test_docs_work_offline_from_the_hub_alone() -> None:
    """/docs and every file it loads come from the hub itself, without a key: no CDN is needed."""
    async with serve_in_process(_settings()) as hub:
        urls = await _assets(hub.base_url)
        assert len(urls) >= 4, urls
        async with httpx.AsyncClient() as http:
            for url in urls:
                assert urlsplit(url).netloc == urlsplit(hub.base_url).netloc, url
                response = await http.get(url)
                assert response.status_code == 200 and response.content, url
            document = (await http.get(f"{hub.base_url}/openapi.json")).json()
            assert document == hub.server.app.openapi()
            assert (await http.get(f"{hub.base_url}/redoc")).status_code == 404  # a CDN page: not served


async def test_docs_answer_on_the_public_port_beside_an_operations_port() -> None:
    """With the operations endpoints on their own port, /docs and /openapi.json stay public."""
    async with serve_subprocess(operations_port=str(free_port())) as hub:
        urls = await _assets(hub.base_url)
        async with httpx.AsyncClient() as http:
            for url in urls:
                assert (await http.get(url)).status_code == 200, url
