"""Redis for tests: the machine's server when it answers, else one started from PATH.

Tests that stop Redis always start their own server on a free port, never touching a shared one.
Such a server can be killed, paused (SIGSTOP), started again with or without its append-only
file, and have that file rolled back to an earlier copy, as a crashed host would leave it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
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


AOF_DIRECTORY = "appendonlydir"


@dataclass
class RedisProcess:
    """A redis-server this test session started; it can be stopped and started again on its port.

    `options` are extra `redis-server` arguments, such as ("--appendonly", "yes")."""

    port: int
    directory: str
    process: subprocess.Popen | None = None
    options: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.directory, *self.options],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not answers(self.url):  # redis-server has no readiness signal but its port
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Kill it (SIGKILL, as a crash): what it had not written to disk is lost."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def shut_down(self) -> None:
        """Stop it cleanly: it writes its append-only file out first."""
        client = redis.Redis.from_url(self.url)
        with contextlib.suppress(redis.ConnectionError):
            client.shutdown()
        client.close()
        self.process.wait(10)

    def pause(self) -> None:
        """SIGSTOP: connections stay open, nothing is answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def copy_append_only_file(self) -> str:
        """A copy of the append-only file as it is on disk now (call while nothing writes)."""
        copy = tempfile.mkdtemp(prefix="aof-", dir=self.directory)
        shutil.copytree(os.path.join(self.directory, AOF_DIRECTORY), os.path.join(copy, AOF_DIRECTORY))
        return copy

    def restore_append_only_file(self, copy: str) -> None:
        """Put an earlier copy back (the server must be stopped): its later writes are lost."""
        shutil.rmtree(os.path.join(self.directory, AOF_DIRECTORY))
        shutil.copytree(os.path.join(copy, AOF_DIRECTORY), os.path.join(self.directory, AOF_DIRECTORY))


@contextlib.contextmanager
def started_redis(*options: str) -> Iterator[RedisProcess]:
    if shutil.which("redis-server") is None:
        raise FileNotFoundError("redis-server is not on PATH")
    with tempfile.TemporaryDirectory(prefix="notifyhub-redis-") as directory:
        server = RedisProcess(free_port(), directory, options=options)
        server.start()
        try:
            yield server
        finally:
            if server.process is not None and server.process.poll() is None:
                server.resume()
            server.stop()


def unique_prefix() -> str:
    return f"notifyhub-test-{uuid.uuid4().hex[:12]}"


def delete_prefix(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@contextlib.contextmanager
def own_redis(*options: str) -> Iterator[RedisProcess]:
    """A redis-server of the caller alone, with these options; the test is skipped when none can
    be started (failed under NOTIFYHUB_REQUIRE_REDIS=1)."""
    import pytest

    try:
        with started_redis(*options) as server:
            yield server
    except FileNotFoundError as exc:
        if redis_required():
            pytest.fail(f"NOTIFYHUB_REQUIRE_REDIS=1 but {exc}")
        pytest.skip(f"REDIS TESTS SKIPPED: {exc}")
