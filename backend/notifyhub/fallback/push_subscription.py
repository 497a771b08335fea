"""A browser's push subscription: what `PushSubscription.toJSON()` sends, checked field by field
(the endpoint against the SSRF guard), and the form it is stored in. No I/O.

An endpoint is a URL the hub will POST to, given by any signed-in user, so by default it must be
`https` on a host that is a name or a public IP address: an IP literal in a private, loopback,
link-local or otherwise non-global range, and `localhost`, are refused. Names are not resolved
here (a name can resolve differently at send time anyway); keep the hub's egress away from
internal networks too. NOTIFYHUB_PUSH_ALLOW_INSECURE_ENDPOINTS lifts the guard, for tests.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
import time
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from ..errors import InvalidMessageError
from ..frames import pointer_errors

P256DH_BYTES = 65
"""An uncompressed P-256 point: 0x04, then x and y of 32 bytes each (RFC 8291 section 3.1)."""
AUTH_SECRET_BYTES = 16
"""The authentication secret a browser makes per subscription (RFC 8291 section 3.2)."""
MAX_ENDPOINT_CHARS = 2048
"""Longer than any push service's endpoint (they run to 200-500 characters)."""
ALLOW_INSECURE = "allow_insecure"
"""The validation context's key: NOTIFYHUB_PUSH_ALLOW_INSECURE_ENDPOINTS."""


def _decoded(text: str) -> bytes:
    """base64url, padded or not; raises ValueError."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def endpoint_problem(endpoint: str, allow_insecure: bool) -> str | None:
    """Why the hub will not POST to endpoint, or None when it will."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("https", "http") or not host:
        return "must be an https URL with a host"
    if parts.username is not None or parts.password is not None:
        return "must not carry credentials"
    if allow_insecure:
        return None
    if parts.scheme != "https":
        return "must be an https URL"
    if host == "localhost" or host.endswith(".localhost"):
        return "must not be a loopback host"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name
    if not address.is_global or address.is_multicast:
        return "must not be a private, loopback or link-local address"
    return None


class SubscriptionKeys(BaseModel):
    """`keys` of a subscription: the browser's ECDH public key and its authentication secret."""

    model_config = ConfigDict(extra="ignore")

    p256dh: Annotated[str, Field(description="base64url of the browser's P-256 public key, uncompressed (65 bytes).",
                                 max_length=128)]
    auth: Annotated[str, Field(description="base64url of the 16-byte authentication secret.", max_length=64)]

    @field_validator("p256dh")
    @classmethod
    def _point(cls, value: str) -> str:
        raw = _decoded(value)
        if len(raw) != P256DH_BYTES or raw[0] != 0x04:
            raise ValueError(f"must be base64url of an uncompressed P-256 point ({P256DH_BYTES} bytes, 0x04 first)")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError as exc:
            raise ValueError("is not a point on P-256") from exc
        return value.rstrip("=")

    @field_validator("auth")
    @classmethod
    def _secret(cls, value: str) -> str:
        if len(_decoded(value)) != AUTH_SECRET_BYTES:
            raise ValueError(f"must be base64url of {AUTH_SECRET_BYTES} bytes")
        return value.rstrip("=")


class PushSubscriptionRequest(BaseModel):
    """Body of `POST /api/v1/push/subscriptions`: a browser's `PushSubscription.toJSON()`. Members
    other than these (a browser may add some) are ignored."""

    model_config = ConfigDict(extra="ignore")

    endpoint: Annotated[str, Field(min_length=1, max_length=MAX_ENDPOINT_CHARS,
                                   description="The push service's URL for this subscription (https).")]
    expirationTime: Annotated[float | None, Field(  # noqa: N815 - the browser's name
        default=None, ge=0, description="When the subscription ends, in milliseconds since the epoch; null: never.")]
    keys: SubscriptionKeys

    @field_validator("endpoint")
    @classmethod
    def _guarded(cls, value: str, info: ValidationInfo) -> str:
        problem = endpoint_problem(value, bool((info.context or {}).get(ALLOW_INSECURE)))
        if problem is not None:
            raise ValueError(problem)
        return value


class PushUnsubscribeRequest(BaseModel):
    """Body of `DELETE /api/v1/push/subscriptions`: the endpoint of the subscription to remove."""

    model_config = ConfigDict(extra="ignore")

    endpoint: Annotated[str, Field(min_length=1, max_length=MAX_ENDPOINT_CHARS)]


def subscription_id(endpoint: str) -> str:
    """A subscription's id: derived from its endpoint, so the same endpoint has the same id on
    every hub and after a restart (22 base64url characters)."""
    return base64.urlsafe_b64encode(hashlib.sha256(endpoint.encode()).digest()[:16]).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class PushSubscription:
    """One stored subscription of a user."""

    endpoint: str
    p256dh: str
    auth: str
    expiration_ms: float | None = None

    @property
    def id(self) -> str:
        return subscription_id(self.endpoint)

    def expired(self, now: float | None = None) -> bool:
        """Whether its `expirationTime` has passed (now in seconds since the epoch)."""
        return self.expiration_ms is not None and self.expiration_ms / 1000 <= (time.time() if now is None else now)

    def info(self) -> dict[str, Any]:
        """The subscription as pywebpush takes it (`PushSubscription.toJSON()`'s shape)."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}

    def stored(self) -> str:
        return json.dumps({**self.info(), "expirationTime": self.expiration_ms}, separators=(",", ":"))

    @classmethod
    def from_stored(cls, text: str | bytes) -> PushSubscription:
        document = json.loads(text)
        return cls(document["endpoint"], document["keys"]["p256dh"], document["keys"]["auth"],
                   document.get("expirationTime"))


def parse_subscription(body: bytes, allow_insecure: bool, now: float | None = None) -> PushSubscription:
    """Validate a subscription body. Raises InvalidMessageError naming each failing field by JSON
    pointer (`/endpoint`, `/keys/p256dh`...), including an `expirationTime` already past."""
    try:
        request = PushSubscriptionRequest.model_validate_json(body, strict=True, context={ALLOW_INSECURE: allow_insecure})
    except ValidationError as exc:
        raise InvalidMessageError(pointer_errors(exc, None)) from exc
    subscription = PushSubscription(request.endpoint, request.keys.p256dh, request.keys.auth, request.expirationTime)
    if subscription.expired(now):
        raise InvalidMessageError([{"pointer": "/expirationTime", "type": "expired",
                                    "message": "the subscription has already expired"}])
    return subscription


def parse_unsubscribe(body: bytes) -> str:
    """The endpoint of an unsubscribe body. Raises InvalidMessageError."""
    try:
        return PushUnsubscribeRequest.model_validate_json(body, strict=True).endpoint
    except ValidationError as exc:
        raise InvalidMessageError(pointer_errors(exc, None)) from exc
