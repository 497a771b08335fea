"""The service client's retry decisions, without a network: backoff, Retry-After, bounds, and
what each answer means."""

from __future__ import annotations

import email.utils
import json

import httpx
import pytest
from notifyhub.client import HubRefusedError, HubUnavailableError, RetryPolicy
from notifyhub.client.requests import judge, transport_failure
from notifyhub.client.retry import Attempts, Failure, backoff_delay
from notifyhub.retry_after import retry_after_seconds

POLICY = RetryPolicy(max_attempts=5, first_delay_seconds=0.1, max_delay_seconds=0.5, total_seconds=10)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def failure(retry_after: float | None = None, maybe_delivered: bool = False) -> Failure:
    return Failure("backend_unavailable", "down", 503, maybe_delivered, retry_after)


def test_backoff_doubles_up_to_the_cap_with_full_jitter() -> None:
    """The top of each wait doubles from first_delay_seconds and stops at max_delay_seconds;
    the wait is spread over [0, top] so that refused clients do not return together."""
    assert [backoff_delay(n, POLICY, lambda: 1.0) for n in range(1, 6)] == [0.1, 0.2, 0.4, 0.5, 0.5]
    assert backoff_delay(3, POLICY, lambda: 0.0) == 0.0
    assert backoff_delay(3, POLICY, lambda: 0.5) == 0.2


@pytest.mark.parametrize(("header", "seconds"), [("3", 3.0), ("0", 0.0), (None, None), ("soon", None), ("", None)])
def test_retry_after_in_seconds(header: str | None, seconds: float | None) -> None:
    """Delta-seconds are read as they are; a missing or unreadable header is None."""
    assert retry_after_seconds(header) == seconds


def test_retry_after_as_an_http_date() -> None:
    """An HTTP date is the time left until then."""
    header = email.utils.formatdate(1_000_030, usegmt=True)
    assert retry_after_seconds(header, now=1_000_000) == 30.0


def test_retry_after_wins_over_the_backoff() -> None:
    """When the hub says how long to wait, the client waits that long."""
    attempts = Attempts(POLICY, "key", clock=Clock(), uniform=lambda: 1.0)
    assert attempts.wait_after(failure(retry_after=2.5)) == 2.5
    assert attempts.wait_after(failure()) == 0.2


def test_attempts_run_out_with_the_key_and_whether_it_may_have_landed() -> None:
    """After max_attempts the error carries the attempts, the key, and whether any attempt may
    have been delivered (to resend later with the same key)."""
    attempts = Attempts(RetryPolicy(max_attempts=3), "the-key", clock=Clock())
    attempts.wait_after(failure(maybe_delivered=True))
    attempts.wait_after(failure())
    with pytest.raises(HubUnavailableError) as raised:
        attempts.wait_after(failure())
    error = raised.value
    assert (error.attempts, error.idempotency_key, error.maybe_delivered, error.status) == (3, "the-key", True, 503)
    assert "3 attempts" in str(error)


def test_no_retry_starts_after_the_total_time() -> None:
    """A wait that would end after total_seconds ends the attempts instead."""
    clock = Clock()
    attempts = Attempts(RetryPolicy(max_attempts=100, total_seconds=5), "key", clock=clock)
    assert attempts.wait_after(failure(retry_after=4.0)) == 4.0
    clock.now += 4.0
    with pytest.raises(HubUnavailableError):
        attempts.wait_after(failure(retry_after=1.5))


def test_a_policy_with_no_attempt_is_refused() -> None:
    """max_attempts below 1 is a mistake, named when the policy is made."""
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_answers_are_judged_by_status() -> None:
    """202 is the result; 503 and 504 are retried (504 may have been delivered); others raise."""
    accepted = {"id": "7f1d2b5e-5b5f-4c39-8f49-2f0d1c7e4a10", "type": "notification", "connections": 1}
    assert judge(202, {}, json.dumps(accepted).encode()) == accepted
    unavailable = judge(503, {"retry-after": "2"}, b'{"error":"backend_unavailable","detail":"redis"}')
    assert (unavailable.status, unavailable.retry_after, unavailable.maybe_delivered) == (503, 2.0, False)
    assert judge(504, {}, b'{"error":"outcome_unknown","detail":"?"}').maybe_delivered
    with pytest.raises(HubRefusedError) as raised:
        judge(502, {}, b"<html>Bad Gateway</html>")
    assert (raised.value.status, raised.value.reason, raised.value.detail) == (502, "http_502", "<html>Bad Gateway</html>")


def test_transport_errors_say_whether_the_hub_may_have_the_request() -> None:
    """A connection never made did nothing; a lost or late answer may have been delivered; a URL
    scheme httpx cannot speak is raised as it is."""
    assert not transport_failure(httpx.ConnectError("refused")).maybe_delivered
    assert transport_failure(httpx.RemoteProtocolError("disconnected")).maybe_delivered
    assert transport_failure(httpx.ReadTimeout("slow")).reason == "timeout"
    with pytest.raises(httpx.UnsupportedProtocol):
        transport_failure(httpx.UnsupportedProtocol("ftp"))
