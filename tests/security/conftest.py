"""Hubs for the security tests: `notifyhub serve` child processes, so that what an attack costs
the hub (memory, time) is measured in the hub's own process, apart from the attacking test."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import jwt
import pytest
from notifyhub.auth import issue_token

from tests.support.hubs import JWT_SECRET, HubProcess, hub_settings, serve_subprocess

HubStarter = Callable[..., Awaitable[HubProcess]]


@pytest.fixture
async def start_process_hub() -> AsyncIterator[HubStarter]:
    """Start `notifyhub serve` (memory backend) with NOTIFYHUB_* overrides; all stop after the test."""
    async with contextlib.AsyncExitStack() as stack:
        async def start(*args: str, **settings: object) -> HubProcess:
            return await stack.enter_async_context(
                serve_subprocess(*args, **{name: str(value) for name, value in settings.items()}))
        yield start


def token(user_id: uuid.UUID | None = None, ttl: int = 3600) -> str:
    """A valid token for the hubs these tests start."""
    return issue_token(hub_settings(), user_id or uuid.uuid4(), "learner@example.com", ttl)


def expiring_token(seconds: float) -> str:
    """A valid token that expires `seconds` from now, to the fraction of a second (`issue_token`
    rounds `exp` down to a whole second, so its lifetime varies by up to a second)."""
    now = time.time()
    claims = {"user_id": str(uuid.uuid4()), "email": "learner@example.com", "iat": int(now), "exp": now + seconds}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")
