"""The `notifyhub` command as a process: shutdown, logs, and the token and send commands."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid

import httpx
import jwt
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.support.hubs import JWT_SECRET, NOTIFYHUB, SERVICE_KEY, Client, hub_environment, serve_subprocess


async def run_cli(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        str(NOTIFYHUB), *args, env=hub_environment(), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode, output.decode()


async def cli_token(user_id: uuid.UUID) -> str:
    code, output = await run_cli("token", "--user-id", str(user_id), "--email", "learner@example.com")
    assert code == 0, output
    return output.strip()


async def test_token_command_prints_a_token_the_hub_accepts() -> None:
    """`notifyhub token` signs a token with the configured secret and claims."""
    user_id = uuid.uuid4()
    claims = jwt.decode(await cli_token(user_id), JWT_SECRET, algorithms=["HS256"])
    assert claims["user_id"] == str(user_id) and claims["email"] == "learner@example.com"
    assert claims["exp"] > claims["iat"]


async def test_send_command_reaches_a_connected_client() -> None:
    """`notifyhub send` posts through the service API and the user's client receives it."""
    async with serve_subprocess() as hub:
        user_id = uuid.uuid4()
        async with connect(f"{hub.ws_url}?token={await cli_token(user_id)}") as ws:
            client = Client(ws)
            await client.receive_type("connection_established")
            code, output = await run_cli(
                "send", "--url", f"http://127.0.0.1:{hub.port}", "--key", SERVICE_KEY,
                "--user-id", str(user_id), "--type", "notification",
                "--payload", json.dumps({"title": "Hi", "message": "From the CLI", "level": "info"}))
            assert code == 0, output
            assert json.loads(output)["connections"] == 1
            frame = await client.receive_type("notification")
            assert frame["payload"]["message"] == "From the CLI"


async def test_sigterm_flushes_and_closes_clients_with_1012() -> None:
    """On SIGTERM every client gets what was queued, then close code 1012 (service restart)."""
    async with serve_subprocess() as hub:
        user_id = uuid.uuid4()
        async with connect(f"{hub.ws_url}?token={await cli_token(user_id)}") as ws:
            client = Client(ws)
            await client.receive_type("connection_established")
            hub.process.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed):
                await client.receive(timeout=10)
            assert ws.close_code == 1012
        # uvicorn re-raises the signal once it has shut down cleanly.
        assert await asyncio.wait_for(hub.process.wait(), 15) in (0, -signal.SIGTERM)
        assert "Finished server process" in "".join(hub.output)


async def _open_and_close_connections(count: int, *args: str) -> str:
    """The whole output of a hub run with args that saw `count` connections open and close."""
    async with serve_subprocess(*args) as hub:
        for _ in range(count):
            async with connect(f"{hub.ws_url}?token={_token(uuid.uuid4())}") as ws:
                await Client(ws).receive_type("connection_established")
        hub.process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(hub.process.wait(), 15)
    return "".join(hub.output)


def _token(user_id: uuid.UUID) -> str:
    claims = {"user_id": str(user_id), "email": "learner@example.com", "exp": int(time.time()) + 600}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


async def test_connections_write_no_line_each_at_the_default_log_level() -> None:
    """At INFO a busy hub's log is not one line per connection opened or closed; at DEBUG it is."""
    quiet = await _open_and_close_connections(3)
    assert "connection open" not in quiet and "connection closed" not in quiet
    assert "Finished server process" in quiet
    verbose = await _open_and_close_connections(3, "--log-level", "debug")
    assert verbose.count("connection open") == 3


async def test_query_token_never_reaches_the_logs() -> None:
    """A token passed as ?token= is redacted from every log line, even at trace level."""
    async with serve_subprocess("--log-level", "trace", "--access-log") as hub:
        user_id = uuid.uuid4()
        token = await cli_token(user_id)
        async with connect(f"{hub.ws_url}?token={token}") as ws:
            await Client(ws).receive_type("connection_established")
        bad = token[:-4] + "AAAA"
        with pytest.raises(Exception):
            async with connect(f"{hub.ws_url}?token={bad}"):
                pass
        async with httpx.AsyncClient() as http:
            await http.get(f"http://127.0.0.1:{hub.port}/api/v1/ws/auth-check", params={"token": token})
    log = "".join(hub.output)
    assert "WebSocket /api/v1/ws?token=[REDACTED]" in log
    signature = token.rsplit(".", 1)[1]
    assert token not in log and signature not in log and bad.rsplit(".", 1)[1] not in log


async def test_compression_bomb_is_closed_with_1009_without_inflating_it() -> None:
    """With compression on, a tiny frame that inflates past the limit is closed with 1009
    and the hub's memory grows by less than 50 MB."""
    async with serve_subprocess(permessage_deflate="true") as hub:
        token = await cli_token(uuid.uuid4())
        peak_before = _peak_rss(hub.process.pid)
        async with connect(f"{hub.ws_url}?token={token}", compression="deflate", max_size=None) as ws:
            assert ws.protocol.extensions, "permessage-deflate was not negotiated"
            await Client(ws).receive_type("connection_established")
            await ws.send(b"0" * (200 * 1024 * 1024))
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 1009
        assert _peak_rss(hub.process.pid) - peak_before < 50 * 1024 * 1024


def _peak_rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")
