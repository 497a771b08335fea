"""Fallback decisions without a hub or a socket: when a message is due, whether it is sent, how
the webhook retries, and the scheduler over the memory schedule with a recording channel."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import pytest
from notifyhub.backends.base import BackendUnavailableError, StreamState
from notifyhub.backends.memory_schedule import MemoryFallbackSchedule
from notifyhub.delivery_policy import schema_policies
from notifyhub.fallback.channel import ChannelOutcome, FallbackDelivery
from notifyhub.fallback.schedule import DueEntry, Verdict, due_ms, fallback_delay, verdict
from notifyhub.fallback.retrying import WEBHOOK_GONE, SendVerdict, send_verdict
from notifyhub.fallback.scheduler import FallbackScheduler
from notifyhub.fallback.webhook import retry_delay, webhook_body, webhook_id
from notifyhub.metrics import HubMetrics
from notifyhub.retry_after import retry_after_seconds
from notifyhub.settings import Settings
from notifyhub_protocol import DURABLE, DeliveryPolicy, Fallback
from pydantic import ValidationError
from standardwebhooks import Webhook

from tests.support.webhook_receiver import SECRET

USER = uuid.UUID("6f1c3c1e-0000-4000-8000-000000000001")
FRAME = b'{"seq":4,"type":"book_ready","id":"5d0e7a52-9d8e-4c43-9a55-2f0b1c7e0a11","payload":{"title":"x"}}'
POLICIES = schema_policies()


def entry(seq: int = 4, epoch: str = "e1") -> DueEntry:
    return DueEntry(USER, epoch, seq, FRAME)


# When a message is due

def test_the_delay_is_the_types_after_seconds_times_the_scale() -> None:
    """book_ready waits 300 s (scaled for tests); a type without a fallback, or a live one, never."""
    assert fallback_delay(POLICIES["book_ready"], 1.0) == 300
    assert fallback_delay(POLICIES["book_ready"], 0.01) == pytest.approx(3)
    assert fallback_delay(POLICIES["notification"], 1.0) is None
    live = DeliveryPolicy("live", fallback=Fallback(60, ("push",)))
    assert fallback_delay(live, 1.0) is None


def test_a_message_is_never_due_before_its_delay() -> None:
    """The due time rounds up to the millisecond: never a moment early."""
    assert due_ms(1_000, 0.0015) == 1_002
    assert due_ms(1_000, 300) == 301_000


# Acknowledged or sent

@pytest.mark.parametrize("state,expected", [
    (StreamState("e1", 9, 4, 0), Verdict.ACKED),   # acked exactly up to it
    (StreamState("e1", 9, 7, 0), Verdict.ACKED),   # acked past it
    (StreamState("e1", 9, 3, 0), Verdict.SEND),    # acked only before it
    (StreamState("e2", 9, 9, 0), Verdict.SEND),    # a new epoch: no ack can have covered it
    (None, Verdict.SEND),                          # the stream is gone
])
def test_only_an_ack_in_the_same_epoch_at_or_past_the_seq_holds_a_message_back(state, expected) -> None:
    """The user's acknowledged cursor decides, within the message's epoch only."""
    assert verdict(entry(seq=4, epoch="e1"), state) is expected


def test_an_entry_names_its_place_and_gives_the_channels_the_message() -> None:
    """An entry's name parses back to it; its delivery carries the frame's id and type."""
    due = entry()
    assert DueEntry.parse(due.name, FRAME) == due
    delivery = due.delivery()
    assert (delivery.message_id, delivery.message_type, delivery.seq) == (
        "5d0e7a52-9d8e-4c43-9a55-2f0b1c7e0a11", "book_ready", 4)


# The webhook's answers and waits

@pytest.mark.parametrize("status,expected", [
    (200, SendVerdict.SENT), (204, SendVerdict.SENT), (429, SendVerdict.RETRY), (500, SendVerdict.RETRY), (503, SendVerdict.RETRY),
    (410, SendVerdict.GONE), (400, SendVerdict.FAILED), (401, SendVerdict.FAILED), (301, SendVerdict.FAILED), (308, SendVerdict.FAILED),
])
def test_each_answer_of_the_endpoint_is_sent_retried_or_failed(status: int, expected: SendVerdict) -> None:
    """2xx sent; 429 and 5xx retried; 410 gone; redirects and other 4xx failed at once."""
    assert send_verdict(status, WEBHOOK_GONE) is expected


def test_retry_after_reads_seconds_and_dates() -> None:
    """Retry-After as delay-seconds or an HTTP date; anything else is ignored."""
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC).timestamp()
    assert retry_after_seconds("7", now) == 7
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None, now) is None


def test_backoff_is_full_jitter_capped_and_honours_retry_after_up_to_the_cap() -> None:
    """The n-th wait is uniform up to 0.5 s * 2^n, never past the cap; Retry-After wins, capped."""
    assert [retry_delay(n, 3.0, None, lambda: 1.0) for n in range(4)] == [0.5, 1.0, 2.0, 3.0]
    assert retry_delay(2, 3.0, None, lambda: 0.0) == 0
    assert retry_delay(0, 3.0, 2.0) == 2.0
    assert retry_delay(0, 3.0, 60.0) == 3.0


def test_the_body_carries_the_envelope_byte_for_byte_and_verifies() -> None:
    """The Standard Webhooks shape, with the message as the user got it; a receiver using
    `standardwebhooks` verifies it."""
    delivery = FallbackDelivery(USER, "e1", 4, "5d0e7a52-9d8e-4c43-9a55-2f0b1c7e0a11", "book_ready", FRAME)
    now = datetime.now(UTC)
    body = webhook_body(delivery, now)
    assert FRAME in body
    assert json.loads(body) == {"type": "message.fallback",
                                "timestamp": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                                "data": {"user_id": str(USER), "message": json.loads(FRAME)}}
    signer, webhook = Webhook(SECRET), webhook_id(delivery)
    assert webhook == f"{delivery.message_id}:{USER}"  # one per recipient: a receiver dedupes on it
    headers = {"webhook-id": webhook, "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": signer.sign(webhook, now, body.decode())}
    assert signer.verify(body, headers) == json.loads(body)


# Settings

@pytest.mark.parametrize("overrides,message", [
    ({"webhook_url": "http://127.0.0.1:9/h"}, "webhook_secret must be set"),
    ({"webhook_url": "http://127.0.0.1:9/h", "webhook_secret": "not-a-whsec"}, "webhook_secret must be set"),
    ({"webhook_url": "ftp://127.0.0.1/h", "webhook_secret": SECRET}, "webhook_url must be an http"),
    ({"webhook_url": "http://127.0.0.1:9/h", "webhook_secret": SECRET, "fallback_lease_seconds": 30},
     "fallback_lease_seconds must exceed the longest send"),
    ({"fallback_delay_scale": 2}, "fallback_delay_scale"),
])
def test_incoherent_fallback_settings_are_refused(overrides, message: str) -> None:
    """A webhook without a whsec_ secret, a lease shorter than a send, or a scale above 1 fail at start-up."""
    with pytest.raises(ValidationError, match=message):
        Settings(**overrides)


# The memory schedule's claims

async def test_a_claim_holds_entries_for_the_lease_then_they_are_due_again() -> None:
    """A claimed entry is not claimed again within its lease, is after it, and never once completed."""
    clock = [1_000.0]
    schedule = MemoryFallbackSchedule(lambda user: None, 60, clock=lambda: clock[0])
    schedule.add(USER, "e1", 1, FRAME, 1_000_000)
    schedule.add(USER, "e1", 2, FRAME, 1_000_000 + 3_600_000)  # due an hour later
    [claimed] = await schedule.claim_due(10, lease_seconds=30)
    assert claimed.seq == 1 and await schedule.claim_due(10, 30) == []
    clock[0] += 30
    [again] = await schedule.claim_due(10, 30)
    assert again == claimed
    await schedule.complete(again)
    clock[0] += 60
    assert await schedule.claim_due(10, 30) == [] and len(schedule) == 1


async def test_a_channel_marker_is_given_once() -> None:
    """`first_send` is True once per channel and message, whoever asks."""
    schedule = MemoryFallbackSchedule(lambda user: None, 60)
    assert await schedule.first_send("webhook", USER, "m1") is True
    assert await schedule.first_send("webhook", USER, "m1") is False
    assert await schedule.first_send("push", USER, "m1") is True


# The scheduler with a recording channel

class RecordingChannel:
    """Records what it is asked to send; can be told to fail with the backend unavailable."""

    def __init__(self, name: str, unavailable: bool = False) -> None:
        self.name = name
        self.sent: list[FallbackDelivery] = []
        self.unavailable = unavailable

    async def send(self, delivery: FallbackDelivery) -> ChannelOutcome:
        if self.unavailable:
            raise BackendUnavailableError("no Redis")
        self.sent.append(delivery)
        return ChannelOutcome(sent=1)


def scheduler(schedule: MemoryFallbackSchedule, *channels: RecordingChannel,
              metrics: HubMetrics | None = None) -> FallbackScheduler:
    return FallbackScheduler(schedule, {c.name: c for c in channels}, lambda: POLICIES, Settings(),
                             metrics or HubMetrics())


async def test_the_scheduler_sends_what_was_not_acknowledged_and_drops_what_was() -> None:
    """Of two due messages, the one the user acknowledged is dropped and counted; the other goes
    through every configured channel its type names; both are completed."""
    states = {USER: StreamState("e1", 2, 1, 0)}
    schedule = MemoryFallbackSchedule(states.get, 60)
    past = int(time.time() * 1000) - 1
    schedule.add(USER, "e1", 1, FRAME, past)
    schedule.add(USER, "e1", 2, FRAME.replace(b'"seq":4', b'"seq":2'), past)
    webhook, metrics = RecordingChannel("webhook"), HubMetrics()
    assert await scheduler(schedule, webhook, metrics=metrics).run_once() == 2
    assert [d.seq for d in webhook.sent] == [2] and len(schedule) == 0
    assert metrics.fallback_acknowledged._value.get() == 1
    assert metrics.fallback_totals == {"sent": 1, "failed": 0}


async def test_only_the_channels_the_type_names_are_used() -> None:
    """A channel configured but not in the type's policy gets nothing; a type without a fallback
    that is due anyway (its policy changed since) is completed unsent."""
    schedule = MemoryFallbackSchedule(lambda user: None, 60)
    past = int(time.time() * 1000) - 1
    schedule.add(USER, "e1", 1, FRAME, past)
    schedule.add(USER, "e1", 2, FRAME.replace(b"book_ready", b"notification"), past)
    webhook, sms = RecordingChannel("webhook"), RecordingChannel("sms")
    assert await scheduler(schedule, webhook, sms).run_once() == 2
    assert [d.message_type for d in webhook.sent] == ["book_ready"] and sms.sent == [] and len(schedule) == 0


async def test_an_entry_whose_send_could_not_start_comes_due_again() -> None:
    """A channel that cannot reach the backend leaves the entry in the schedule, claimed: it is
    due again after the lease."""
    schedule = MemoryFallbackSchedule(lambda user: None, 60)
    schedule.add(USER, "e1", 1, FRAME, int(time.time() * 1000) - 1)
    await scheduler(schedule, RecordingChannel("webhook", unavailable=True)).run_once()
    assert len(schedule) == 1 and await schedule.claim_due(10, 60) == []


def test_the_lease_outlasts_the_slowest_channel_by_default() -> None:
    """Defaults: a webhook (five attempts of 10 s, four waits of at most 10 s) and a push (its
    120 s retry window and one 10 s timeout) both fit in the 180 s lease."""
    settings = Settings()
    assert (settings.webhook_send_seconds, settings.push_send_seconds) == (90, 130)
    assert settings.fallback_lease_seconds == 180
