"""`AsyncHubClient`: the service API from asyncio code, over one pooled HTTP connection."""

from __future__ import annotations

import asyncio
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


class AsyncHubClient:
    """`HubClient`'s asyncio twin: the same methods, awaited, with the same retries and errors.

    Concurrent sends from several tasks share the connection pool. Cancelling a send is safe,
    but the hub may already have the message: send it again with the same `idempotency_key`
    to be sure it is delivered once.
    """

    def __init__(self, url: str, service_key: str, *, timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
                 retry: RetryPolicy = RetryPolicy(), transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.address = HubAddress(url, service_key)
        self.retry = retry
        self._http = httpx.AsyncClient(base_url=self.address.base_url, timeout=timeout, transport=transport)

    @classmethod
    def from_env(cls, **options: Any) -> AsyncHubClient:
        """A client for NOTIFYHUB_URL with NOTIFYHUB_SERVICE_KEY. Raises ValueError."""
        address = HubAddress.from_env()
        return cls(address.url, address.service_key, **options)

    async def send(self, user_ids: Iterable[UUID | str], draft: OutgoingMessage, *,
                   idempotency_key: str | None = None) -> Sent:
        """Send `draft` to these users (their open connections now, the others from history)."""
        return Sent.of(await self._publish(MESSAGES_PATH, publish_body(user_ids, draft), idempotency_key))

    async def broadcast(self, draft: OutgoingMessage, *, idempotency_key: str | None = None) -> Sent:
        """Send `draft` to every open connection (not kept for users who are offline)."""
        return Sent.of(await self._publish(MESSAGES_PATH, broadcast_body(draft), idempotency_key))

    async def send_batch(self, items: Iterable[BatchItem], *, idempotency_key: str | None = None) -> list[Sent]:
        """Send several publishes in one request, delivered in order; one result each."""
        body = await self._publish(BATCH_PATH, batch_body(items), idempotency_key)
        return [Sent.of(result) for result in body["results"]]

    async def _publish(self, path: str, body: bytes, key: str | None) -> dict[str, Any]:
        key = idempotency_key(key)
        attempts = Attempts(self.retry, key)
        while True:
            outcome = await self._attempt(path, body, key)
            if not isinstance(outcome, Failure):
                return outcome
            await asyncio.sleep(attempts.wait_after(outcome))

    async def _attempt(self, path: str, body: bytes, key: str) -> dict[str, Any] | Failure:
        try:
            response = await self._http.post(path, content=body, headers=self.address.headers(key))
        except httpx.TransportError as exc:
            return transport_failure(exc)
        return judge(response.status_code, response.headers, response.content)

    async def aclose(self) -> None:
        """Close the pooled connection."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncHubClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: TracebackType | None) -> None:
        await self.aclose()
