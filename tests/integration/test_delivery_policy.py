"""Each type's delivery policy on a real hub: conflated progress on resume, live-only types."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from notifyhub_protocol import DeliveryPolicy

from tests.support.hubs import SERVICE_KEY, Client, RunningHub
from tests.support.schemas import server_examples

PAYLOADS = {name: example["payload"] for name, example in server_examples(services_only=True).items()}
BOOKS = [str(uuid.uuid4()) for _ in range(3)]
STEPS = 100
"""Progress updates per book: 300 in all, interleaved."""
PAGE = 16
"""A replay page far smaller than the history read, so pages wholly conflated away occur."""


def progress(book: str, step: int) -> dict[str, Any]:
    return {"type": "ocr_progress", "payload": {"book_id": book, "total_pages": STEPS, "processed_pages": step,
                                                "progress": 100.0 * step / STEPS, "status": "processing"}}


def notification(title: str) -> dict[str, Any]:
    return {"type": "notification", "payload": {**PAYLOADS["notification"], "title": title}}


async def publish_batch(hub: RunningHub, user_id: uuid.UUID, messages: list[dict[str, Any]]) -> list[str]:
    """Publish in order through the service API; the ids the hub gave the messages."""
    requests = [{"user_ids": [str(user_id)], "message": message} for message in messages]
    async with httpx.AsyncClient(base_url=hub.base_url) as http:
        response = await http.post("/api/v1/messages/batch", json={"requests": requests},
                                   headers={"Authorization": f"Bearer {SERVICE_KEY}"})
    assert response.status_code == 202, response.text
    return [result["id"] for result in response.json()["results"]]


async def until_quiet(client: Client) -> list[dict[str, Any]]:
    """Every frame before the answer to a ping: what the hub had sent up to then."""
    await client.send('{"type": "ping"}')
    frames = []
    while (frame := await client.receive())["type"] != "pong":
        frames.append(frame)
    return frames


async def replayed(client: Client) -> list[dict[str, Any]]:
    """What a new connection receives up to the stream's head it was told of, and anything after
    it (a ping's pong may overtake a replay, so it is asked for only once the head arrived)."""
    head, frames = client.established["payload"]["last_seq"], []
    while head and (not frames or frames[-1]["seq"] < head):
        frames.append(await client.receive())
    return frames + await until_quiet(client)


def stream_of(published: list[dict[str, Any]], ids: list[str], first_seq: int) -> list[dict[str, Any]]:
    """The published messages with the seq and id each got, in order."""
    return [{**message, "id": id_, "seq": first_seq + index} for index, (message, id_) in
            enumerate(zip(published, ids, strict=True))]


async def test_a_resuming_tab_gets_the_latest_progress_of_each_book(start_hub) -> None:
    """After 300 progress updates for 3 books while it was closed, a tab gets each book's current
    progress and every other message, in seq order, each once; then acks the whole stream."""
    hub = await start_hub(replay_page_messages=PAGE)
    user = uuid.uuid4()
    tab = await hub.connect(user)
    [first_id] = await publish_batch(hub, user, [notification("before")])
    first = await tab.receive_type("notification")
    position = f"{tab.established['payload']['epoch']}:{first['seq']}&since_id={first_id}"
    await tab.close()

    published = []
    for step in range(1, STEPS + 1):
        published += [progress(book, step) for book in BOOKS]
        if step % 25 == 0:
            published.append(notification(f"after step {step}"))
    published.append({"type": "book_ready", "payload": {**PAYLOADS["book_ready"], "book_id": BOOKS[0]}})
    published.append(progress(BOOKS[1], STEPS))  # the latest of book 1 is after everything else
    stream = stream_of(published, await publish_batch(hub, user, published), first["seq"] + 1)

    latest = {m["payload"]["book_id"]: m["seq"] for m in stream if m["type"] == "ocr_progress"}
    expected = [m for m in stream if m["type"] != "ocr_progress" or latest[m["payload"]["book_id"]] == m["seq"]]
    resumed = await hub.connect(user, since=position)
    assert resumed.established["payload"]["recovered"] is True
    assert resumed.established["payload"]["last_seq"] == stream[-1]["seq"]
    received = await replayed(resumed)
    assert [(m["seq"], m["id"]) for m in received] == [(m["seq"], m["id"]) for m in expected]
    assert [(m["type"], m["payload"]) for m in received] == [(m["type"], m["payload"]) for m in expected]
    assert len(expected) == len(BOOKS) + 4 + 1  # 3 books, 4 notifications, book_ready

    await resumed.send(json.dumps({"type": "ack", "seq": received[-1]["seq"]}))
    assert await until_quiet(resumed) == []
    another_device = await hub.connect(user)
    assert another_device.established["payload"]["acked_seq"] == stream[-1]["seq"]
    assert await until_quiet(another_device) == []  # nothing to replay: no race with the pong


async def test_a_new_device_gets_the_latest_unacknowledged_progress(start_hub) -> None:
    """A connection without a position gets, of what nobody acknowledged, each book's latest progress."""
    hub = await start_hub(replay_page_messages=PAGE)
    user = uuid.uuid4()
    published = [progress(book, step) for step in range(1, 41) for book in BOOKS[:2]]
    stream = stream_of(published, await publish_batch(hub, user, published), 1)
    device = await hub.connect(user)
    assert [m["id"] for m in await replayed(device)] == [m["id"] for m in stream[-2:]]


async def test_an_open_tab_gets_every_progress_step(hub: RunningHub) -> None:
    """Conflation only shortens what is read back from history: a tab that is open sees each step."""
    user = uuid.uuid4()
    tab = await hub.connect(user)
    published = [progress(BOOKS[0], step) for step in range(1, 31)]
    ids = await publish_batch(hub, user, published)
    assert [frame["id"] for frame in await until_quiet(tab)] == ids


async def test_a_live_type_reaches_open_connections_and_is_never_replayed(hub: RunningHub) -> None:
    """A type delivered live goes to each open tab once, without seq, takes no place in the stream,
    and a tab that was closed, or resumes, never gets it."""
    hub.hub.policies = {**hub.hub.policies, "notification": DeliveryPolicy("live")}
    user = uuid.uuid4()
    tabs = [await hub.connect(user), await hub.connect(user)]
    response = await hub.publish({"user_ids": [str(user)], "message": notification("live")})
    assert response.status_code == 202 and response.json()["connections"] == 2
    for tab in tabs:
        # Awaited, not asked for with a ping: over Redis the message comes through pub/sub, which
        # a pong may overtake.
        frame = await tab.receive()
        assert frame["id"] == response.json()["id"] and "seq" not in frame
        assert await until_quiet(tab) == []
    epoch = tabs[0].established["payload"]["epoch"]
    for tab in tabs:
        await tab.close()

    offline = await hub.publish({"user_ids": [str(user)], "message": notification("nobody there")})
    assert offline.status_code == 202 and offline.json()["connections"] == 0
    [durable_id] = await publish_batch(hub, user, [progress(BOOKS[0], 1)])
    resumed = await hub.connect(user, since=f"{epoch}:0")
    assert resumed.established["payload"]["last_seq"] == 1  # the live messages took no seq
    assert [(m["id"], m["seq"]) for m in await replayed(resumed)] == [(durable_id, 1)]
    fresh = await hub.connect(user)
    assert [m["id"] for m in await replayed(fresh)] == [durable_id]


async def test_a_batch_mixing_durable_and_live_types_arrives_in_its_order(hub: RunningHub) -> None:
    """A batch whose durable messages are sent together around live ones: an open tab gets every
    message once in the batch's order, the durable ones with consecutive seqs."""
    hub.hub.policies = {**hub.hub.policies, "notification": DeliveryPolicy("live")}
    user = uuid.uuid4()
    tab = await hub.connect(user)
    published = [progress(BOOKS[0], 1), progress(BOOKS[1], 1), notification("live"),
                 progress(BOOKS[0], 2), notification("live again"), progress(BOOKS[1], 2)]
    ids = await publish_batch(hub, user, published)
    frames = [await tab.receive() for _ in published]
    assert [frame["id"] for frame in frames] == ids
    assert [frame.get("seq") for frame in frames] == [1, 2, None, 3, None, 4]
