"""A refused publish raises at once with what the service needs to fix it: the status, the
reason, and the pointer of each field the hub refused."""

from __future__ import annotations

import uuid

import pytest
from notifyhub.client import BatchItem, HubRefusedError
from notifyhub_protocol import RefusalReason, new_notification_draft, new_notification_message, new_ocr_progress_draft

from tests.support.faulty_proxy import faulty_proxy
from tests.support.hubs import RunningHub


def overdone_progress():
    """Valid for the schema, refused by the hub's cross-field rule (more pages done than exist)."""
    return new_ocr_progress_draft(book_id=uuid.uuid4(), total_pages=3, processed_pages=5, progress=1.0,
                                  status="processing")


async def test_a_422_raises_with_the_pointer_and_is_not_retried(hub: RunningHub, call) -> None:
    """The hub's 422 becomes HubRefusedError with the JSON pointer into the request, after one request."""
    async with faulty_proxy(hub.port) as proxy:
        with pytest.raises(HubRefusedError) as raised:
            await call(proxy.url, "send", [uuid.uuid4()], overdone_progress())
    assert len(proxy.requests) == 1
    error = raised.value
    assert (error.status, error.reason) == (422, RefusalReason.INVALID_MESSAGE)
    assert error.pointers == ["/message/payload/processed_pages"]
    assert "/message/payload/processed_pages" in str(error)


async def test_a_batch_refusal_points_into_the_batch(hub: RunningHub, call) -> None:
    """In a batch, the pointer names the request that was refused."""
    items = [BatchItem.to_everyone(new_notification_draft(title="t", message="m", level="info")),
             BatchItem.to_users([uuid.uuid4()], overdone_progress())]
    with pytest.raises(HubRefusedError) as raised:
        await call(hub.base_url, "send_batch", items)
    assert raised.value.pointers == ["/requests/1/message/payload/processed_pages"]


async def test_a_wrong_service_key_raises_401(hub: RunningHub, call) -> None:
    """An unknown key is refused with 401 and its reason, not retried into a lockout."""
    with pytest.raises(HubRefusedError) as raised:
        await call(hub.base_url, "broadcast", overdone_progress(), key="not-the-key")
    assert (raised.value.status, raised.value.reason) == (401, RefusalReason.INVALID_SERVICE_KEY)


async def test_a_stamped_message_or_a_lone_id_is_a_clear_type_error(hub: RunningHub, call) -> None:
    """Arguments the hub would refuse are refused before any request, saying what to pass."""
    stamped = new_notification_message(title="t", message="m", level="info")
    with pytest.raises(TypeError, match="new_<type>_draft"):
        await call(hub.base_url, "broadcast", stamped)
    with pytest.raises(TypeError, match="list of user ids"):
        await call(hub.base_url, "send", str(uuid.uuid4()), overdone_progress())
