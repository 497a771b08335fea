"""Both service clients behind one awaitable call, so that every test runs against each."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from notifyhub.client import AsyncHubClient, HubClient, RetryPolicy

from tests.support.hubs import SERVICE_KEY

QUICK_RETRIES = RetryPolicy(first_delay_seconds=0.01, max_delay_seconds=0.05)
"""The default attempts, with waits short enough for a test."""


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest):
    """`await call(url, "send", user_ids, draft, retry=...)`: one call of HubClient (in a thread,
    since the hub runs on the test's loop) or of AsyncHubClient."""

    async def run(url: str, method: str, *args: Any, retry: RetryPolicy = QUICK_RETRIES, key: str = SERVICE_KEY,
                  **kwargs: Any) -> Any:
        if request.param == "async":
            async with AsyncHubClient(url, key, retry=retry) as client:
                return await getattr(client, method)(*args, **kwargs)

        def blocking() -> Any:
            with HubClient(url, key, retry=retry) as client:
                return getattr(client, method)(*args, **kwargs)

        return await asyncio.to_thread(blocking)

    return run
