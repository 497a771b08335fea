"""A service's publish survives a lost answer, a 503 and a dead hub the way it expects: retried
with the same Idempotency-Key, delivered exactly once, or a clear error after bounded attempts."""

from __future__ import annotations

import socket
import time
import uuid

import pytest
from notifyhub.client import BatchItem, HubUnavailableError, RetryPolicy
from notifyhub_protocol import new_notification_draft

from tests.support.faulty_proxy import DROP_ANSWER, FORWARD, REFUSE_503, faulty_proxy
from tests.support.hubs import RunningHub


def note(text: str):
    return new_notification_draft(title="Lesson", message=text, level="info")


async def assert_delivered_once(receiver, text: str, hub: RunningHub, user_id: uuid.UUID) -> dict:
    """The next frame is `text`, and the one after is a later message, not `text` again."""
    frame = await receiver.receive_type("notification")
    assert frame["payload"]["message"] == text
    await hub.publish({"user_ids": [str(user_id)], "message": note("later").model_dump(mode="json")})
    assert (await receiver.receive_type("notification"))["payload"]["message"] == "later"
    return frame


async def test_a_lost_answer_is_retried_with_the_same_key_and_delivered_once(hub: RunningHub, call) -> None:
    """The hub took the publish but the connection dropped before its answer: the client sends it
    again with the same key, gets the first answer, and the user receives the message once."""
    user_id = uuid.uuid4()
    receiver = await hub.connect(user_id)
    async with faulty_proxy(hub.port, DROP_ANSWER) as proxy:
        sent = await call(proxy.url, "send", [user_id], note("once"))
    assert [r.action for r in proxy.requests] == [DROP_ANSWER, FORWARD]
    assert len({r.idempotency_key for r in proxy.requests}) == 1 and proxy.requests[0].idempotency_key
    frame = await assert_delivered_once(receiver, "once", hub, user_id)
    assert frame["id"] == str(sent.id) and sent.connections == 1


async def test_a_batch_with_a_lost_answer_is_delivered_once_in_order(hub: RunningHub, call) -> None:
    """A batch retried after a lost answer delivers each of its messages once, in order."""
    user_id = uuid.uuid4()
    receiver = await hub.connect(user_id)
    items = [BatchItem.to_users([user_id], note("first")), BatchItem.to_users([user_id], note("second"))]
    async with faulty_proxy(hub.port, DROP_ANSWER) as proxy:
        sent = await call(proxy.url, "send_batch", items)
    assert [r.path for r in proxy.requests] == ["/api/v1/messages/batch"] * 2
    assert (await receiver.receive_type("notification"))["id"] == str(sent[0].id)
    frame = await assert_delivered_once(receiver, "second", hub, user_id)
    assert frame["id"] == str(sent[1].id)


async def test_a_503_is_retried_until_the_hub_takes_it(hub: RunningHub, call) -> None:
    """Two 503s (Retry-After: 0), then success: one logical send, one key, one delivery."""
    user_id = uuid.uuid4()
    receiver = await hub.connect(user_id)
    async with faulty_proxy(hub.port, REFUSE_503, REFUSE_503) as proxy:
        sent = await call(proxy.url, "send", [user_id], note("after a refusal"))
    assert [r.action for r in proxy.requests] == [REFUSE_503, REFUSE_503, FORWARD]
    assert len({r.idempotency_key for r in proxy.requests}) == 1
    frame = await assert_delivered_once(receiver, "after a refusal", hub, user_id)
    assert frame["id"] == str(sent.id)


async def test_503s_beyond_the_attempts_raise_with_the_status(hub: RunningHub, call) -> None:
    """A hub that keeps refusing ends in HubUnavailableError(503) after max_attempts, having
    done nothing."""
    async with faulty_proxy(hub.port, *[REFUSE_503] * 3) as proxy:
        with pytest.raises(HubUnavailableError) as raised:
            await call(proxy.url, "broadcast", note("never"),
                       retry=RetryPolicy(max_attempts=3, first_delay_seconds=0.01))
    assert len(proxy.requests) == 3
    assert (raised.value.status, raised.value.reason, raised.value.attempts) == (503, "backend_unavailable", 3)
    assert not raised.value.maybe_delivered


@pytest.fixture
def dead_port():
    """A loopback port bound but not listening: connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


async def test_an_unreachable_hub_raises_after_the_bounded_attempts(dead_port: int, call) -> None:
    """Connection refused on every attempt: HubUnavailableError after max_attempts, quickly, with
    no doubt that nothing was delivered."""
    started = time.monotonic()
    with pytest.raises(HubUnavailableError) as raised:
        await call(f"http://127.0.0.1:{dead_port}", "broadcast", note("nobody"),
                   retry=RetryPolicy(max_attempts=4, first_delay_seconds=0.01, max_delay_seconds=0.02))
    assert (raised.value.reason, raised.value.status, raised.value.attempts) == ("unreachable", None, 4)
    assert not raised.value.maybe_delivered and raised.value.idempotency_key
    assert time.monotonic() - started < 5


async def test_total_time_bounds_the_retries(dead_port: int, call) -> None:
    """With many attempts allowed, no retry starts after total_seconds."""
    started = time.monotonic()
    with pytest.raises(HubUnavailableError) as raised:
        await call(f"http://127.0.0.1:{dead_port}", "broadcast", note("nobody"),
                   retry=RetryPolicy(max_attempts=1000, first_delay_seconds=0.05, max_delay_seconds=0.05,
                                     total_seconds=0.3))
    assert 1 < raised.value.attempts < 1000
    assert time.monotonic() - started < 3
