"""Redis for tests: the machine's server when it answers, else one started from PATH.

Tests that stop Redis always start their own server on a free port, never touching a shared one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import redis

SHARED_URL = os.environ.get("NOTIFYHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_required() -> bool:
    return os.environ.get("NOTIFYHUB_REQUIRE_REDIS") == "1"


def answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RedisProcess:
    """A redis-server this test session started; it can be stopped and started again on its port."""

    port: int
    directory: str
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not answers(self.url):  # redis-server has no readiness signal but its port
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def started_redis() -> Iterator[RedisProcess]:
    if shutil.which("redis-server") is None:
        raise FileNotFoundError("redis-server is not on PATH")
    with tempfile.TemporaryDirectory(prefix="notifyhub-redis-") as directory:
        server = RedisProcess(free_port(), directory)
        server.start()
        try:
            yield server
        finally:
            server.stop()


def unique_prefix() -> str:
    return f"notifyhub-test-{uuid.uuid4().hex[:12]}"


def delete_prefix(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()
