"""The Idempotency-Key of `POST /api/v1/messages` and `/batch`, on both backends."""

from __future__ import annotations

import json
import uuid

import httpx
from notifyhub.idempotency import IdempotentRequest
from notifyhub_protocol import new_notification_message

from tests.redis.faults import notification, running_hubs
from tests.support.hubs import SERVICE_KEY, hub_settings


async def _post(base_url: str, path: str, body: bytes, key: str | bytes | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {SERVICE_KEY}", "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        return await http.post(path, content=body, headers=headers)


async def _texts_until(client, last: str) -> list[str]:
    """Every notification text up to and including `last`."""
    texts: list[str] = []
    while last not in texts:
        texts.append((await client.receive_type("notification"))["payload"]["message"])
    return texts


async def test_a_repeated_publish_gets_the_first_answer_and_delivers_nothing_again(backend_settings) -> None:
    """The same key and body again: 202 with the same id, and the user gets the message once."""
    async with running_hubs(1, hub_settings(**backend_settings)) as (hub,):
        user_id = uuid.uuid4()
        client = await hub.connect(user_id)
        body = json.dumps(notification([user_id], "once")).encode()
        first = await _post(hub.base_url, "/api/v1/messages", body, "order-1")
        again = await _post(hub.base_url, "/api/v1/messages", body, "order-1")
        assert (first.status_code, again.status_code) == (202, 202)
        assert again.json()["id"] == first.json()["id"]
        await _post(hub.base_url, "/api/v1/messages", json.dumps(notification([user_id], "end")).encode(), None)
        assert await _texts_until(client, "end") == ["once", "end"]


async def test_a_key_reused_for_another_body_is_refused(backend_settings) -> None:
    """The same key with another body is 422 `idempotency_key_reused`, and sends nothing."""
    async with running_hubs(1, hub_settings(**backend_settings)) as (hub,):
        user_id, other = uuid.uuid4(), uuid.uuid4()
        client = await hub.connect(other)
        await _post(hub.base_url, "/api/v1/messages", json.dumps(notification([user_id], "a")).encode(), "k")
        reused = await _post(hub.base_url, "/api/v1/messages", json.dumps(notification([other], "b")).encode(), "k")
        assert (reused.status_code, reused.json()["error"]) == (422, "idempotency_key_reused")
        await _post(hub.base_url, "/api/v1/messages", json.dumps(notification([other], "end")).encode(), None)
        assert await _texts_until(client, "end") == ["end"]


async def test_a_malformed_key_is_refused(backend_settings) -> None:
    """A key over 255 characters or outside printable ASCII is 400 `invalid_idempotency_key`."""
    async with running_hubs(1, hub_settings(**backend_settings)) as (hub,):
        body = json.dumps(notification([uuid.uuid4()], "x")).encode()
        for key in (b"k" * 256, "caf\u00e9".encode(), b"tab\there"):
            refused = await _post(hub.base_url, "/api/v1/messages", body, key)
            assert (refused.status_code, refused.json()["error"]) == (400, "invalid_idempotency_key")


async def test_a_retry_completes_the_recipients_a_first_attempt_missed(backend_settings) -> None:
    """A multi-recipient publish that reached only some users (its answer lost) is completed by
    its retry: every user has it exactly once, under the same id."""
    async with running_hubs(1, hub_settings(**backend_settings)) as (hub,):
        reached, missed = uuid.uuid4(), uuid.uuid4()
        clients = [await hub.connect(reached), await hub.connect(missed)]
        body = json.dumps(notification([reached, missed], "to both")).encode()
        request = IdempotentRequest.of("batch-7", body, hub.settings.idempotency_window_seconds)
        partial = new_notification_message(title="t", message="to both", level="info")
        await hub.hub.send_to_users([reached], partial.model_copy(update={"id": request.message_id(0)}),
                                    request.token(0))
        retried = await _post(hub.base_url, "/api/v1/messages", body, "batch-7")
        assert (retried.status_code, retried.json()["id"]) == (202, str(request.message_id(0)))
        end = json.dumps(notification([reached, missed], "end")).encode()
        await _post(hub.base_url, "/api/v1/messages", end, None)
        for client in clients:
            assert await _texts_until(client, "end") == ["to both", "end"]


async def test_a_repeated_batch_gets_the_same_ids_and_delivers_nothing_again(backend_settings) -> None:
    """A batch sent twice with one key: the same ids in the same order, each message once."""
    async with running_hubs(1, hub_settings(**backend_settings)) as (hub,):
        user_id = uuid.uuid4()
        client = await hub.connect(user_id)
        body = json.dumps({"requests": [notification([user_id], text) for text in ("1", "2")]}).encode()
        first = await _post(hub.base_url, "/api/v1/messages/batch", body, "batch-key")
        again = await _post(hub.base_url, "/api/v1/messages/batch", body, "batch-key")
        assert [r["id"] for r in again.json()["results"]] == [r["id"] for r in first.json()["results"]]
        await _post(hub.base_url, "/api/v1/messages", json.dumps(notification([user_id], "end")).encode(), None)
        assert await _texts_until(client, "end") == ["1", "2", "end"]
