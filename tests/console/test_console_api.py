"""The operations console's endpoints against a real hub, on both backends: the hubs, the time
series, a user's lookup, disconnecting a user (4501), and who may call them."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import HubFactory
from tests.support.hubs import SERVICE_KEY, RunningHub
from tests.support.schemas import server_examples
from tests.support.webhook_receiver import SECRET, webhook_receiver

SAMPLE_SECONDS = 0.2
NOTE = {"type": "notification", "payload": {"title": "Hello", "message": "From the console test", "level": "info"}}


async def post(hub: RunningHub, path: str, key: str | None = SERVICE_KEY) -> httpx.Response:
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        return await http.post(path, headers={"Authorization": f"Bearer {key}"} if key else {})


async def test_hubs_lists_this_hub_with_its_connections_and_users(start_hub: HubFactory) -> None:
    """An operator sees the hub, its connections and users, and the totals."""
    hub = await start_hub()
    user = uuid.uuid4()
    await hub.connect(user)
    await hub.connect(user)
    answer = (await hub.get("/api/v1/console/hubs")).json()
    assert answer["connected_users"] == 1 and answer["total_connections"] == 2
    assert [(h["hub_id"], h["connections"], h["users"]) for h in answer["hubs"]] == [(answer["this_hub"], 2, 1)]


async def test_user_lookup_shows_connections_stream_and_cursors(start_hub: HubFactory) -> None:
    """Looking a user up shows where they are connected, their last messages with `seq`, and
    how far they acknowledged and read."""
    hub = await start_hub()
    user = uuid.uuid4()
    client = await hub.connect(user)
    for _ in range(3):
        assert (await hub.publish({"user_ids": [str(user)], "message": NOTE})).status_code == 202
    for _ in range(3):
        await client.receive_type("notification")
    await client.send('{"type": "ack", "seq": 2}')
    await client.send('{"type": "read", "seq": 1}')
    await client.send('{"type": "ping"}')
    await client.receive_type("pong")  # frames are answered in order: the ack and read are applied
    answer = (await hub.get(f"/api/v1/console/users/{user}")).json()
    assert (answer["stream"]["acked_seq"], answer["stream"]["read_seq"]) == (2, 1)
    connection_id = client.established["payload"]["connection_id"]
    this_hub = (await hub.get("/api/v1/console/hubs")).json()["this_hub"]
    assert answer["online"] is True
    assert answer["connections"] == [{"connection_id": connection_id, "hub_id": this_hub}]
    assert [m["seq"] for m in answer["messages"]] == [1, 2, 3]
    assert {m["type"] for m in answer["messages"]} == {"notification"}
    assert answer["stream"]["last_seq"] == 3


async def test_an_unknown_user_is_offline_with_no_stream(start_hub: HubFactory) -> None:
    """A user who never connected nor got a message is shown as such, and nothing is created."""
    hub = await start_hub()
    answer = (await hub.get(f"/api/v1/console/users/{uuid.uuid4()}")).json()
    assert answer["online"] is False and answer["connections"] == [] and answer["stream"] is None
    assert (await hub.get("/api/v1/console/users/not-a-uuid")).status_code == 422


async def test_disconnect_closes_every_connection_of_the_user_with_4501(start_hub: HubFactory) -> None:
    """Disconnecting a user closes each of their connections with 4501 (no reconnect), after the
    messages sent before; other users stay connected."""
    hub = await start_hub()
    user, other = uuid.uuid4(), uuid.uuid4()
    clients = [await hub.connect(user), await hub.connect(user)]
    bystander = await hub.connect(other)
    await hub.publish({"user_ids": [str(user)], "message": NOTE})
    answer = await post(hub, f"/api/v1/console/users/{user}/disconnect")
    assert answer.status_code == 200 and answer.json() == {"user_id": str(user), "connections": 2}
    for client in clients:
        await client.receive_type("notification")
        with pytest.raises(ConnectionClosed) as closed:
            await client.receive()
        assert closed.value.rcvd.code == 4501
    assert (await hub.publish({"user_ids": [str(other)], "message": NOTE})).status_code == 202
    await bystander.receive_type("notification")


async def test_series_count_messages_by_type_closes_by_code_and_latency(start_hub: HubFactory) -> None:
    """The charts' data: messages per second by type, send latency percentiles, closes by code
    (a revoked connection appears as 4501), connections, and fallbacks at zero, not configured."""
    hub = await start_hub(console_sample_seconds=SAMPLE_SECONDS)
    user = uuid.uuid4()
    await hub.connect(user)
    await _until_sampled(hub, lambda points: any(p["connections"] == p["users"] == 1 for p in points))
    for _ in range(4):
        await hub.publish({"user_ids": [str(user)], "message": NOTE})
    await post(hub, f"/api/v1/console/users/{user}/disconnect")
    series = await _until_sampled(hub, lambda points: sum(p["closes"].get("4501", 0) for p in points) == 1)
    points = series["summed"]
    assert series["sample_seconds"] == SAMPLE_SECONDS and series["fallbacks_configured"] is False
    assert sum(p["messages_per_second"].get("notification", 0) for p in points) * SAMPLE_SECONDS == pytest.approx(4)
    assert any(p["latency_p50_ms"] is not None and p["latency_p99_ms"] >= p["latency_p50_ms"] for p in points)
    assert all(p["fallbacks_sent"] == p["fallbacks_failed"] == 0 for p in points)
    assert list(series["hubs"]) == [(await hub.get("/api/v1/console/hubs")).json()["this_hub"]]


async def test_series_count_fallbacks_sent_and_failed_once_a_channel_is_configured(start_hub: HubFactory) -> None:
    """With a webhook configured the panel is configured, and a book_ready nobody acknowledged
    shows as one fallback sent, one that the endpoint refused as one failed."""
    with webhook_receiver() as receiver:
        receiver.fail_next(1, 400)
        hub = await start_hub(console_sample_seconds=SAMPLE_SECONDS, webhook_url=receiver.url,
                              webhook_secret=SECRET, fallback_delay_scale=0.003, fallback_poll_seconds=0.05)
        book_ready = {"type": "book_ready", "payload": server_examples(services_only=True)["book_ready"]["payload"]}
        for _ in range(2):
            assert (await hub.publish({"user_ids": [str(uuid.uuid4())], "message": book_ready})).status_code == 202
        series = await _until_sampled(hub, lambda points: sum(p["fallbacks_sent"] + p["fallbacks_failed"]
                                                              for p in points) == 2)
    assert series["fallbacks_configured"] is True
    points = series["summed"]
    assert (sum(p["fallbacks_sent"] for p in points), sum(p["fallbacks_failed"] for p in points)) == (1, 1)


async def _until_sampled(hub: RunningHub, done) -> dict:
    """The series once `done(points)` holds (samples are taken every SAMPLE_SECONDS)."""
    sampler = hub.server.app.state.console.sampler
    for _ in range(50):
        series = (await hub.get("/api/v1/console/series")).json()
        if done(series["summed"]):
            return series
        await asyncio.wait_for(sampler.next_sample(), 5)
    raise AssertionError(f"the samples never showed it: {series}")


@pytest.mark.parametrize("path", ["/api/v1/console/hubs", "/api/v1/console/series",
                                  f"/api/v1/console/users/{uuid.uuid4()}"])
async def test_console_endpoints_need_a_key_even_with_operations_public(start_hub: HubFactory, path: str) -> None:
    """Without a key, or with a wrong one, the console answers 401, even where the operations
    endpoints are public; the page itself holds no data and is served."""
    hub = await start_hub(operations_public=True)
    assert (await hub.get(path, key=None)).status_code == 401
    assert (await hub.get(path, key="not-a-key")).status_code == 401
    assert (await post(hub, f"/api/v1/console/users/{uuid.uuid4()}/disconnect", key=None)).status_code == 401
    assert (await hub.get("/api/v1/ws/stats", key=None)).status_code == 200
    page = await hub.get("/console/", key=None)
    assert page.status_code == 200 and "notifyhub console" in page.text


async def test_an_operations_key_opens_the_console(start_hub: HubFactory) -> None:
    """An operations key (not a service key) opens the console's endpoints."""
    hub = await start_hub(operations_keys=["ops-key-for-the-console"])
    assert (await hub.get("/api/v1/console/hubs", key="ops-key-for-the-console")).status_code == 200


async def test_with_an_operations_port_the_console_is_served_there_only(start_hub: HubFactory) -> None:
    """With NOTIFYHUB_OPERATIONS_PORT the public port answers 404 for the console."""
    hub = await start_hub(operations_port=1)  # never listened on here: every request is public
    assert (await hub.get("/console/", key=None)).status_code == 404
    assert (await hub.get("/api/v1/console/hubs")).status_code == 404
