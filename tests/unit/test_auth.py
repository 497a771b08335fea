"""Token extraction and verification rules, without a socket."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import time
import uuid

import jwt
import pytest
from jwt.api_jws import PyJWS
from notifyhub.auth import TokenVerifier, _decode_segment, extract_token, issue_token, verify_service_key
from notifyhub.errors import AmbiguousTokenError, AuthenticationError
from notifyhub.settings import Settings
from notifyhub_protocol import REFUSAL_STATUS, RefusalReason
from starlette.datastructures import Headers, QueryParams

SECRET = "unit-test-secret-" * 4


def settings(**overrides) -> Settings:
    return Settings(jwt_secret=SECRET, service_keys=["key-one", "key-two"], **overrides)


@pytest.mark.parametrize("headers, query, subprotocols, token", [
    ({"authorization": "Bearer h"}, {}, ["notifyhub.v1"], "h"),
    ({}, {}, ["notifyhub.v1", "bearer.s"], "s"),
    ({}, {"token": "q"}, [], "q"),
    ({"authorization": "Basic abc"}, {"token": "q"}, ["notifyhub.v1", "bearer."], "q"),
], ids=["header", "subprotocol", "query", "query-beside-non-tokens"])
def test_a_token_in_one_place_is_found(headers, query, subprotocols, token) -> None:
    """Each of the three ways to pass a token works on its own; other credentials are not tokens."""
    assert extract_token(headers, query, subprotocols) == token


@pytest.mark.parametrize("headers, query, subprotocols", [
    ({"authorization": "Bearer h"}, {"token": "q"}, []),
    ({"authorization": "Bearer h"}, {}, ["notifyhub.v1", "bearer.s"]),
    ({}, {"token": "q"}, ["notifyhub.v1", "bearer.s"]),
    ({}, {}, ["notifyhub.v1", "bearer.one", "bearer.two"]),
    ({}, QueryParams("token=one&token=two"), []),
    (Headers(raw=[(b"authorization", b"Bearer one"), (b"authorization", b"Bearer two")]), {}, []),
], ids=["header+query", "header+subprotocol", "subprotocol+query", "two-offers", "two-query-tokens",
        "two-headers"])
def test_several_tokens_are_ambiguous(headers, query, subprotocols) -> None:
    """The hub never silently picks one of several tokens: it refuses with 400 ambiguous_token."""
    with pytest.raises(AmbiguousTokenError) as caught:
        extract_token(headers, query, subprotocols)
    assert (caught.value.reason, caught.value.status) == (RefusalReason.AMBIGUOUS_TOKEN, 400)


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


def test_one_verifier_keeps_judging_each_token_by_its_own_signature() -> None:
    """A verifier that has accepted a token (its key prepared once) still refuses a token signed
    with another key, and accepts the next good one."""
    verifier = TokenVerifier(settings())
    verifier.verify(signed())
    forged = jwt.encode({"user_id": str(uuid.uuid4()), "email": "a@b.example", "exp": int(time.time()) + 60},
                        "another-secret-" * 4, algorithm="HS256")
    with pytest.raises(AuthenticationError) as caught:
        verifier.verify(forged)
    assert caught.value.reason == "invalid_signature"
    verifier.verify(signed())


def test_a_public_key_as_the_secret_refuses_every_token() -> None:
    """A PEM key configured as the HMAC secret (algorithm confusion) is refused on every token,
    not only the first one the verifier sees."""
    pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n"
    verifier = TokenVerifier(Settings(jwt_secret=pem))
    token = jwt.encode({"user_id": str(uuid.uuid4()), "email": "a@b.example", "exp": int(time.time()) + 60},
                       "x" * 32, algorithm="HS256")
    for _ in range(2):
        with pytest.raises(AuthenticationError) as caught:
            verifier.verify(token)
        assert caught.value.reason == "malformed_token"


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


def signed(**changes) -> str:
    """A token signed with the unit-test secret: valid claims with `changes` applied (None removes)."""
    claims = {"user_id": str(uuid.uuid4()), "email": "a@b.example", "exp": int(time.time()) + 3600, **changes}
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, SECRET, algorithm="HS256")


def signed_raw(payload: str) -> str:
    """A token whose payload is exactly `payload` (for JSON that PyJWT would not write: NaN, Infinity)."""
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    body = jwt.utils.base64url_encode(payload.encode())
    signature = hmac.new(SECRET.encode(), header + b"." + body, hashlib.sha256).digest()
    return b".".join([header, body, jwt.utils.base64url_encode(signature)]).decode()


def payload_with(**raw: str) -> str:
    """Valid claims as JSON text, with each of `raw` spliced in verbatim."""
    fields = {"user_id": f'"{uuid.uuid4()}"', "email": '"a@b.example"', "exp": str(int(time.time()) + 3600),
              **raw}
    return "{" + ",".join(f'"{name}":{value}' for name, value in fields.items()) + "}"


INVALID_CLAIMS = {
    "exp-string": (signed(exp=str(int(time.time()) + 60)), "exp"),
    "exp-1e300": (signed(exp=1e300), "exp"),
    "exp-10**12": (signed(exp=10**12), "exp"),
    "exp-negative": (signed(exp=-1), "exp"),
    "exp-bool": (signed(exp=True), "exp"),
    "exp-list": (signed(exp=[int(time.time()) + 60]), "exp"),
    "exp-NaN": (signed_raw(payload_with(exp="NaN")), "exp"),
    "exp-Infinity": (signed_raw(payload_with(exp="Infinity")), "exp"),
    "nbf-string": (signed(nbf="0"), "nbf"),
    "nbf-1e300": (signed(nbf=1e300), "nbf"),
    "nbf-NaN": (signed_raw(payload_with(nbf="NaN")), "nbf"),
    "iat-string": (signed(iat="now"), "iat"),
    "iat-negative": (signed(iat=-10), "iat"),
    "iat-bool": (signed(iat=False), "iat"),
    "iat-10**12": (signed(iat=10**12), "iat"),
    "user_id-integer": (signed(user_id=int(uuid.uuid4())), "user_id"),
    "user_id-not-a-uuid": (signed(user_id="42"), "user_id"),
    "user_id-object": (signed(user_id={"id": str(uuid.uuid4())}), "user_id"),
    "email-integer": (signed(email=7), "email"),
    "email-list": (signed(email=["a@b.example"]), "email"),
    "sub-integer": (signed(sub=7), "sub"),
}


@pytest.mark.parametrize("token, claim", INVALID_CLAIMS.values(), ids=INVALID_CLAIMS.keys())
def test_claim_of_the_wrong_type_or_range_is_invalid_claim(token: str, claim: str) -> None:
    """A signed token with a claim a client could not mean is refused as invalid_claim naming it."""
    with pytest.raises(AuthenticationError) as caught:
        TokenVerifier(settings()).verify(token)
    assert (caught.value.reason, caught.value.fields.get("claim")) == ("invalid_claim", claim)
    assert caught.value.status == 401


@pytest.mark.parametrize("claim", ["nbf", "iat"])
def test_token_from_the_future_is_not_yet_valid(claim: str) -> None:
    """A token whose nbf or iat lies beyond the leeway ahead has its own reason."""
    with pytest.raises(AuthenticationError) as caught:
        TokenVerifier(settings(jwt_leeway_seconds=5)).verify(signed(**{claim: int(time.time()) + 60}))
    assert (caught.value.reason, caught.value.fields["claim"]) == ("token_not_yet_valid", claim)


def test_leeway_absorbs_small_clock_skew() -> None:
    """Clocks a few seconds apart do not refuse a fresh token, nor one that just expired."""
    verifier = TokenVerifier(settings(jwt_leeway_seconds=5))
    now = int(time.time())
    verifier.verify(signed(nbf=now + 2, iat=now + 2))
    verifier.verify(signed(exp=now - 2))
    with pytest.raises(AuthenticationError) as caught:
        verifier.verify(signed(exp=now - 10))
    assert caught.value.reason == "token_expired"


def test_default_leeway_is_a_few_seconds() -> None:
    """Out of the box, a hub tolerates the clock skew of ordinary servers, and no more."""
    assert 0 < Settings().jwt_leeway_seconds <= 30


def test_latest_expiry_a_date_can_hold_is_accepted() -> None:
    """A token valid until the year 9999 is a real token, and its expiry is read exactly."""
    identity = TokenVerifier(settings()).verify(signed(exp=253402300799))
    assert identity.expires_at.year == 9999


def test_float_expiry_is_accepted() -> None:
    """`exp` is a NumericDate: a JSON number with a fraction is as good as an integer."""
    exp = time.time() + 60.5
    assert TokenVerifier(settings()).verify(signed(exp=exp)).expires_at.timestamp() == pytest.approx(exp)


@pytest.mark.parametrize("token", ["", ".", "a.b.c", "\ud800.a.b", signed_raw("[1]"),
                                   signed_raw(payload_with(iat="9" * 5000))])
def test_garbage_is_malformed_token_not_a_crash(token: str) -> None:
    """Whatever a client sends as a token, the answer is an AuthenticationError, never another exception."""
    with pytest.raises(AuthenticationError) as caught:
        TokenVerifier(settings()).verify(token)
    assert caught.value.reason == "malformed_token"


def test_authentication_statuses_match_the_protocol() -> None:
    """The status an exception carries is the one refusal_reasons.json gives its reason."""
    assert AuthenticationError.status == REFUSAL_STATUS[RefusalReason.INVALID_CLAIM]
    assert AmbiguousTokenError.status == REFUSAL_STATUS[RefusalReason.AMBIGUOUS_TOKEN]


def _segments() -> list[bytes]:
    """Well-formed segments of every length class, and every kind PyJWS refuses or tolerates."""
    rng = random.Random(7)
    encoded = [base64.urlsafe_b64encode(rng.randbytes(n)) for n in range(0, 40)]
    segments = [e.rstrip(b"=") for e in encoded] + encoded  # unpadded, and padded as some issuers do
    segments += [b"QR", b"QUF", b"QUFC", b"Q", b"QUFBQ", b"====", b"Q===", b"QQ=", b"QQ===", b"=QQ",
                 b"!!!!", b"QQ!!", b"QU+/", b"QU\xffA", b"QU A", b"Q\nUF", b"QUFB\x00", "é".encode()]
    return segments


@pytest.mark.parametrize("segment", _segments())
def test_segments_are_decoded_and_refused_exactly_as_pyjws_does(segment: bytes) -> None:
    """The verifier's faster segment decoding accepts, decodes and refuses the same segments, with
    the same errors, as PyJWT's own."""
    def outcome(decode) -> tuple[str, object]:
        try:
            return "decoded", decode(segment, "payload")
        except Exception as exc:  # the same class and message, whatever they are
            return type(exc).__name__, str(exc)

    assert outcome(_decode_segment) == outcome(PyJWS._decode_base64url_segment)
    assert TokenVerifier(settings())._jwt._jws._decode_base64url_segment is _decode_segment
