"""The hub's VAPID identity (RFC 8292): its key, its public key as browsers take it, and the
`Authorization` header that signs a push for one push service. No I/O."""

from __future__ import annotations

import base64
import time
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid, VapidException

VAPID_TOKEN_LIFETIME_SECONDS = 12 * 3600
"""How long a signed VAPID token is valid: RFC 8292 allows at most 24 hours; half of that leaves
room for a push service whose clock runs ahead."""


class InvalidVapidKeyError(ValueError):
    """NOTIFYHUB_VAPID_PRIVATE_KEY (or its subject) is not something a push can be signed with."""


def b64url(data: bytes) -> str:
    """Unpadded base64url, as Web Push writes keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def load_vapid_key(text: str) -> Vapid:
    """The key of a PEM (`-----BEGIN ... PRIVATE KEY-----`), or of base64url text holding the raw
    32-byte private value or a DER key. Raises InvalidVapidKeyError, never py-vapid's own errors,
    and never repeats the key in its message."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            vapid = Vapid.from_pem(text.encode("ascii"))
        else:
            vapid = Vapid.from_string(text)
    except Exception as exc:  # binascii, ValueError, UnsupportedAlgorithm...: all mean "not a key"
        raise InvalidVapidKeyError("vapid_private_key is neither a PEM nor base64url of a raw or DER "
                                   "P-256 private key") from exc
    if not isinstance(vapid.private_key.curve, ec.SECP256R1):
        raise InvalidVapidKeyError("vapid_private_key must be a P-256 (prime256v1) key")
    return vapid


def check_vapid(key_text: str, subject: str) -> None:
    """Raise InvalidVapidKeyError unless a push can be signed with this key and subject (py-vapid
    checks the subject's shape only when it signs)."""
    try:
        VapidSigner(load_vapid_key(key_text), subject).authorization("https://push.example.com/x", time.time())
    except VapidException as exc:
        raise InvalidVapidKeyError(f"vapid_subject is not accepted by py-vapid: {exc}") from None


def generate_vapid_key() -> tuple[str, str]:
    """A new key pair: (the raw private key, the public key), both base64url: one line each, as an
    environment variable holds them best."""
    vapid = Vapid()
    vapid.generate_keys()
    raw = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return b64url(raw), public_key_text(vapid)


def public_key_text(vapid: Vapid) -> str:
    """The public key as `PushManager.subscribe({applicationServerKey})` takes it: the uncompressed
    P-256 point (65 bytes, starting 0x04), base64url without padding."""
    point = vapid.public_key.public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
    return b64url(point)


class VapidSigner:
    """Signs the `Authorization: vapid t=<jwt>, k=<public key>` header of each push."""

    def __init__(self, vapid: Vapid, subject: str) -> None:
        self._vapid = vapid
        self._subject = subject
        self.public_key = public_key_text(vapid)

    def authorization(self, endpoint: str, now: float) -> str:
        """The header for a push to endpoint: `aud` is the endpoint's origin, `exp` twelve hours
        ahead. Raises VapidException for a subject py-vapid does not accept."""
        parts = urlsplit(endpoint)
        claims = {"aud": f"{parts.scheme}://{parts.netloc}", "sub": self._subject,
                  "exp": int(now) + VAPID_TOKEN_LIFETIME_SECONDS}
        return self._vapid.sign(claims)["Authorization"]
