"""The wheel, installed outside the checkout as a user installs it: the base distribution sends
without the hub's libraries, and `notifyhub[server]` runs a hub a real client receives from.

Slow by nature (two virtualenvs, ~30 packages); pip's cache and the dev environment's versions
as constraints keep it to seconds once the cache holds them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
import zipfile
from importlib import metadata
from pathlib import Path

import httpx
import pytest

from tests.support.hubs import PROJECT_ROOT, connect_client, dev_environment, serve_subprocess

pytestmark = pytest.mark.timeout(600)

SERVER_ONLY = ("fastapi", "starlette", "uvicorn", "redis", "prometheus_client", "httptools")
"""What a service that only sends must not get: the hub's libraries."""
SOURCES = ("pyproject.toml", "README.md", "backend", "generated/python")
"""What the build reads; copied so that the build writes nothing into the checkout."""
PACKAGE_ROOTS = {"notifyhub": PROJECT_ROOT / "backend" / "notifyhub",
                 "notifyhub_protocol": PROJECT_ROOT / "generated" / "python" / "notifyhub_protocol"}


def run(*command: str | Path, **options) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, **options)
    if options.get("check", True) and result.returncode != 0:
        raise AssertionError(f"{command} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def pip_install(venv: Path, requirement: str, constraints: Path) -> None:
    """Install into `venv` with this environment's pip (the venv has none: it stays small and
    quick to make), picking the versions the dev environment was tested with."""
    run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet",
        "--disable-pip-version-check", "-c", constraints, requirement)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("packaging")


@pytest.fixture(scope="module")
def wheel(workdir: Path) -> Path:
    source = workdir / "source"
    for name in SOURCES:
        origin = PROJECT_ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--wheel-dir", workdir / "dist", source)
    (built,) = (workdir / "dist").glob("notifyhub-*.whl")
    return built


@pytest.fixture(scope="module")
def constraints(workdir: Path) -> Path:
    """The dev environment's versions: every range resolves to what the tests ran with."""
    path = workdir / "constraints.txt"
    pins = sorted({f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions()
                   if dist.metadata["Name"] and dist.metadata["Name"].lower() != "notifyhub"})
    path.write_text("\n".join(pins) + "\n")
    return path


@pytest.fixture(scope="module")
def client_venv(workdir: Path, wheel: Path, constraints: Path) -> Path:
    """`pip install notifyhub`: the base distribution alone."""
    venv = workdir / "client"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    pip_install(venv, str(wheel), constraints)
    return venv


@pytest.fixture(scope="module")
def server_venv(workdir: Path, wheel: Path, constraints: Path) -> Path:
    """`pip install 'notifyhub[server]'`: the hub."""
    venv = workdir / "server"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    pip_install(venv, f"notifyhub[server] @ {wheel.as_uri()}", constraints)
    return venv


def test_the_wheel_holds_every_module(wheel: Path) -> None:
    """Every module of the source tree is in the wheel, subpackages included."""
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"{package}/{path.relative_to(root).as_posix()}"
                for package, root in PACKAGE_ROOTS.items() for path in root.rglob("*.py")}
    assert expected - names == set()


def test_the_client_install_has_no_hub_libraries(client_venv: Path) -> None:
    """A service that only sends gets no web server, Redis or metrics library, and imports the
    client and the protocol from outside the checkout."""
    probe = ("import importlib.util, json, notifyhub.client, notifyhub_protocol; "
             f"print(json.dumps([m for m in {SERVER_ONLY!r} if importlib.util.find_spec(m)] "
             "+ [notifyhub.client.__file__]))")
    found = json.loads(run(client_venv / "bin" / "python", "-c", probe, cwd=client_venv).stdout)
    assert found[:-1] == []
    assert Path(found[-1]).is_relative_to(client_venv)


def test_serve_on_the_client_install_says_what_to_install(client_venv: Path) -> None:
    """`notifyhub serve` without the hub's libraries is one line naming the extra."""
    result = run(client_venv / "bin" / "notifyhub", "serve", "--dev", check=False, env=dev_environment())
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "pip install 'notifyhub[server]'" in result.stderr


async def test_a_hub_from_the_wheel_delivers_what_the_client_install_sends(client_venv: Path,
                                                                           server_venv: Path) -> None:
    """`notifyhub serve --dev` from `notifyhub[server]` runs; a token and a send from the base
    install reach a real WebSocket client."""
    client_command = client_venv / "bin" / "notifyhub"
    async with serve_subprocess("--dev", command=server_venv / "bin" / "notifyhub",
                                environment=dev_environment()) as hub:
        user_id = uuid.uuid4()
        token = run(client_command, "token", "--dev", "--user-id", user_id, "--email", "learner@example.com",
                    env=dev_environment()).stdout.strip()
        receiver = await connect_client(hub.ws_url, token)
        await receiver.receive_type("connection_established")
        payload = json.dumps({"title": "Installed", "message": "From the wheel", "level": "success"})
        sent = run(client_command, "send", "--dev", "--url", hub.base_url, "--user-id", user_id,
                   "--type", "notification", "--payload", payload, env=dev_environment())
        frame = await receiver.receive_type("notification")
        assert frame["id"] == json.loads(sent.stdout)["id"]
        assert frame["payload"]["message"] == "From the wheel"
        await receiver.close()


async def test_the_installed_hub_serves_its_protocol_description(server_venv: Path) -> None:
    """/api/v1/asyncapi.json is served from the installed package, not from a checkout."""
    expected = json.loads((PROJECT_ROOT / "generated" / "asyncapi" / "asyncapi.json").read_text())
    async with serve_subprocess("--dev", command=server_venv / "bin" / "notifyhub",
                                environment=dev_environment()) as hub:
        async with httpx.AsyncClient(base_url=hub.base_url) as http:
            answer = await http.get("/api/v1/asyncapi.json")
    assert answer.status_code == 200
    served = answer.json()
    assert served["servers"]["notifyhub"]["host"] == f"127.0.0.1:{hub.port}"
    assert {**served, "servers": expected["servers"]} == expected


async def test_the_installed_hub_serves_the_operations_console(server_venv: Path) -> None:
    """/console/ is served from the installed package's files, as they are in the checkout."""
    page = PROJECT_ROOT / "backend" / "notifyhub" / "console_page"
    async with serve_subprocess("--dev", command=server_venv / "bin" / "notifyhub",
                                environment=dev_environment()) as hub:
        async with httpx.AsyncClient(base_url=hub.base_url) as http:
            served = {name: await http.get(f"/console/{name}") for name in ("", "console.js", "console.css")}
    assert served[""].text == (page / "index.html").read_text()
    assert served["console.js"].text == (page / "console.js").read_text()
    assert served["console.css"].status_code == 200
