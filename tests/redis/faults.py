"""What the fault tests share: hubs on a Redis of the test's own, and publishing by text."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
from notifyhub_protocol import new_notification_message

from notifyhub.backends.positions import NO_FLOOR
from tests.support.delivery_count import DeliveryCount
from tests.support.hubs import SERVICE_KEY, RunningHub, hub_settings, serve_in_process
from tests.support.redis_server import unique_prefix

HEALTH_CHECK_SECONDS = 0.3
"""Hubs notice a lost pub/sub connection within a second, and commands time out after 1 s."""


def notification_body(text: str) -> bytes:
    """A notification carrying `text`, encoded as a backend publishes it."""
    message = new_notification_message(title="t", message=text, level="info")
    return message.__pydantic_serializer__.to_json(message)


def no_floor(_: uuid.UUID) -> tuple[str, int]:
    """The floors of a caller that saw no position of any stream."""
    return NO_FLOOR


def fault_settings(redis_url: str, **overrides: Any):
    return hub_settings(**{"backend": "redis", "redis_url": redis_url, "redis_prefix": unique_prefix(),
                           "redis_health_check_seconds": HEALTH_CHECK_SECONDS, **overrides})


@contextlib.asynccontextmanager
async def running_hubs(count: int, settings) -> AsyncIterator[list[RunningHub]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(serve_in_process(settings)) for _ in range(count)]


def notification(user_ids: list[uuid.UUID], text: str) -> dict[str, Any]:
    return {"user_ids": [str(user) for user in user_ids],
            "message": {"type": "notification", "payload": {"title": "t", "message": text, "level": "info"}}}


async def post(base_url: str, body: dict[str, Any], key: str | None = None, timeout: float = 20) -> httpx.Response:
    headers = {"Authorization": f"Bearer {SERVICE_KEY}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout) as http:
        return await http.post("/api/v1/messages", json=body, headers=headers)


async def send(count: DeliveryCount, hub: RunningHub, user_id: uuid.UUID, text: str,
               key: str | None = None) -> int:
    """Publish `text` to the user and record the answer; return its status."""
    response = await post(hub.base_url, notification([user_id], text), key)
    count.answered(text, response.status_code)
    return response.status_code
