"""What both clients share: where the hub is, the service key, timeouts, and request headers."""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx

URL_VARIABLE = "NOTIFYHUB_URL"
SERVICE_KEY_VARIABLE = "NOTIFYHUB_SERVICE_KEY"
DEFAULT_URL = "http://127.0.0.1:8080"
"""The hub `make run` and `notifyhub serve` start, when NOTIFYHUB_URL is not set."""
CONNECT_TIMEOUT_SECONDS = 3.0
"""Longest wait for a TCP connection to the hub: a loopback or LAN peer answers in milliseconds."""
REQUEST_TIMEOUT_SECONDS = 10.0
"""Longest wait for each of writing the request and reading the answer. The hub answers once the
message is stored (with Redis, after a round trip or a few retries), well within this."""
DEFAULT_TIMEOUT = httpx.Timeout(REQUEST_TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS)


@dataclass(frozen=True, slots=True)
class HubAddress:
    """A hub's base URL and the service key to present."""

    url: str
    service_key: str

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ValueError(f"the hub's URL starts with http:// or https://, not {self.url!r}")
        if not self.service_key:
            raise ValueError(f"a service key is needed (the hub's NOTIFYHUB_SERVICE_KEYS; "
                             f"{SERVICE_KEY_VARIABLE} for from_env)")

    @classmethod
    def from_env(cls) -> HubAddress:
        """NOTIFYHUB_URL (default DEFAULT_URL) and NOTIFYHUB_SERVICE_KEY. Raises ValueError."""
        return cls(os.environ.get(URL_VARIABLE) or DEFAULT_URL, os.environ.get(SERVICE_KEY_VARIABLE, ""))

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")

    def headers(self, idempotency_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.service_key}", "Content-Type": "application/json",
                "Idempotency-Key": idempotency_key}
