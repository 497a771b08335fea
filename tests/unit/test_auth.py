"""Token extraction and verification rules, without a socket."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from notifyhub.auth import TokenVerifier, extract_token, issue_token, verify_service_key
from notifyhub.errors import AuthenticationError
from notifyhub.settings import Settings

SECRET = "unit-test-secret-" * 4


def settings(**overrides) -> Settings:
    return Settings(jwt_secret=SECRET, service_keys=["key-one", "key-two"], **overrides)


def test_header_wins_over_subprotocol_and_query() -> None:
    """An explicit Authorization header is preferred to the other two ways."""
    token = extract_token({"authorization": "Bearer from-header"}, {"token": "from-query"},
                          ["notifyhub.v1", "bearer.from-subprotocol"])
    assert token == "from-header"


def test_subprotocol_wins_over_query() -> None:
    """A browser's bearer subprotocol is used before a query token."""
    assert extract_token({}, {"token": "q"}, ["notifyhub.v1", "bearer.s"]) == "s"


def test_no_token_anywhere_is_missing_token() -> None:
    """No credentials at all is a distinct reason from bad credentials."""
    with pytest.raises(AuthenticationError) as caught:
        extract_token({"authorization": "Basic abc"}, {}, ["notifyhub.v1", "bearer."])
    assert caught.value.reason == "missing_token"


def test_issued_token_verifies_to_its_identity() -> None:
    """A token the hub issues carries the user and expiry the hub then reads."""
    user_id = uuid.uuid4()
    identity = TokenVerifier(settings()).verify(issue_token(settings(), user_id, "a@b.example", 60))
    assert identity.user_id == user_id and identity.email == "a@b.example"


@pytest.mark.parametrize("configured, claims, reason", [
    ({"jwt_audience": "hailango"}, {"aud": "other"}, "invalid_audience"),
    ({"jwt_audience": "hailango"}, {}, "missing_claim"),
    ({"jwt_issuer": "auth.hailango"}, {"iss": "elsewhere"}, "invalid_issuer"),
    ({}, {"email": "not-an-email"}, "invalid_claim"),
])
def test_optional_audience_issuer_and_claim_checks(configured, claims, reason) -> None:
    """Configured audience and issuer are enforced; claims must have the right shape."""
    body = {"user_id": str(uuid.uuid4()), "email": "a@b.example", "exp": int(time.time()) + 60, **claims}
    with pytest.raises(AuthenticationError) as caught:
        TokenVerifier(settings(**configured)).verify(jwt.encode(body, SECRET, algorithm="HS256"))
    assert caught.value.reason == reason


def test_algorithm_comes_from_settings_not_from_the_token() -> None:
    """A token signed with an algorithm outside the allowed list is refused even with the right key."""
    body = {"user_id": str(uuid.uuid4()), "email": "a@b.example", "exp": int(time.time()) + 60}
    token = jwt.encode(body, SECRET, algorithm="HS512")
    with pytest.raises(AuthenticationError) as caught:
        TokenVerifier(settings()).verify(token)
    assert caught.value.reason == "disallowed_algorithm"


def test_service_keys_are_compared_exactly() -> None:
    """Any configured key is accepted; prefixes, other schemes and blanks are not."""
    verify_service_key(settings(), "Bearer key-two")
    for header in ("Bearer key", "Bearer key-one-more", "Basic key-one", "Bearer ", ""):
        with pytest.raises(AuthenticationError):
            verify_service_key(settings(), header)


def test_unconfigured_secret_refuses_every_token() -> None:
    """A hub without a secret accepts no one rather than everyone."""
    with pytest.raises(AuthenticationError) as caught:
        TokenVerifier(Settings()).verify("a.b.c")
    assert caught.value.reason == "not_configured"
