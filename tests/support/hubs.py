"""Real hubs on free ports (in this process or as `notifyhub serve`), and `websockets` clients
that check every frame they receive against the schema."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from notifyhub.auth import issue_token
from notifyhub.server import build_server
from notifyhub.settings import Settings
from websockets.asyncio.client import ClientConnection, connect

from tests.support.schemas import validate_server_frame

JWT_SECRET = "integration-secret-integration-secret-0123456789"
SERVICE_KEY = "integration-service-key"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTIFYHUB = PROJECT_ROOT / ".venv" / "bin" / "notifyhub"

SEEN_SERVER_TYPES: set[str] = set()
"""Every `type` any integration test received; the last test checks that none was missed."""


def hub_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"jwt_secret": JWT_SECRET, "service_keys": [SERVICE_KEY], "port": 0}
    values.update(overrides)
    return Settings(**values)


class Client:
    """A `websockets` client whose every received frame is validated against the schema."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.established: dict[str, Any] | None = None

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.connection.recv(), timeout)
        frame = json.loads(raw)
        validate_server_frame(frame)
        SEEN_SERVER_TYPES.add(frame["type"])
        return frame

    async def receive_type(self, message_type: str, timeout: float = 5.0) -> dict[str, Any]:
        frame = await self.receive(timeout)
        assert frame["type"] == message_type, frame
        return frame

    async def send(self, data: str | bytes) -> None:
        await self.connection.send(data)

    async def close(self) -> None:
        await self.connection.close()


async def connect_client(ws_url: str, token: str, since: str | None = None, **options: Any) -> Client:
    url = ws_url if since is None else f"{ws_url}?since={since}"
    connection = await connect(url, subprotocols=["notifyhub.v1", f"bearer.{token}"], open_timeout=5,
                               **options)
    return Client(connection)


@dataclass
class RunningHub:
    """A hub served by uvicorn in this process, on a free port."""

    settings: Settings
    port: int
    server: Any
    clients: list[Client] = field(default_factory=list)

    @property
    def hub(self):
        return self.server.app.state.hub

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/v1/ws"

    def token(self, user_id: uuid.UUID | None = None, ttl: int = 3600) -> str:
        return issue_token(self.settings, user_id or uuid.uuid4(), "learner@example.com", ttl)

    async def connect(self, user_id: uuid.UUID | None = None, *, token: str | None = None,
                      since: str | None = None, established: bool = True, **options: Any) -> Client:
        """Connect with a bearer subprotocol token; by default also read `connection_established`
        (kept as `client.established`)."""
        client = await connect_client(self.ws_url, token or self.token(user_id), since, **options)
        self.clients.append(client)
        if established:
            client.established = await client.receive_type("connection_established")
        return client

    async def publish(self, body: dict[str, Any], key: str = SERVICE_KEY) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.base_url) as http:
            return await http.post("/api/v1/messages", json=body,
                                   headers={"Authorization": f"Bearer {key}"})

    async def get(self, path: str, key: str | None = SERVICE_KEY, headers: dict[str, str] | None = None,
                  **kwargs: Any) -> httpx.Response:
        """GET with a service key (which also opens the operations endpoints), or without (None)."""
        headers = {**({"Authorization": f"Bearer {key}"} if key else {}), **(headers or {})}
        async with httpx.AsyncClient(base_url=self.base_url) as http:
            return await http.get(path, headers=headers, **kwargs)


@contextlib.asynccontextmanager
async def serve_in_process(settings: Settings) -> AsyncIterator[RunningHub]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = build_server(settings, log_level="warning")
    server.config.load()
    server.lifespan = server.config.lifespan_class(server.config)
    await server.startup(sockets=[sock])
    main_loop = asyncio.create_task(server.main_loop())
    running = RunningHub(settings, sock.getsockname()[1], server)
    try:
        yield running
    finally:
        for client in running.clients:
            with contextlib.suppress(Exception):
                await client.close()
        server.should_exit = True
        await main_loop
        await server.shutdown(sockets=[sock])


@dataclass
class HubProcess:
    """`notifyhub serve` in a child process, with its combined output captured."""

    process: asyncio.subprocess.Process
    port: int
    output: list[str]

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/v1/ws"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def hub_environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTIFYHUB_")}
    env.update({"NOTIFYHUB_JWT_SECRET": JWT_SECRET, "NOTIFYHUB_SERVICE_KEYS": SERVICE_KEY,
                "NOTIFYHUB_PORT": "0"})
    env.update({f"NOTIFYHUB_{k.upper()}": v for k, v in settings.items()})
    return env


def dev_environment(**settings: str) -> dict[str, str]:
    """The environment of `make run`: no NOTIFYHUB_* variable but the port (0: a free one)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTIFYHUB_")}
    env.update({"NOTIFYHUB_PORT": "0", **{f"NOTIFYHUB_{k.upper()}": v for k, v in settings.items()}})
    return env


async def _collect(stream: asyncio.StreamReader, output: list[str], ready: asyncio.Future) -> None:
    async for raw in stream:
        line = raw.decode(errors="replace")
        output.append(line)
        match = re.search(r"Uvicorn running on http://[\d.]+:(\d+)", line)
        if match and not ready.done():
            ready.set_result(int(match.group(1)))
    if not ready.done():
        ready.set_exception(RuntimeError("notifyhub exited before listening:\n" + "".join(output)))


@contextlib.asynccontextmanager
async def serve_subprocess(*args: str, command: Path = NOTIFYHUB, environment: dict[str, str] | None = None,
                           **settings: str) -> AsyncIterator[HubProcess]:
    """`command serve *args` (this checkout's `notifyhub` by default) in `environment`, or with
    the test secrets and these settings."""
    process = await asyncio.create_subprocess_exec(
        str(command), "serve", *args, env=environment or hub_environment(**settings),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[str] = []
    ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    reader = asyncio.create_task(_collect(process.stdout, output, ready))
    try:
        port = await asyncio.wait_for(ready, 20)
        yield HubProcess(process, port, output)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        await reader


async def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for state the hub changes on its own after an event the test cannot await."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)
