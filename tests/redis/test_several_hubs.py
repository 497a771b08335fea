"""Several `notifyhub serve` processes over one Redis, and what happens when parts of it fail."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import uuid
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from notifyhub import Publisher
from notifyhub.auth import issue_token
from notifyhub_protocol import new_notification_message
from websockets.exceptions import ConnectionClosed

from tests.support.hubs import SERVICE_KEY, HubProcess, connect_client, hub_settings, serve_subprocess
from tests.support.redis_server import delete_prefix, unique_prefix

pytestmark = pytest.mark.redis
HEALTH_CHECK = "0.3"


def hub_env(redis_url: str) -> dict[str, str]:
    """Settings of hubs sharing one Redis under a fresh prefix."""
    return {"backend": "redis", "redis_url": redis_url, "redis_prefix": unique_prefix(),
            "redis_health_check_seconds": HEALTH_CHECK}


@pytest.fixture
def shared_redis(redis_url: str):
    """Hub settings on the shared test Redis (its keys are deleted afterwards)."""
    settings = hub_env(redis_url)
    yield settings
    delete_prefix(redis_url, settings["redis_prefix"])


@contextlib.asynccontextmanager
async def hubs(count: int, settings: dict[str, str]):
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(serve_subprocess(**settings)) for _ in range(count)]


def token(user_id: uuid.UUID) -> str:
    return issue_token(hub_settings(), user_id, "learner@example.com", 600)


async def post(hub: HubProcess, body: dict[str, Any]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=hub.base_url, timeout=10) as http:
        return await http.post("/api/v1/messages", json=body, headers={"Authorization": f"Bearer {SERVICE_KEY}"})


async def get(hub: HubProcess, path: str) -> dict:
    async with httpx.AsyncClient(base_url=hub.base_url, timeout=10) as http:
        response = await http.get(path, headers={"Authorization": f"Bearer {SERVICE_KEY}"})
        return response.json()


def notify(user_id: uuid.UUID, text: str) -> dict[str, Any]:
    return {"user_ids": [str(user_id)],
            "message": {"type": "notification", "payload": {"title": "t", "message": text, "level": "info"}}}


async def eventually(probe, expected, timeout: float = 10.0) -> None:
    """Poll an HTTP view of the cluster until it shows `expected` (hubs converge on their own)."""
    async with asyncio.timeout(timeout):
        while (value := await probe()) != expected:
            await asyncio.sleep(0.05)
    assert value == expected


async def test_each_connection_gets_each_message_once_whichever_hub_took_it(shared_redis) -> None:
    """A user on three hubs gets every message once per connection, whichever hub's API took it;
    broadcasts reach everyone; stats and presence count across hubs."""
    async with hubs(3, shared_redis) as three:
        user_id = uuid.uuid4()
        clients = [await connect_client(hub.ws_url, token(user_id)) for hub in three]
        stranger = await connect_client(three[0].ws_url, token(uuid.uuid4()))
        for client in clients + [stranger]:
            await client.receive_type("connection_established")
        for index, hub in enumerate(three):
            response = await post(hub, notify(user_id, f"via hub {index}"))
            assert (response.status_code, response.json()["connections"]) == (202, 3)
        for client in clients:
            texts = [(await client.receive_type("notification"))["payload"]["message"] for _ in three]
            assert texts == ["via hub 0", "via hub 1", "via hub 2"]
        await post(three[2], {"broadcast": True, "message": notify(user_id, "all")["message"]})
        for client in clients + [stranger]:
            assert (await client.receive_type("notification"))["payload"]["message"] == "all"
        for hub in three:
            assert (await get(hub, f"/api/v1/presence/{user_id}"))["connections"] == 3
        stats = await get(three[1], "/api/v1/ws/stats")
        assert (stats["connected_users"], stats["total_connections"], stats["hubs"]) == (2, 4, 3)
        for client in clients + [stranger]:
            await client.close()


async def test_clients_of_a_killed_hub_resume_elsewhere_and_lose_nothing(shared_redis) -> None:
    """After SIGKILL of its hub, a client resumes on another hub with everything sent meanwhile;
    the dead hub's connections leave presence by themselves."""
    async with hubs(2, shared_redis) as (doomed, survivor):
        user_id = uuid.uuid4()
        client = await connect_client(doomed.ws_url, token(user_id))
        epoch = (await client.receive_type("connection_established"))["payload"]["epoch"]
        await post(survivor, notify(user_id, "1"))
        last = (await client.receive_type("notification"))["seq"]
        doomed.process.send_signal(signal.SIGKILL)
        await doomed.process.wait()
        for text in ("2", "3"):
            assert (await post(survivor, notify(user_id, text))).status_code == 202
        resumed = await connect_client(survivor.ws_url, token(user_id), since=f"{epoch}:{last}")
        assert (await resumed.receive_type("connection_established"))["payload"]["recovered"] is True
        assert [(await resumed.receive_type("notification"))["payload"]["message"] for _ in "23"] == ["2", "3"]
        await eventually(lambda: _connections(survivor, user_id), 1)
        await resumed.close()


async def _connections(hub: HubProcess, user_id: uuid.UUID) -> int:
    return (await get(hub, f"/api/v1/presence/{user_id}"))["connections"]


async def test_hub_resubscribes_after_its_pubsub_connection_is_killed(private_redis) -> None:
    """When Redis drops a hub's pub/sub connection, the hub reconnects by itself and its clients
    get every message, including those sent while it was reconnecting. (On a Redis of this test's
    own: killing pub/sub clients on a shared one would hit its other users.)"""
    redis_url = private_redis.url
    async with hubs(2, hub_env(redis_url)) as (listening, publishing):
        user_id = uuid.uuid4()
        client = await connect_client(listening.ws_url, token(user_id))
        await client.receive_type("connection_established")
        admin = aioredis.Redis.from_url(redis_url)
        killed = await admin.client_kill_filter(_type="pubsub", skipme=True)
        await admin.aclose()
        assert killed >= 1  # the listening hub's, subscribed before its client was established
        for text in "abcde":
            assert (await post(publishing, notify(user_id, text))).status_code == 202
        texts = [(await client.receive_type("notification", timeout=10))["payload"]["message"] for _ in "abcde"]
        assert texts == list("abcde")
        metrics = await _metrics(listening)
        assert "notifyhub_backend_reconnects_total 1.0" in metrics
        await client.close()


async def _metrics(hub: HubProcess) -> str:
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        return (await http.get("/metrics", headers={"Authorization": f"Bearer {SERVICE_KEY}"})).text


async def test_unresponsive_redis_fails_publishes_loudly_and_recovers(private_redis) -> None:
    """While Redis does not answer, a publish is never accepted: it is refused (503, nothing was
    sent) or its outcome is unknown (504, sent but unanswered, so Redis may still apply it once).
    When Redis comes back, hubs carry on by themselves and clients get every accepted message."""
    async with hubs(2, hub_env(private_redis.url)) as (first, second):
        user_id = uuid.uuid4()
        client = await connect_client(first.ws_url, token(user_id))
        await client.receive_type("connection_established")
        assert (await post(second, notify(user_id, "before"))).status_code == 202
        os.kill(private_redis.process.pid, signal.SIGSTOP)
        try:
            outage = await post(second, notify(user_id, "during"))
        finally:
            os.kill(private_redis.process.pid, signal.SIGCONT)
        expected = {503: "backend_unavailable", 504: "outcome_unknown"}
        assert expected.get(outage.status_code) == outage.json()["error"], outage.text
        assert (await post(second, notify(user_id, "after"))).status_code == 202
        texts = await _texts_until(client, first, user_id, "after")
        allowed = [["before", "after"]] if outage.status_code == 503 else [["before", "after"],
                                                                            ["before", "during", "after"]]
        assert texts in allowed

async def _texts_until(client, hub: HubProcess, user_id: uuid.UUID, last: str) -> list[str]:
    """Read notifications until `last` arrives, resuming with `since` whenever the hub closes
    the connection (as it does with 1013 or RESYNC around an outage)."""
    texts: list[str] = []
    epoch, seq = "", 0
    while last not in texts:
        try:
            frame = await client.receive(timeout=15)
        except ConnectionClosed:
            client = await connect_client(hub.ws_url, token(user_id), since=f"{epoch}:{seq}" if epoch else None)
            continue
        if frame["type"] == "connection_established":
            epoch, seq = frame["payload"]["epoch"], frame["payload"]["last_seq"]
        elif frame["type"] == "notification":
            texts.append(frame["payload"]["message"])
            seq = frame.get("seq", seq)
    await client.close()
    return texts


async def test_hubs_carry_on_after_redis_restarts(private_redis) -> None:
    """A Redis restart (losing its data) makes publishes fail while it is down (503, or 504 when
    the command went out on a connection Redis had dropped); afterwards every hub delivers again
    without being restarted."""
    async with hubs(2, hub_env(private_redis.url)) as (first, second):
        user_id = uuid.uuid4()
        client = await connect_client(first.ws_url, token(user_id))
        await client.receive_type("connection_established")
        private_redis.stop()
        assert (await post(second, notify(user_id, "lost"))).status_code in (503, 504)
        private_redis.start()
        async with asyncio.timeout(20):
            while (await post(second, notify(user_id, "back"))).status_code != 202:
                await asyncio.sleep(0.1)
        await post(second, notify(user_id, "fresh"))
        texts = await _texts_until(client, first, user_id, "fresh")
        assert "lost" not in texts and texts[-1] == "fresh"
        later = await connect_client(first.ws_url, token(uuid.uuid4()))
        await later.receive_type("connection_established")
        await post(second, {"broadcast": True, "message": notify(user_id, "everyone")["message"]})
        assert (await later.receive_type("notification"))["payload"]["message"] == "everyone"
        await later.close()


async def test_publisher_in_another_process_reaches_hub_clients(shared_redis) -> None:
    """`notifyhub.Publisher` sends straight into Redis; clients of any hub receive it with its seq."""
    async with hubs(1, shared_redis) as (hub,):
        user_id = uuid.uuid4()
        client = await connect_client(hub.ws_url, token(user_id))
        await client.receive_type("connection_established")
        settings = hub_settings(**{k: v for k, v in shared_redis.items() if k != "redis_health_check_seconds"})
        async with Publisher(settings=settings) as publisher:
            reached = await publisher.send_to_user(
                user_id, new_notification_message(title="t", message="from a worker", level="info"))
            await publisher.broadcast(new_notification_message(title="t", message="to all", level="info"))
        assert reached == 1
        frame = await client.receive_type("notification")
        assert (frame["payload"]["message"], frame["seq"]) == ("from a worker", 1)
        assert (await client.receive_type("notification"))["payload"]["message"] == "to all"
        await client.close()
