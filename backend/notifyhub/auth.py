"""Who is connecting: token extraction from a request and JWT verification."""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import jwt
from jwt.algorithms import Algorithm
from jwt.api_jws import PyJWS
from jwt.utils import base64url_decode, base64url_encode
from notifyhub_protocol import BEARER_SUBPROTOCOL_PREFIX, RefusalReason

from .errors import AmbiguousTokenError, AuthenticationError

if TYPE_CHECKING:
    from .settings import Settings

REQUIRED_CLAIMS = ("exp", "user_id", "email")
NOT_BEFORE_CLAIMS = ("nbf", "iat")
"""Time claims that must not lie in the future (`exp`, the other one, must not lie in the past)."""
LATEST_TIMESTAMP = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())
"""The last second a `datetime` can hold: a time claim beyond it cannot be a real time."""


@dataclass(frozen=True, slots=True)
class Identity:
    """The verified claims a connection runs under."""

    user_id: UUID
    email: str
    expires_at: datetime


def extract_token(headers: Mapping[str, str], query: Mapping[str, str],
                  subprotocols: Iterable[str]) -> str:
    """Find the client's JWT: `Authorization: Bearer`, a `bearer.<jwt>` subprotocol, or `?token=`.

    Exactly one of them may carry a token: the hub never chooses between two.
    Raises AuthenticationError(MISSING_TOKEN) when none is present, and AmbiguousTokenError when
    several are (two places, several `bearer.` offers, or `token` repeated in the query).
    """
    found = [*_header_tokens(headers), *_subprotocol_tokens(subprotocols), *_query_tokens(query)]
    if len(found) > 1:
        raise AmbiguousTokenError("present exactly one token: in the Authorization header, "
                                  "in one bearer subprotocol offer, or as the token query parameter")
    if not found:
        raise AuthenticationError(RefusalReason.MISSING_TOKEN, "no token in the Authorization header, "
                                  "the bearer subprotocol or the token query parameter")
    return found[0]


def _all_values(mapping: Mapping[str, str], key: str) -> list[str]:
    # Starlette's Headers and QueryParams keep repeated keys; `get` alone would pick one silently.
    getlist = getattr(mapping, "getlist", None)
    return list(getlist(key)) if getlist is not None else [mapping.get(key, "")]


def _header_tokens(headers: Mapping[str, str]) -> list[str]:
    found = []
    for value in _all_values(headers, "authorization"):
        scheme, _, credentials = value.partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            found.append(credentials.strip())
    return found


def _subprotocol_tokens(subprotocols: Iterable[str]) -> list[str]:
    return [offer.removeprefix(BEARER_SUBPROTOCOL_PREFIX) for offer in subprotocols
            if offer.startswith(BEARER_SUBPROTOCOL_PREFIX) and len(offer) > len(BEARER_SUBPROTOCOL_PREFIX)]


def _query_tokens(query: Mapping[str, str]) -> list[str]:
    return [value for value in _all_values(query, "token") if value]


class _KeyPreparedOnce(Algorithm):
    """One of PyJWT's algorithms, whose check of the hub's key runs once instead of per token.

    PyJWT prepares the key on every decode; for HMAC that means trying to read the secret as a
    DER key, a certificate and JSON (to refuse asymmetric keys and JWKs), about 9% of a
    handshake's CPU. The key never changes, so its first preparation is kept; a key the
    algorithm refuses is refused again on every token, as before.
    """

    def __init__(self, algorithm: Algorithm, key: str) -> None:
        self._algorithm = algorithm
        self._key = key
        self._prepared: Any = None

    def prepare_key(self, key: Any) -> Any:
        if key is not self._key:
            return self._algorithm.prepare_key(key)
        if self._prepared is None:
            self._prepared = self._algorithm.prepare_key(key)
        return self._prepared

    def check_key_length(self, key: Any) -> str | None:
        return self._algorithm.check_key_length(key)

    def sign(self, msg: bytes, key: Any) -> bytes:
        return self._algorithm.sign(msg, key)

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        return self._algorithm.verify(msg, key, sig)

    def to_jwk(self, key_obj: Any, as_dict: bool = False) -> Any:
        return self._algorithm.to_jwk(key_obj, as_dict)

    def from_jwk(self, jwk: str | dict[str, Any]) -> Any:
        return self._algorithm.from_jwk(jwk)


_UNPADDED_BASE64URL = re.compile(rb"[A-Za-z0-9_-]*")


def _decode_segment(segment: bytes, name: str) -> bytes:
    """PyJWS's `_decode_base64url_segment`, with its alphabet check run by one regular expression
    instead of a Python test per character (about 5% of a handshake's CPU for a JWT's three
    segments). A segment of the alphabet alone, as every well-formed JWT's are, gets PyJWS's
    remaining checks here (length, canonical encoding); any other (padding, junk) is PyJWS's to
    judge, so the same segments are refused with the same errors."""
    if _UNPADDED_BASE64URL.fullmatch(segment) is None:
        return PyJWS._decode_base64url_segment(segment, name)
    if len(segment) % 4 == 1:
        raise jwt.DecodeError(f"Invalid {name} padding")
    decoded = base64url_decode(segment)
    if base64url_encode(decoded) != segment:
        raise jwt.DecodeError(f"Invalid {name} padding")
    return decoded


def _decoder(key: str, algorithms: list[str]) -> jwt.PyJWT:
    """A PyJWT of the verifier's own whose allowed algorithms prepare key once (`_KeyPreparedOnce`)
    and whose segments are decoded by `_decode_segment`. Algorithms PyJWT does not know are left
    alone: a token naming one is refused as before."""
    decoder = jwt.PyJWT()
    signatures = decoder._jws  # PyJWT has no public way to give its decoder other algorithms
    if hasattr(PyJWS, "_decode_base64url_segment"):  # the PyJWT whose checks `_decode_segment` keeps
        signatures._decode_base64url_segment = _decode_segment
    for name in algorithms:
        try:
            algorithm = signatures.get_algorithm_by_name(name)
        except NotImplementedError:
            continue
        signatures.unregister_algorithm(name)
        signatures.register_algorithm(name, _KeyPreparedOnce(algorithm, key))
    return decoder


class TokenVerifier:
    """Verifies client JWTs against the configured key, algorithms and claims."""

    def __init__(self, settings: Settings) -> None:
        self._key = settings.jwt_secret.get_secret_value()
        self._algorithms = list(settings.jwt_algorithms)
        self._audience = settings.jwt_audience
        self._issuer = settings.jwt_issuer
        self._leeway = settings.jwt_leeway_seconds
        self._jwt = _decoder(self._key, self._algorithms)
        self._options = {"require": list(REQUIRED_CLAIMS), "verify_aud": self._audience is not None,
                         "verify_exp": False, "verify_nbf": False, "verify_iat": False}

    def verify(self, token: str) -> Identity:
        """Return the token's identity.

        Raises AuthenticationError with a stable RefusalReason (and `claim=` naming the claim for
        MISSING_CLAIM, INVALID_CLAIM and TOKEN_NOT_YET_VALID); never any other exception, whatever
        the token holds. The claims' shapes are checked before the times.
        """
        if not self._key:
            raise AuthenticationError(RefusalReason.NOT_CONFIGURED, "the hub has no NOTIFYHUB_JWT_SECRET")
        claims = self._decode(token)
        user_id, email = _user_id(claims), _email(claims)
        expires = _timestamp(claims, "exp")
        starts = [(name, _timestamp(claims, name)) for name in NOT_BEFORE_CLAIMS if name in claims]
        now = time.time()
        for name, moment in starts:
            if moment > now + self._leeway:
                raise AuthenticationError(RefusalReason.TOKEN_NOT_YET_VALID,
                                          f"the token's '{name}' is in the future", claim=name)
        if expires <= now - self._leeway:
            raise AuthenticationError(RefusalReason.TOKEN_EXPIRED, "the token has expired")
        return Identity(user_id, email, datetime.fromtimestamp(expires, UTC))

    def _decode(self, token: str) -> dict[str, Any]:
        """Check signature, algorithm, required claims, audience and issuer; times are checked by
        the caller, because PyJWT lets strings and out-of-range numbers through."""
        try:
            return self._jwt.decode(
                token.encode(), self._key, algorithms=self._algorithms, audience=self._audience, issuer=self._issuer,
                options=self._options,
            )
        except jwt.MissingRequiredClaimError as exc:
            raise AuthenticationError(RefusalReason.MISSING_CLAIM, f"the token lacks the '{exc.claim}' claim",
                                      claim=exc.claim) from exc
        except jwt.InvalidSignatureError as exc:
            raise AuthenticationError(RefusalReason.INVALID_SIGNATURE,
                                      "the token's signature does not verify") from exc
        except jwt.InvalidAlgorithmError as exc:
            raise AuthenticationError(RefusalReason.DISALLOWED_ALGORITHM,
                                      f"the token's algorithm is not one of {self._algorithms}") from exc
        except jwt.InvalidAudienceError as exc:
            raise AuthenticationError(RefusalReason.INVALID_AUDIENCE,
                                      "the token's audience is not accepted") from exc
        except jwt.InvalidIssuerError as exc:
            raise AuthenticationError(RefusalReason.INVALID_ISSUER, "the token's issuer is not accepted") from exc
        except jwt.exceptions.InvalidSubjectError as exc:
            raise _invalid_claim("sub", "a string") from exc
        except jwt.exceptions.InvalidJTIError as exc:
            raise _invalid_claim("jti", "a string") from exc
        except (jwt.PyJWTError, UnicodeEncodeError) as exc:  # a lone surrogate cannot be UTF-8
            raise AuthenticationError(RefusalReason.MALFORMED_TOKEN, "the token is not a well-formed JWT") from exc


def _invalid_claim(name: str, expected: str) -> AuthenticationError:
    return AuthenticationError(RefusalReason.INVALID_CLAIM, f"the '{name}' claim is not {expected}", claim=name)


def _timestamp(claims: dict[str, Any], name: str) -> float:
    """A time claim as seconds since the epoch. Raises INVALID_CLAIM unless it is a JSON number
    (not a string, not a boolean) between 0 and LATEST_TIMESTAMP."""
    value = claims[name]
    # Exactly int or float: bool is an int in Python. NaN and infinities fail the range check.
    if type(value) not in (int, float) or not 0 <= value <= LATEST_TIMESTAMP:
        raise _invalid_claim(name, f"a number of seconds between 0 and {LATEST_TIMESTAMP}")
    return float(value)


def _user_id(claims: dict[str, Any]) -> UUID:
    value = claims["user_id"]
    try:
        if isinstance(value, str):
            return UUID(value)
    except ValueError:
        pass
    raise _invalid_claim("user_id", "a UUID string")


def _email(claims: dict[str, Any]) -> str:
    value = claims["email"]
    if not isinstance(value, str) or "@" not in value:
        raise _invalid_claim("email", "an email address string")
    return value


def issue_token(settings: Settings, user_id: UUID, email: str, ttl_seconds: int = 3600) -> str:
    """Sign a token the hub accepts (for development and tests)."""
    now = int(time.time())
    claims = {"user_id": str(user_id), "email": email, "iat": now, "exp": now + ttl_seconds}
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=settings.jwt_algorithms[0])


def verify_service_key(settings: Settings, authorization: str) -> None:
    """Accept `Authorization: Bearer <key>` when key is one of NOTIFYHUB_SERVICE_KEYS.

    Compares in constant time. Raises AuthenticationError(INVALID_SERVICE_KEY).
    """
    scheme, _, presented = authorization.partition(" ")
    presented_bytes = presented.strip().encode()
    valid = scheme.lower() == "bearer" and bool(presented_bytes) and any(
        hmac.compare_digest(presented_bytes, key.get_secret_value().encode())
        for key in settings.service_keys
    )
    if not valid:
        raise AuthenticationError(RefusalReason.INVALID_SERVICE_KEY, "a valid service key is required "
                                  "as 'Authorization: Bearer <key>'")
