"""Dead, silent and slow clients are cut off; everyone else keeps receiving."""

from __future__ import annotations

import asyncio
import uuid

from notifyhub_protocol import new_notification_message

from tests.support.raw_client import RawClient

from tests.support.hubs import RunningHub, wait_until

FAST_HEARTBEAT = {"ping_interval_seconds": 0.2, "idle_timeout_seconds": 0.6}


async def test_silent_client_is_closed_with_heartbeat_timeout(start_hub) -> None:
    """A client that answers no ping and sends nothing is closed with 4002 after the idle timeout."""
    hub = await start_hub(**FAST_HEARTBEAT)
    silent = await RawClient.connect(hub.port, hub.token())
    code = await asyncio.wait_for(silent.read_close_code(), 5)
    assert code == 4002
    silent.close()


async def test_client_answering_pings_stays_connected(start_hub) -> None:
    """A live client (it answers protocol pings) outlives many idle timeouts."""
    hub = await start_hub(**FAST_HEARTBEAT)
    client = await hub.connect()
    silent = await RawClient.connect(hub.port, hub.token())
    # The silent peer's close proves an idle timeout passed for both connections.
    assert await asyncio.wait_for(silent.read_close_code(), 5) == 4002
    await client.send('{"type": "ping"}')
    await client.receive_type("pong")
    assert hub.hub.connection_count() == 1
    silent.close()


async def test_reader_that_stops_reading_is_cut_off(start_hub) -> None:
    """A client that stops reading is closed as a slow consumer; other clients get every message."""
    hub = await start_hub(send_queue_max_bytes=64 * 1024, write_timeout_seconds=2)
    stalled_user, healthy_user = uuid.uuid4(), uuid.uuid4()
    stalled = await RawClient.connect(hub.port, hub.token(stalled_user), receive_buffer=4096)
    healthy = await hub.connect(healthy_user, max_queue=None)
    payload = {"title": "t", "message": "m" * 1500, "level": "info"}

    sent = 0
    for _ in range(2000):
        message = new_notification_message(**payload)
        await hub.hub.send_to_users([stalled_user, healthy_user], message)
        sent += 1
        if hub.hub.connection_count(stalled_user) == 0 or (await hub.hub.stats())["slow_consumer_disconnects"]:
            break
        await asyncio.sleep(0)  # let the loop write, as a live service would between sends
    assert (await hub.hub.stats())["slow_consumer_disconnects"] == 1
    for _ in range(sent):
        await healthy.receive_type("notification")
    metrics = (await hub.get("/metrics")).text
    assert "notifyhub_slow_consumer_disconnects_total" in metrics
    stalled.close()


async def test_dropped_connection_is_forgotten(hub: RunningHub) -> None:
    """A client whose TCP connection vanishes without a close frame is removed from the hub."""
    user_id = uuid.uuid4()
    dropped = await RawClient.connect(hub.port, hub.token(user_id))
    assert hub.hub.connection_count(user_id) == 1
    dropped.close()
    await wait_until(lambda: hub.hub.connection_count(user_id) == 0)


async def test_shutdown_flushes_queued_messages_before_1012(hub: RunningHub) -> None:
    """Messages queued when the hub stops are delivered before the 1012 close."""
    user_id = uuid.uuid4()
    client = await hub.connect(user_id, max_queue=None)
    for _ in range(50):
        await hub.hub.send_to_user(user_id, new_notification_message(title="t", message="m", level="info"))
    await wait_until(lambda: hub.hub.local_stats()["frames_delivered"] >= 50)
    await hub.server.shutdown()
    for _ in range(50):
        await client.receive_type("notification")
    await client.connection.wait_closed()
    assert client.connection.close_code == 1012
