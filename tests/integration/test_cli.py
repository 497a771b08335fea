"""The `notifyhub` command as a developer meets it: `make run`'s hub and `token --dev` agree,
`send` finds the hub from the environment, and every failure is one line on stderr, exit code 1."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from notifyhub.cli import DEV_SERVICE_KEY

from tests.support.hubs import (NOTIFYHUB, SERVICE_KEY, RunningHub, connect_client, dev_environment, hub_environment,
                                hub_settings, serve_in_process, serve_subprocess)

NOTE = json.dumps({"title": "Hi", "message": "From the command line", "level": "info"})


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


async def run(*args: str, environment: dict[str, str]) -> Ran:
    process = await asyncio.create_subprocess_exec(str(NOTIFYHUB), *args, env=environment,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    return Ran(process.returncode, stdout.decode(), stderr.decode())


def assert_one_line_error(ran: Ran, *fragments: str) -> None:
    assert ran.code == 1 and ran.stdout == ""
    lines = ran.stderr.splitlines()
    assert len(lines) == 1, ran.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
async def memory_hub() -> AsyncIterator[RunningHub]:
    async with serve_in_process(hub_settings()) as hub:
        yield hub


async def test_make_run_hub_accepts_token_dev_and_send_dev() -> None:
    """With no NOTIFYHUB_* variable, as `make run` starts it, the dev hub accepts a token from
    `notifyhub token --dev`, and `notifyhub send --dev` reaches that user."""
    async with serve_subprocess("--dev", environment=dev_environment()) as hub:
        user_id = uuid.uuid4()
        minted = await run("token", "--dev", "--user-id", str(user_id), "--email", "learner@example.com",
                           environment=dev_environment())
        assert minted.code == 0, minted.stderr
        client = await connect_client(hub.ws_url, minted.stdout.strip())
        established = await client.receive_type("connection_established")
        assert established["payload"]["user_id"] == str(user_id)
        sent = await run("send", "--dev", "--url", hub.base_url, "--user-id", str(user_id),
                         "--type", "notification", "--payload", NOTE, environment=dev_environment())
        assert sent.code == 0, sent.stderr
        frame = await client.receive_type("notification")
        assert frame["id"] == json.loads(sent.stdout)["id"]
        await client.close()
        assert "notifyhub token --dev" in "".join(hub.output)


async def test_token_without_a_secret_says_how_to_get_one() -> None:
    """No NOTIFYHUB_JWT_SECRET and no --dev: one line naming both."""
    ran = await run("token", "--user-id", str(uuid.uuid4()), "--email", "a@example.com",
                    environment=dev_environment())
    assert_one_line_error(ran, "NOTIFYHUB_JWT_SECRET", "--dev")


async def test_send_reads_the_hub_and_key_from_the_environment(memory_hub: RunningHub) -> None:
    """NOTIFYHUB_URL and NOTIFYHUB_SERVICE_KEY stand in for --url and --key."""
    user_id = uuid.uuid4()
    client = await memory_hub.connect(user_id)
    environment = {**hub_environment(), "NOTIFYHUB_URL": memory_hub.base_url, "NOTIFYHUB_SERVICE_KEY": SERVICE_KEY}
    sent = await run("send", "--user-id", str(user_id), "--type", "notification", "--payload", NOTE,
                     environment=environment)
    assert sent.code == 0, sent.stderr
    assert (await client.receive_type("notification"))["payload"]["message"] == "From the command line"


async def test_send_help_shows_its_defaults() -> None:
    """`send --help` names the variables it reads and the URL it uses without them."""
    ran = await run("send", "--help", environment=dev_environment())
    help_text = " ".join(ran.stdout.split())
    assert ran.code == 0
    for expected in ("NOTIFYHUB_URL", "http://127.0.0.1:8080", "NOTIFYHUB_SERVICE_KEY", "--dev"):
        assert expected in help_text


async def test_send_to_an_unreachable_hub_is_one_line() -> None:
    """No hub listening: one line saying so, exit code 1, no traceback."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{unused.getsockname()[1]}"
        ran = await run("send", "--dev", "--url", url, "--broadcast", "--type", "notification", "--payload", NOTE,
                        environment=dev_environment())
    assert_one_line_error(ran, "notifyhub send:", "unreachable")


async def test_a_refused_send_is_one_line_with_the_pointer(memory_hub: RunningHub) -> None:
    """The hub's 422 is one line with the refused field's pointer; a wrong key is one line with 401."""
    payload = json.dumps({"book_id": str(uuid.uuid4()), "total_pages": 3, "processed_pages": 5,
                          "progress": 1.0, "status": "processing"})
    ran = await run("send", "--url", memory_hub.base_url, "--key", SERVICE_KEY, "--user-id", str(uuid.uuid4()),
                    "--type", "ocr_progress", "--payload", payload, environment=dev_environment())
    assert_one_line_error(ran, "422", "/message/payload/processed_pages")
    ran = await run("send", "--url", memory_hub.base_url, "--key", DEV_SERVICE_KEY, "--broadcast",
                    "--type", "notification", "--payload", NOTE, environment=dev_environment())
    assert_one_line_error(ran, "401", "invalid_service_key")


async def test_an_invalid_message_is_named_before_sending() -> None:
    """A payload the schema refuses is one line with its pointer, found before any request."""
    ran = await run("send", "--dev", "--broadcast", "--type", "notification",
                    "--payload", json.dumps({"title": "t", "message": "m", "level": "loud"}),
                    environment=dev_environment())
    assert_one_line_error(ran, "/payload/level")


async def test_serve_on_a_busy_port_is_one_line_without_banner() -> None:
    """The port is bound before the banner: a taken port gives one line and exit code 1."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        ran = await run("serve", "--dev", "--port", port, environment=dev_environment())
    assert_one_line_error(ran, f"127.0.0.1:{port}", "in use")
