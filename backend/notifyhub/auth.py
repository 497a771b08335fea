"""Who is connecting: token extraction from a request and JWT verification."""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import jwt
from notifyhub_protocol import BEARER_SUBPROTOCOL_PREFIX

from .errors import AuthenticationError
from .settings import Settings

REQUIRED_CLAIMS = ("exp", "user_id", "email")


@dataclass(frozen=True, slots=True)
class Identity:
    """The verified claims a connection runs under."""

    user_id: UUID
    email: str
    expires_at: datetime


def extract_token(headers: Mapping[str, str], query: Mapping[str, str],
                  subprotocols: Iterable[str]) -> str:
    """Find the client's JWT: `Authorization: Bearer`, a `bearer.<jwt>` subprotocol, or `?token=`.

    Raises AuthenticationError("missing_token") when none is present.
    """
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    for offer in subprotocols:
        if offer.startswith(BEARER_SUBPROTOCOL_PREFIX) and len(offer) > len(BEARER_SUBPROTOCOL_PREFIX):
            return offer.removeprefix(BEARER_SUBPROTOCOL_PREFIX)
    token = query.get("token", "")
    if token:
        return token
    raise AuthenticationError("missing_token", "no token in the Authorization header, "
                              "the bearer subprotocol or the token query parameter")


class TokenVerifier:
    """Verifies client JWTs against the configured key, algorithms and claims."""

    def __init__(self, settings: Settings) -> None:
        self._key = settings.jwt_secret.get_secret_value()
        self._algorithms = list(settings.jwt_algorithms)
        self._audience = settings.jwt_audience
        self._issuer = settings.jwt_issuer
        self._leeway = settings.jwt_leeway_seconds

    def verify(self, token: str) -> Identity:
        """Return the token's identity, or raise AuthenticationError with a stable reason."""
        if not self._key:
            raise AuthenticationError("not_configured", "the hub has no NOTIFYHUB_JWT_SECRET")
        try:
            claims = jwt.decode(
                token, self._key, algorithms=self._algorithms, audience=self._audience,
                issuer=self._issuer, leeway=self._leeway,
                options={"require": list(REQUIRED_CLAIMS), "verify_aud": self._audience is not None},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthenticationError("token_expired", "the token has expired") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise AuthenticationError("missing_claim", f"the token lacks the '{exc.claim}' claim",
                                      claim=exc.claim) from exc
        except jwt.InvalidSignatureError as exc:
            raise AuthenticationError("invalid_signature", "the token's signature does not verify") from exc
        except jwt.InvalidAlgorithmError as exc:
            raise AuthenticationError("disallowed_algorithm",
                                      f"the token's algorithm is not one of {self._algorithms}") from exc
        except jwt.InvalidAudienceError as exc:
            raise AuthenticationError("invalid_audience", "the token's audience is not accepted") from exc
        except jwt.InvalidIssuerError as exc:
            raise AuthenticationError("invalid_issuer", "the token's issuer is not accepted") from exc
        except jwt.DecodeError as exc:
            raise AuthenticationError("malformed_token", "the token is not a well-formed JWT") from exc
        except jwt.InvalidTokenError as exc:
            raise AuthenticationError("invalid_token", str(exc)) from exc
        return _identity(claims)


def _identity(claims: dict) -> Identity:
    try:
        user_id = UUID(str(claims["user_id"]))
    except ValueError as exc:
        raise AuthenticationError("invalid_claim", "the 'user_id' claim is not a UUID",
                                  claim="user_id") from exc
    email = claims["email"]
    if not isinstance(email, str) or "@" not in email:
        raise AuthenticationError("invalid_claim", "the 'email' claim is not an email address",
                                  claim="email")
    return Identity(user_id, email, datetime.fromtimestamp(claims["exp"], UTC))


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

    Compares in constant time. Raises AuthenticationError("invalid_service_key").
    """
    scheme, _, presented = authorization.partition(" ")
    presented_bytes = presented.strip().encode()
    valid = scheme.lower() == "bearer" and bool(presented_bytes) and any(
        hmac.compare_digest(presented_bytes, key.get_secret_value().encode())
        for key in settings.service_keys
    )
    if not valid:
        raise AuthenticationError("invalid_service_key", "a valid service key is required "
                                  "as 'Authorization: Bearer <key>'")
