"""Nothing missed: seq, history, replay on resume, acknowledgements, read receipts, presence."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from notifyhub_protocol import new_notification_message, new_review_reminder_message

from tests.support.hubs import RunningHub, SERVICE_KEY, wait_until


def reminder(count: int):
    return new_review_reminder_message(due_count=count)


async def send_reminders(hub: RunningHub, user_id: uuid.UUID, counts) -> None:
    for count in counts:
        await hub.hub.send_to_user(user_id, reminder(count))


async def received_counts(client, n: int) -> list[int]:
    """The due_count of the next n reminders (tests send due_count = the message's number)."""
    return [(await client.receive_type("review_reminder"))["payload"]["due_count"] for _ in range(n)]


async def test_messages_to_a_user_are_numbered_and_broadcasts_are_not(hub: RunningHub) -> None:
    """A user's messages carry seq 1, 2, 3, ...; a broadcast carries none."""
    user_id = uuid.uuid4()
    client = await hub.connect(user_id)
    assert client.established["payload"]["last_seq"] == 0
    await send_reminders(hub, user_id, [1, 2, 3])
    assert [(await client.receive_type("review_reminder"))["seq"] for _ in range(3)] == [1, 2, 3]
    await hub.hub.broadcast(new_notification_message(title="t", message="m", level="info"))
    assert "seq" not in await client.receive_type("notification")


async def test_resume_replays_exactly_what_was_missed(hub: RunningHub) -> None:
    """A client resuming with since=<epoch>:<seq> gets every later message once, then live ones."""
    user_id = uuid.uuid4()
    first = await hub.connect(user_id)
    epoch = first.established["payload"]["epoch"]
    await send_reminders(hub, user_id, [1, 2])
    await received_counts(first, 2)
    await first.close()
    await send_reminders(hub, user_id, [3, 4, 5])
    resumed = await hub.connect(user_id, since=f"{epoch}:2")
    payload = resumed.established["payload"]
    assert (payload["recovered"], payload["epoch"], payload["last_seq"]) == (True, epoch, 5)
    await send_reminders(hub, user_id, [6])
    assert await received_counts(resumed, 4) == [3, 4, 5, 6]
    await assert_next_is_pong(resumed)


async def assert_next_is_pong(client) -> None:
    await client.send('{"type": "ping"}')
    assert (await client.receive())["type"] == "pong"


async def test_offline_messages_arrive_on_every_new_device_until_acknowledged(hub: RunningHub) -> None:
    """Messages sent while a user is offline arrive on the next connection, and on a second device
    too, until one of them acknowledges them."""
    user_id = uuid.uuid4()
    await send_reminders(hub, user_id, [1, 2, 3])
    phone = await hub.connect(user_id)
    assert phone.established["payload"]["recovered"] is False
    assert await received_counts(phone, 3) == [1, 2, 3]
    laptop = await hub.connect(user_id)
    assert await received_counts(laptop, 3) == [1, 2, 3]
    await laptop.send('{"type": "ack", "seq": 2}')
    await assert_next_is_pong(laptop)  # the ack was handled before the ping
    tablet = await hub.connect(user_id)
    assert tablet.established["payload"]["acked_seq"] == 2
    assert await received_counts(tablet, 1) == [3]
    await assert_next_is_pong(tablet)


async def test_acknowledgements_are_cumulative_and_never_go_back(hub: RunningHub) -> None:
    """Acking 3 then 1 leaves the user acknowledged up to 3."""
    user_id = uuid.uuid4()
    client = await hub.connect(user_id)
    await send_reminders(hub, user_id, [1, 2, 3])
    await received_counts(client, 3)
    for seq in (3, 1):
        await client.send(f'{{"type": "ack", "seq": {seq}}}')
    await assert_next_is_pong(client)
    assert (await hub.connect(user_id)).established["payload"]["acked_seq"] == 3


async def test_ack_past_what_was_received_is_an_error(hub: RunningHub) -> None:
    """A client cannot acknowledge messages it has not received; the connection goes on."""
    client = await hub.connect()
    await client.send('{"type": "ack", "seq": 7}')
    error = await client.receive_type("error")
    assert error["payload"]["code"] == "invalid_message"
    await assert_next_is_pong(client)


async def test_read_tells_the_users_other_connections(hub: RunningHub) -> None:
    """Marking read sends `read_receipt` to the user's other tabs, not back to the reader."""
    user_id = uuid.uuid4()
    reader, other = await hub.connect(user_id), await hub.connect(user_id)
    bystander = await hub.connect()
    await send_reminders(hub, user_id, [1, 2])
    await received_counts(reader, 2)
    await received_counts(other, 2)
    await reader.send('{"type": "read", "seq": 2}')
    receipt = await other.receive_type("read_receipt")
    assert receipt["payload"] == {"read_seq": 2}
    await assert_next_is_pong(reader)
    await assert_next_is_pong(bystander)
    assert (await hub.connect(user_id)).established["payload"]["read_seq"] == 2


@pytest.mark.parametrize("since", ["other-epoch:1", "{epoch}:99"], ids=["other_epoch", "ahead_of_stream"])
async def test_unknown_position_is_not_recovered(hub: RunningHub, since: str) -> None:
    """A position from another epoch, or past the stream, says recovered: false and gives what is
    unacknowledged instead."""
    user_id = uuid.uuid4()
    first = await hub.connect(user_id)
    await send_reminders(hub, user_id, [1])
    await received_counts(first, 1)
    client = await hub.connect(user_id, since=since.format(epoch=first.established["payload"]["epoch"]))
    assert client.established["payload"]["recovered"] is False
    assert await received_counts(client, 1) == [1]


async def test_a_position_whose_message_is_another_is_not_recovered(hub: RunningHub) -> None:
    """With `since_id` (the id of the message the client had at `since`), a position the stream
    holds under another message (Redis reissued the seq after losing writes) is not resumed: the
    stream gets a new epoch and the client is told to refetch; the right id resumes exactly."""
    user_id = uuid.uuid4()
    first = await hub.connect(user_id)
    epoch = first.established["payload"]["epoch"]
    await send_reminders(hub, user_id, [1, 2, 3])
    second = [await first.receive_type("review_reminder") for _ in range(3)][1]
    exact = await hub.connect(user_id, since=f"{epoch}:2&since_id={second['id']}")
    assert exact.established["payload"]["recovered"] is True
    assert await received_counts(exact, 1) == [3]
    other = await hub.connect(user_id, since=f"{epoch}:2&since_id={uuid.uuid4()}")
    assert other.established["payload"]["recovered"] is False
    assert other.established["payload"]["epoch"] != epoch


async def test_position_older_than_history_is_not_recovered(start_hub) -> None:
    """Past NOTIFYHUB_HISTORY_MAX_MESSAGES the oldest messages go, and a client that needed them
    is told to refetch (recovered: false)."""
    hub = await start_hub(history_max_messages=5)
    user_id = uuid.uuid4()
    first = await hub.connect(user_id)
    epoch = first.established["payload"]["epoch"]
    await first.close()
    await send_reminders(hub, user_id, range(1, 11))
    client = await hub.connect(user_id, since=f"{epoch}:1")
    assert client.established["payload"]["recovered"] is False
    assert await received_counts(client, 5) == [6, 7, 8, 9, 10]
    exact = await hub.connect(user_id, since=f"{epoch}:5")
    assert exact.established["payload"]["recovered"] is True


async def test_messages_older_than_the_age_limit_are_dropped(start_hub) -> None:
    """Past NOTIFYHUB_HISTORY_MAX_AGE_SECONDS a message is no longer replayed."""
    hub = await start_hub(history_max_age_seconds=0.5)
    user_id = uuid.uuid4()
    await send_reminders(hub, user_id, [1])
    expires = time.monotonic() + 0.6
    await asyncio.sleep(expires - time.monotonic())  # the feature under test is the passing of time
    await send_reminders(hub, user_id, [2])
    client = await hub.connect(user_id)
    assert await received_counts(client, 1) == [2]
    await assert_next_is_pong(client)


async def test_malformed_since_is_refused_before_the_upgrade(hub: RunningHub) -> None:
    """`since` must be <epoch>:<seq> and `since_id` a message id; anything else is a 400."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus

    for query in ("since=garbage", "since=abc:1&since_id=not-a-uuid"):
        with pytest.raises(InvalidStatus) as caught:
            async with connect(f"{hub.ws_url}?token={hub.token()}&{query}"):
                pass
        assert caught.value.response.status_code == 400


async def test_presence_counts_a_users_connections(hub: RunningHub) -> None:
    """Services ask whether a user is online and on how many connections."""
    user_id = uuid.uuid4()
    url = f"/api/v1/presence/{user_id}"
    headers = {"Authorization": f"Bearer {SERVICE_KEY}"}
    assert (await hub.get(url, headers=headers)).json() == {"user_id": str(user_id), "online": False,
                                                             "connections": 0}
    first, _ = await hub.connect(user_id), await hub.connect(user_id)
    assert (await hub.get(url, headers=headers)).json()["connections"] == 2
    await first.close()
    await wait_until(lambda: hub.hub.connection_count(user_id) == 1)
    assert (await hub.get(url, headers=headers)).json() == {"user_id": str(user_id), "online": True,
                                                             "connections": 1}
    assert (await hub.get(url, key=None)).status_code == 401


async def test_a_replay_longer_than_the_send_queue_arrives_whole(start_hub) -> None:
    """Resuming is not mistaken for reading slowly: a replay many times the send queue's byte
    budget is written as the socket drains, in order, and the connection stays open."""
    hub = await start_hub(send_queue_max_bytes=8192)
    user_id = uuid.uuid4()
    count = 400  # about 200 bytes each: ten times the budget
    await send_reminders(hub, user_id, range(1, count + 1))
    client = await hub.connect(user_id)
    assert await received_counts(client, count) == list(range(1, count + 1))
    await assert_next_is_pong(client)


async def test_history_is_replayed_a_page_at_a_time_without_gap_or_duplicate(start_hub) -> None:
    """A replay spanning many pages arrives whole, also when the client's position is far past
    the acknowledged one (the first page read then holds nothing new for it)."""
    hub = await start_hub(replay_page_messages=7)
    user_id = uuid.uuid4()
    await send_reminders(hub, user_id, range(1, 61))
    fresh = await hub.connect(user_id)
    assert await received_counts(fresh, 60) == list(range(1, 61))
    epoch = fresh.established["payload"]["epoch"]
    resumed = await hub.connect(user_id, since=f"{epoch}:45")
    assert resumed.established["payload"]["recovered"] is True
    assert await received_counts(resumed, 15) == list(range(46, 61))
    await send_reminders(hub, user_id, [61])
    assert await received_counts(resumed, 1) == [61]
    await assert_next_is_pong(resumed)
