"""Fixtures shared by every kind of test: hubs on both backends, and Redis."""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from tests.support.hubs import RunningHub, hub_settings, serve_in_process
from tests.support.redis_server import (
    SHARED_URL,
    answers,
    delete_prefix,
    own_redis,
    redis_required,
    started_redis,
    unique_prefix,
)

BACKENDS = ["memory", "redis"]

HubFactory = Callable[..., Awaitable[RunningHub]]


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A reachable Redis: the machine's, or one started for this session."""
    if answers(SHARED_URL):
        yield SHARED_URL
        return
    try:
        with started_redis() as server:
            yield server.url
    except FileNotFoundError as exc:
        if redis_required():
            pytest.fail(f"NOTIFYHUB_REQUIRE_REDIS=1 but no Redis is reachable: {exc}")
        pytest.skip(f"REDIS TESTS SKIPPED: no Redis at {SHARED_URL} and {exc}")


@pytest.fixture
def private_redis():
    """A redis-server of this test alone, on a free port, which the test may stop and start."""
    with own_redis() as server:
        yield server


@pytest.fixture
def redis_settings(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """Settings for the Redis backend under a prefix no other test uses; its keys are deleted after."""
    url = request.getfixturevalue("redis_url")
    prefix = unique_prefix()
    # The health check also sets the hub's Redis timeout: 2 s rides out a busy machine, and no
    # test of this shared suite waits for an outage to be noticed (tests/redis/ do, with their own).
    yield {"backend": "redis", "redis_url": url, "redis_prefix": prefix, "redis_health_check_seconds": 2.0}
    delete_prefix(url, prefix)


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Each test that uses a hub runs once per backend, so the two cannot drift apart."""
    if request.param == "memory":
        return {"backend": "memory"}
    return request.getfixturevalue("redis_settings")


@pytest.fixture
async def start_hub(backend_settings: dict[str, Any]) -> AsyncIterator[HubFactory]:
    """Start hubs (sharing one backend configuration) with setting overrides; all stop after the test."""
    async with contextlib.AsyncExitStack() as stack:
        async def start(**overrides: Any) -> RunningHub:
            settings = hub_settings(**{**backend_settings, **overrides})
            return await stack.enter_async_context(serve_in_process(settings))
        yield start


@pytest.fixture
async def hub(start_hub: HubFactory) -> RunningHub:
    """A hub with default settings."""
    return await start_hub()


STALL_REPORT_SECONDS = 90
"""A test still running after this long (the per-test timeout is 120 s) prints where every
asyncio task waits, so that a stall is reported with its cause rather than only as a timeout."""


@pytest.fixture(autouse=True)
async def report_stalled_tasks(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    loop = asyncio.get_running_loop()

    def report() -> None:
        text = io.StringIO()
        for task in asyncio.all_tasks(loop):
            task.print_stack(file=text)
        print(f"{request.node.nodeid} still running after {STALL_REPORT_SECONDS} s; its tasks:\n"
              f"{text.getvalue()}", file=sys.stderr)

    handle = loop.call_later(STALL_REPORT_SECONDS, report)
    yield
    handle.cancel()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the every-type check after every test that receives frames."""
    last = [item for item in items if item.name == "test_every_server_type_was_seen"]
    items[:] = [item for item in items if item not in last] + last
