"""Sending: to one user's connections, to everyone, from services over HTTP and in process."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from notifyhub_protocol import (
    SERVER_MESSAGE_ADAPTER,
    SERVER_MESSAGE_TYPES,
    new_learning_update_message,
    new_ocr_progress_message,
    new_review_reminder_message,
)

from tests.support.hubs import RunningHub, wait_until
from tests.support.schemas import server_examples, validate_server_frame

PAYLOADS = {name: example["payload"] for name, example in server_examples(services_only=True).items()}
"""Each type a service may publish (from the generated registry), with its schema's example payload."""
BOOK_ID = PAYLOADS["ocr_progress"]["book_id"]


def to_users(user_ids, message_type: str, payload: dict | None = None) -> dict:
    return {"user_ids": [str(u) for u in user_ids],
            "message": {"type": message_type, "payload": payload or PAYLOADS[message_type]}}


async def assert_nothing_arrives(client, within: float = 0.3) -> None:
    """Prove absence by a round trip: a ping's pong must be the next frame."""
    await client.send('{"type": "ping"}')
    frame = await client.receive(timeout=within + 5)
    assert frame["type"] == "pong", f"unexpected frame {frame}"


async def test_message_reaches_every_connection_of_its_user_only(hub: RunningHub) -> None:
    """Both tabs of user A get A's message; user B's tab gets nothing."""
    alice, bob = uuid.uuid4(), uuid.uuid4()
    tabs = [await hub.connect(alice), await hub.connect(alice)]
    other = await hub.connect(bob)
    response = await hub.publish(to_users([alice], "notification"))
    assert response.status_code == 202
    assert response.json()["connections"] == 2
    for tab in tabs:
        frame = await tab.receive_type("notification")
        assert frame["payload"] == PAYLOADS["notification"]
        assert frame["id"] == response.json()["id"]
    await assert_nothing_arrives(other)


@pytest.mark.parametrize("message_type", PAYLOADS)
async def test_every_service_message_type_is_delivered_as_sent(hub: RunningHub, message_type: str) -> None:
    """Each type a service may send (its schema's example) arrives unchanged, valid and typed."""
    user_id = uuid.uuid4()
    client = await hub.connect(user_id)
    assert (await hub.publish(to_users([user_id], message_type))).status_code == 202
    frame = await client.receive_type(message_type)
    assert frame["payload"] == PAYLOADS[message_type]
    validate_server_frame(frame)
    typed = SERVER_MESSAGE_ADAPTER.validate_python(frame).root
    assert type(typed) is SERVER_MESSAGE_TYPES[message_type].message_model
    assert typed.payload.model_dump(mode="json", exclude_unset=True) == PAYLOADS[message_type]


def test_services_may_send_some_types_but_not_the_hubs_own() -> None:
    """The every-type delivery test has types to cover, and the hub's own types stay out of it."""
    assert PAYLOADS
    assert "connection_established" not in PAYLOADS and "pong" not in PAYLOADS


async def test_link_is_delivered_as_sent(hub: RunningHub) -> None:
    """A link reaches the browser exactly as the service wrote it: no trailing slash, no case folding."""
    user_id = uuid.uuid4()
    client = await hub.connect(user_id)
    payload = {**PAYLOADS["notification"], "action_url": "HTTPS://App.Hailango.example"}
    assert (await hub.publish(to_users([user_id], "notification", payload))).status_code == 202
    assert (await client.receive_type("notification"))["payload"] == payload


async def test_broadcast_reaches_everyone(hub: RunningHub) -> None:
    """A broadcast reaches every connection of every user."""
    clients = [await hub.connect() for _ in range(3)]
    response = await hub.publish({"broadcast": True, "message": {
        "type": "notification", "payload": PAYLOADS["notification"]}})
    assert response.json()["connections"] == 3
    for client in clients:
        await client.receive_type("notification")


async def test_in_process_send_to_user_and_broadcast(hub: RunningHub) -> None:
    """A service in the hub's process sends generated models with `hub.send_to_user`."""
    user_id = uuid.uuid4()
    client = await hub.connect(user_id)
    bystander = await hub.connect()
    message = new_review_reminder_message(due_count=3, message="3 words due")
    assert await hub.hub.send_to_user(user_id, message) == 1
    frame = await client.receive_type("review_reminder")
    assert frame["payload"] == {"due_count": 3, "message": "3 words due"}
    assert frame["id"] == str(message.id)
    update = new_learning_update_message(session_id=uuid.uuid4(), words_learned=1, pages_read=1,
                                         study_seconds=60, accuracy=1.0, streak_days=1)
    assert await hub.hub.broadcast(update) == 2
    await client.receive_type("learning_update")
    await bystander.receive_type("learning_update")


async def test_messages_arrive_in_the_order_sent(hub: RunningHub) -> None:
    """A burst of messages to one user arrives complete and in order."""
    user_id = uuid.uuid4()
    client = await hub.connect(user_id)
    for pages in range(1, 101):
        payload = {**PAYLOADS["ocr_progress"], "processed_pages": pages, "progress": pages * 100 / 120}
        await hub.hub.send_to_user(user_id, _ocr(payload))
    received = [(await client.receive_type("ocr_progress"))["payload"]["processed_pages"]
                for _ in range(100)]
    assert received == list(range(1, 101))


def _ocr(payload: dict):
    fields = {**payload, "book_id": uuid.UUID(payload["book_id"])}
    return new_ocr_progress_message(**fields)


INVALID_BODIES = {
    "progress_over_100": (to_users([uuid.uuid4()], "ocr_progress",
                                   {**PAYLOADS["ocr_progress"], "progress": 101}), "/message/payload/progress"),
    "processed_over_total": (to_users([uuid.uuid4()], "ocr_progress",
                                      {**PAYLOADS["ocr_progress"],
                                       "processed_pages": PAYLOADS["ocr_progress"]["total_pages"] + 1}),
                             "/message/payload/processed_pages"),
    "string_for_integer": (to_users([uuid.uuid4()], "review_reminder", {"due_count": "10"}),
                           "/message/payload/due_count"),
    "null_optional_field": (to_users([uuid.uuid4()], "review_reminder", {"due_count": 1, "message": None}),
                            "/message/payload/message"),
    "extra_field": (to_users([uuid.uuid4()], "notification", {**PAYLOADS["notification"], "color": "red"}),
                    "/message/payload/color"),
    "unknown_type": (to_users([uuid.uuid4()], "notification") | {"message": {"type": "nope", "payload": {}}},
                     "/message/type"),
    "hub_only_type": ({"broadcast": True, "message": {"type": "pong", "payload": {
        "server_time": "2026-11-28T19:34:26Z"}}}, "/message/type"),
    "url_over_2048_chars": (to_users([uuid.uuid4()], "notification", {
        **PAYLOADS["notification"], "action_url": "https://app.hailango.example/" + "x" * 2971}),
        "/message/payload/action_url"),
    "relative_url": (to_users([uuid.uuid4()], "notification", {**PAYLOADS["notification"], "action_url": "/library"}),
                     "/message/payload/action_url"),
    "uuid_without_hyphens": (to_users([uuid.uuid4()], "ocr_progress", {
        **PAYLOADS["ocr_progress"], "book_id": BOOK_ID.replace("-", "")}), "/message/payload/book_id"),
    "bad_user_id": ({"user_ids": ["42"], "message": {"type": "notification",
                                                     "payload": PAYLOADS["notification"]}}, "/user_ids/0"),
    "no_audience": ({"message": {"type": "notification", "payload": PAYLOADS["notification"]}}, ""),
}


@pytest.mark.parametrize("body, pointer", INVALID_BODIES.values(), ids=INVALID_BODIES.keys())
async def test_invalid_message_gets_422_naming_the_field(hub: RunningHub, body: dict, pointer: str) -> None:
    """An invalid message from a service is a 422 whose errors point at the failing field."""
    response = await hub.publish(body)
    assert response.status_code == 422
    assert pointer in [error["pointer"] for error in response.json()["errors"]]


async def test_publish_with_bad_key_gets_401(hub: RunningHub) -> None:
    """Only holders of a service key may send."""
    response = await hub.publish(to_users([uuid.uuid4()], "notification"), key="wrong")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_service_key"


async def test_publish_body_over_limit_gets_413(start_hub) -> None:
    """A body over NOTIFYHUB_MAX_PUBLISH_BYTES is refused without being parsed."""
    hub = await start_hub(max_publish_bytes=2048)
    body = to_users([uuid.uuid4()], "notification", {**PAYLOADS["notification"], "message": "x" * 1990})
    assert (await hub.publish(body)).status_code == 413


async def test_not_json_body_gets_422(hub: RunningHub) -> None:
    """A body that is not JSON is a 422, not a 500."""
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        response = await http.post("/api/v1/messages", content=b"{oops",
                                   headers={"Authorization": "Bearer integration-service-key"})
    assert response.status_code == 422


async def test_stats_and_metrics_follow_connects_and_disconnects(hub: RunningHub) -> None:
    """Stats and Prometheus gauges count users and connections as they come and go."""
    alice, bob = uuid.uuid4(), uuid.uuid4()
    a1, a2, b1 = await hub.connect(alice), await hub.connect(alice), await hub.connect(bob)
    stats = (await hub.get("/api/v1/ws/stats")).json()
    assert (stats["connected_users"], stats["total_connections"]) == (2, 3)
    await hub.publish(to_users([alice, bob], "notification"))
    for client in (a1, a2, b1):
        await client.receive_type("notification")
    await b1.close()
    await a1.close()
    await wait_until(lambda: hub.hub.connection_count() == 1)
    stats = (await hub.get("/api/v1/ws/stats")).json()
    assert stats == {**stats, "connected_users": 1, "total_connections": 1, "messages_sent": 1,
                     "frames_delivered": 3}
    metrics = (await hub.get("/metrics")).text
    assert "notifyhub_connections 1.0" in metrics
    assert "notifyhub_connected_users 1.0" in metrics
    assert 'notifyhub_messages_sent_total{type="notification"} 1.0' in metrics
    assert "notifyhub_send_latency_seconds_count 1.0" in metrics
    await a2.close()


async def test_healthz_and_asyncapi(hub: RunningHub) -> None:
    """Operators get a health check; tool authors get the AsyncAPI document."""
    assert (await hub.get("/healthz")).json() == {"status": "ok"}
    document = (await hub.get("/api/v1/asyncapi.json")).json()
    assert document["asyncapi"] == "3.0.0"
    assert set(json.dumps(document["channels"]).split('"')) >= {"ocr_progress", "ping"}


async def test_batch_delivers_every_request_in_order(hub: RunningHub) -> None:
    """A batch of publish requests is delivered in order, with one result per request."""
    user_id = uuid.uuid4()
    client = await hub.connect(user_id)
    batch = {"requests": [to_users([user_id], "review_reminder", {"due_count": n}) for n in range(1, 11)]
             + [{"broadcast": True, "message": {"type": "notification", "payload": PAYLOADS["notification"]}}]}
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        response = await http.post("/api/v1/messages/batch", json=batch,
                                   headers={"Authorization": "Bearer integration-service-key"})
    assert response.status_code == 202
    assert [r["connections"] for r in response.json()["results"]] == [1] * 11
    counts = [(await client.receive_type("review_reminder"))["payload"]["due_count"] for _ in range(10)]
    assert counts == list(range(1, 11))
    await client.receive_type("notification")


async def test_batch_with_one_invalid_message_is_refused_whole(hub: RunningHub) -> None:
    """Validation is all or nothing; the error points into the batch."""
    user_id = uuid.uuid4()
    client = await hub.connect(user_id)
    batch = {"requests": [to_users([user_id], "review_reminder", {"due_count": 1}),
                          to_users([user_id], "review_reminder", {"due_count": 0})]}
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        response = await http.post("/api/v1/messages/batch", json=batch,
                                   headers={"Authorization": "Bearer integration-service-key"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/requests/1/message/payload/due_count"
    await assert_nothing_arrives(client)
