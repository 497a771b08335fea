"""The operations console across two hubs sharing a Redis: both hubs listed, a user's
connections on each, a disconnect from one hub closing the user's connections on the other with
4501, and the time series summed."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.support.hubs import SERVICE_KEY, hub_settings, serve_in_process

pytestmark = pytest.mark.redis
NOTE = {"type": "notification", "payload": {"title": "Hi", "message": "Across hubs", "level": "info"}}


@contextlib.asynccontextmanager
async def two_hubs(redis_settings: dict[str, Any], **overrides: Any):
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(serve_in_process(hub_settings(**redis_settings, **overrides)))
               for _ in range(2)]


async def test_both_hubs_and_the_users_connections_on_each_are_shown(redis_settings: dict[str, Any]) -> None:
    """From either hub, the operator sees both hubs with their connections, and a user's
    connections with the hub holding each."""
    async with two_hubs(redis_settings) as (first, second):
        user = uuid.uuid4()
        on_first, on_second = await first.connect(user), await second.connect(user)
        overview = (await second.get("/api/v1/console/hubs")).json()
        ids = {h["hub_id"]: h for h in overview["hubs"]}
        first_id, second_id = first.hub.backend.hub_id, second.hub.backend.hub_id
        assert set(ids) == {first_id, second_id} and overview["this_hub"] == second_id
        assert ids[second_id]["connections"] == 1 and ids[second_id]["users"] == 1
        assert overview["total_connections"] == 2 and overview["connected_users"] == 1
        looked_up = (await first.get(f"/api/v1/console/users/{user}")).json()
        assert {(c["connection_id"], c["hub_id"]) for c in looked_up["connections"]} == {
            (on_first.established["payload"]["connection_id"], first_id),
            (on_second.established["payload"]["connection_id"], second_id)}


async def test_a_registration_that_reaches_redis_late_does_not_undo_a_newer_one(redis_settings: dict[str, Any]) -> None:
    """A hub's periodic registration built before a connection opened, reaching Redis after the
    registration the connection made (they go out on different connections), leaves the other
    hub seeing the connection."""
    async with two_hubs(redis_settings) as (first, second):
        late = first.hub.backend._registration()
        await first.connect(uuid.uuid4())
        assert await first.hub.backend._redis.execute_command(*late) == 0
        overview = (await second.get("/api/v1/console/hubs")).json()
        counts = {h["hub_id"]: h["connections"] for h in overview["hubs"]}
        assert counts[first.hub.backend.hub_id] == 1 and overview["total_connections"] == 1


async def test_a_disconnect_closes_the_users_connections_on_every_hub(redis_settings: dict[str, Any]) -> None:
    """A disconnect asked of one hub closes the user's connections on both with 4501, after the
    message sent before it; presence then says offline."""
    async with two_hubs(redis_settings) as (first, second):
        user = uuid.uuid4()
        clients = [await first.connect(user), await second.connect(user)]
        assert (await first.publish({"user_ids": [str(user)], "message": NOTE})).status_code == 202
        async with httpx.AsyncClient(base_url=first.base_url) as http:
            answer = await http.post(f"/api/v1/console/users/{user}/disconnect",
                                     headers={"Authorization": f"Bearer {SERVICE_KEY}"})
        assert answer.json()["connections"] == 2
        for client in clients:
            await client.receive_type("notification")
            with pytest.raises(ConnectionClosed) as closed:
                await client.receive()
            assert closed.value.rcvd.code == 4501
        for client in clients:
            await client.connection.wait_closed()
        await _until(lambda: first.get(f"/api/v1/presence/{user}"), lambda body: body["connections"] == 0)


async def test_the_series_is_summed_across_hubs(redis_settings: dict[str, Any]) -> None:
    """Messages sent through each hub appear in that hub's series and in the sum."""
    async with two_hubs(redis_settings, console_sample_seconds=0.2) as (first, second):
        user = uuid.uuid4()
        await first.publish({"user_ids": [str(user)], "message": NOTE})
        for _ in range(2):
            await second.publish({"user_ids": [str(user)], "message": NOTE})

        def sent(points: list[dict]) -> float:
            return round(sum(p["messages_per_second"].get("notification", 0) for p in points) * 0.2, 6)

        series = await _until(lambda: first.get("/api/v1/console/series"),
                              lambda body: sent(body["summed"]) == 3 and len(body["hubs"]) == 2,
                              first.server.app.state.console.sampler)
        assert sent(series["hubs"][first.hub.backend.hub_id]) == 1
        assert sent(series["hubs"][second.hub.backend.hub_id]) == 2


async def _until(get, done, sampler=None) -> dict:
    """The body of `get()` once `done(body)` holds; between tries, the next sample or a round trip."""
    for _ in range(100):
        body = (await get()).json()
        if done(body):
            return body
        if sampler is not None:
            await asyncio.wait_for(sampler.next_sample(), 5)
    raise AssertionError(f"never reached: {body}")
