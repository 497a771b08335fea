"""`HubClient`: the service API from blocking code, over one pooled HTTP connection."""

from __future__ import annotations

import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any
from uuid import UUID

import httpx
from notifyhub_protocol import OutgoingMessage

from .connection import DEFAULT_TIMEOUT, HubAddress
from .requests import (BATCH_PATH, MESSAGES_PATH, BatchItem, Failure, Sent, batch_body, broadcast_body,
                       idempotency_key, judge, publish_body, transport_failure)
from .retry import Attempts, RetryPolicy


class HubClient:
    """Sends drafts through a hub's service API (`POST /api/v1/messages`, `/batch`).

    Every publish carries an `Idempotency-Key` (a new UUID unless one is given) and is retried
    with the same key and the same bytes after a 503, a 504, a connection error or a timeout,
    as `retry` allows: a retry never delivers a message twice. Raises HubRefusedError when the
    hub refuses (422 with the failing fields' pointers, 401, ...), HubUnavailableError when the
    attempts run out. A call blocks for its retries too: at most `retry.total_seconds` plus one
    attempt's timeout.
    """

    def __init__(self, url: str, service_key: str, *, timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
                 retry: RetryPolicy = RetryPolicy(), transport: httpx.BaseTransport | None = None) -> None:
        self.address = HubAddress(url, service_key)
        self.retry = retry
        self._http = httpx.Client(base_url=self.address.base_url, timeout=timeout, transport=transport)

    @classmethod
    def from_env(cls, **options: Any) -> HubClient:
        """A client for NOTIFYHUB_URL with NOTIFYHUB_SERVICE_KEY. Raises ValueError."""
        address = HubAddress.from_env()
        return cls(address.url, address.service_key, **options)

    def send(self, user_ids: Iterable[UUID | str], draft: OutgoingMessage, *,
             idempotency_key: str | None = None) -> Sent:
        """Send `draft` to these users (their open connections now, the others from history)."""
        return Sent.of(self._publish(MESSAGES_PATH, publish_body(user_ids, draft), idempotency_key))

    def broadcast(self, draft: OutgoingMessage, *, idempotency_key: str | None = None) -> Sent:
        """Send `draft` to every open connection (not kept for users who are offline)."""
        return Sent.of(self._publish(MESSAGES_PATH, broadcast_body(draft), idempotency_key))

    def send_batch(self, items: Iterable[BatchItem], *, idempotency_key: str | None = None) -> list[Sent]:
        """Send several publishes in one request, delivered in order; one result each."""
        body = self._publish(BATCH_PATH, batch_body(items), idempotency_key)
        return [Sent.of(result) for result in body["results"]]

    def _publish(self, path: str, body: bytes, key: str | None) -> dict[str, Any]:
        key = idempotency_key(key)
        attempts = Attempts(self.retry, key)
        while True:
            outcome = self._attempt(path, body, key)
            if not isinstance(outcome, Failure):
                return outcome
            time.sleep(attempts.wait_after(outcome))

    def _attempt(self, path: str, body: bytes, key: str) -> dict[str, Any] | Failure:
        try:
            response = self._http.post(path, content=body, headers=self.address.headers(key))
        except httpx.TransportError as exc:
            return transport_failure(exc)
        return judge(response.status_code, response.headers, response.content)

    def close(self) -> None:
        """Close the pooled connection."""
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
