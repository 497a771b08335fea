"""Starting and stopping the processes the harness measures: servers (hubs, peers) and redis-server.

Every process gets a deadline to become ready and to stop; a server is ready once it printed its
ports and answers a TCP request on them.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

READY_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
HOST = "127.0.0.1"

PEER_READY = re.compile(rb"listening ws=(\d+) http=(\d+)(?: ws_path=(\S+))?")
"""A peer's ready line; `ws_path` when its WebSocket is not at /api/v1/ws (python-socketio)."""
WS_PATH = "/api/v1/ws"
UVICORN_READY = re.compile(rb"Uvicorn running on http://127\.0\.0\.1:(\d+)")


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    ws_port: int
    http_port: int
    ws_path: str = WS_PATH

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.ws_port}{self.ws_path}"

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self.http_port}"


def pinned_to(cpus: set[int] | None):
    """A preexec_fn that pins the child to cpus (None: leave it to the scheduler)."""
    if not cpus or len(os.sched_getaffinity(0)) < 2:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


@contextlib.contextmanager
def running_server(name: str, command: list[str], env: dict[str, str], log_path: Path,
                   cpus: set[int] | None = None) -> Iterator[Server]:
    """Run command until the block ends; it must print a ready line (peer or uvicorn) to its output."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, preexec_fn=pinned_to(cpus), cwd=project_root())
        try:
            ws_port, http_port, ws_path = _wait_for_ports(process, log_path)
            server = Server(name, process, ws_port, http_port, ws_path)
            for port in {ws_port, http_port}:
                _wait_for_answer(port)
            yield server
        finally:
            stop(process)


def _wait_for_ports(process: subprocess.Popen, log_path: Path) -> tuple[int, int, str]:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        output = log_path.read_bytes()
        if match := PEER_READY.search(output):
            return int(match[1]), int(match[2]), (match[3] or WS_PATH.encode()).decode()
        if match := UVICORN_READY.search(output):
            return int(match[1]), int(match[1]), WS_PATH
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{output.decode(errors='replace')}")
        time.sleep(0.05)
    raise TimeoutError(f"no ready line in {log_path} within {READY_TIMEOUT_SECONDS} s")


def _wait_for_answer(port: int) -> None:
    """Wait until something on port answers a plain HTTP request (any status will do)."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            if sock.recv(1):
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing answers on port {port}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it is still there after the stop timeout."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_redis(log_path: Path, cpus: set[int] | None = None, options: tuple[str, ...] = ()
                  ) -> Iterator[tuple[str, int]]:
    """A redis-server of the harness's own on a free loopback port: (url, pid). Nothing is persisted.
    `options` are more redis-server arguments (a cluster node's, say)."""
    import redis

    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", HOST, "--save", "",
                                    "--appendonly", "no", *options], stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, preexec_fn=pinned_to(cpus))
        try:
            url = f"redis://{HOST}:{port}/0"
            _wait_for_redis(redis.Redis.from_url(url), process)
            yield url, process.pid
        finally:
            stop(process)


def _wait_for_redis(client, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if client.ping():
                return
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {process.returncode}")
        time.sleep(0.05)
    raise TimeoutError("redis-server did not answer PING")


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
