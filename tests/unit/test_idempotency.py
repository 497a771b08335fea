"""The Idempotency-Key header: what is accepted, and what a repeated request is named."""

from __future__ import annotations

import pytest
from notifyhub import InvalidIdempotencyKeyError
from notifyhub.idempotency import MAX_KEY_LENGTH, IdempotentRequest, parse_idempotency_key


@pytest.mark.parametrize("key", ["a", "order-42:attempt", "x" * MAX_KEY_LENGTH, " ~"])
def test_printable_ascii_keys_up_to_the_limit_are_accepted(key: str) -> None:
    """Any printable ASCII key of 1 to 255 characters is taken as it is."""
    assert parse_idempotency_key(key) == key


@pytest.mark.parametrize("key", ["", "x" * (MAX_KEY_LENGTH + 1), "tab\there", "é", "line\n"])
def test_other_keys_are_refused(key: str) -> None:
    """Empty, overlong or non-printable keys are refused with invalid_idempotency_key."""
    with pytest.raises(InvalidIdempotencyKeyError) as refused:
        parse_idempotency_key(key)
    assert refused.value.reason == "invalid_idempotency_key"


def test_no_header_means_no_key() -> None:
    """A request without the header is not idempotent."""
    assert parse_idempotency_key(None) is None


def test_a_repeated_request_names_its_messages_as_the_first_did() -> None:
    """Same key and body: same message ids and tokens; another body: another fingerprint."""
    first, again = (IdempotentRequest.of("k", b'{"a":1}', 60) for _ in range(2))
    other = IdempotentRequest.of("k", b'{"a":2}', 60)
    assert (first.message_id(0), first.token(0)) == (again.message_id(0), again.token(0))
    assert first.message_id(0) != first.message_id(1) and first.token(0).value != first.token(1).value
    assert other.fingerprint != first.fingerprint
    assert first.message_id(0).version == 4
