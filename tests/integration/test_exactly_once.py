"""Exactly once under churn: a client that keeps dropping and resuming misses nothing, twice."""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid

from notifyhub_protocol import new_review_reminder_message
from websockets.exceptions import ConnectionClosed

from tests.support.hubs import RunningHub

MESSAGES = 10_000
HUBS = {"memory": 1, "redis": 3}


async def publish_all(hubs: list[RunningHub], user_id: uuid.UUID, rng: random.Random) -> None:
    for number in range(1, MESSAGES + 1):
        await rng.choice(hubs).hub.send_to_user(user_id, new_review_reminder_message(due_count=number))
        if number % 50 == 0:
            await asyncio.sleep(0.001)  # a steady stream rather than one burst


async def follow_with_churn(hubs: list[RunningHub], user_id: uuid.UUID, rng: random.Random,
                            publishing: asyncio.Task) -> list[int]:
    """Connect, read for 100-400 ms, drop, resume elsewhere with since; until every message is in."""
    seen: list[int] = []
    position: str | None = None
    while not seen or seen[-1] < MESSAGES:
        hub = rng.choice(hubs)
        client = await hub.connect(user_id, since=position)
        epoch = client.established["payload"]["epoch"]
        window = rng.uniform(0.1, 0.4) if not publishing.done() else 30
        with contextlib.suppress(TimeoutError, ConnectionClosed):
            async with asyncio.timeout(window):
                while not seen or seen[-1] < MESSAGES:
                    frame = await client.receive_type("review_reminder")
                    seen.append(frame["seq"])
                    position = f"{epoch}:{frame['seq']}"
        if rng.random() < 0.5:
            await client.close()
        else:
            client.connection.transport.abort()  # vanish without a close frame
    return seen


async def test_no_gap_and_no_duplicate_while_resuming_on_random_hubs(start_hub, backend_settings) -> None:
    """10,000 messages to one user arrive exactly once, in order, across constant reconnects."""
    hubs = [await start_hub() for _ in range(HUBS[backend_settings["backend"]])]
    user_id, rng = uuid.uuid4(), random.Random(7)
    publishing = asyncio.create_task(publish_all(hubs, user_id, rng))
    seen = await asyncio.wait_for(follow_with_churn(hubs, user_id, rng, publishing), 120)
    await publishing
    assert seen == list(range(1, MESSAGES + 1))
