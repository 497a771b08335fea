"""The servers compared: notifyhub (as `notifyhub serve` runs it) and the peers in bench/peers/.

A `ServerSpec` is what it takes to start one: a command and its environment. Every server gets the
same JWT secret and service key (the peers ignore both), and listens on a free loopback port.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.processes import project_root

JWT_SECRET = "bench-jwt-secret-bench-jwt-secret-0123456789"
SERVICE_KEY = "bench-service-key"
PYTHON = sys.executable


@dataclass(frozen=True)
class ServerSpec:
    name: str
    command: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)

    def with_env(self, name: str | None = None, **env: str) -> ServerSpec:
        return ServerSpec(name or self.name, self.command, {**self.env, **env})


def notifyhub_command() -> tuple[str, ...]:
    return (str(Path(PYTHON).parent / "notifyhub"), "serve", "--host", "127.0.0.1", "--port", "0")


HUB_ENV = {"NOTIFYHUB_JWT_SECRET": JWT_SECRET, "NOTIFYHUB_SERVICE_KEYS": SERVICE_KEY}

NOTIFYHUB = ServerSpec("notifyhub", notifyhub_command(), HUB_ENV)
"""The hub as deployed: JWT verification and schema validation on, memory backend."""

NOTIFYHUB_IN_PROCESS = ServerSpec("notifyhub", (PYTHON, "-m", "bench.notifyhub_in_process", "--port", "0"), HUB_ENV)
"""The same hub with the bench-only `POST /bench/send_to_user` route (scenario E)."""

PEERS = {
    "fastapi-manager": ServerSpec("fastapi-manager", (PYTHON, "-m", "bench.peers.fastapi_manager")),
    "socketio": ServerSpec("socketio", (PYTHON, "-m", "bench.peers.socketio_server")),
    "websockets": ServerSpec("websockets", (PYTHON, "-m", "bench.peers.websockets_broadcast")),
    "node-ws": ServerSpec("node-ws", ("node", str(project_root() / "bench" / "peers" / "node_ws.mjs"))),
}


def baseline(source: Path) -> ServerSpec:
    """The in-process hub built from another source tree (`--baseline`), e.g. the last commit:

        mkdir /tmp/before && git archive HEAD backend generated | tar -x -C /tmp/before

    It runs in the same run as the working tree, so a change is measured side by side.
    """
    return NOTIFYHUB_IN_PROCESS.with_env("notifyhub-baseline", PYTHONPATH=_source_path(source))


def baseline_hub(source: Path) -> ServerSpec:
    """`notifyhub serve` built from another source tree (`--baseline`; scenario G)."""
    return NOTIFYHUB.with_env("notifyhub-baseline", PYTHONPATH=_source_path(source))


def _source_path(source: Path) -> str:
    """The source tree's packages ahead of the installed ones (an editable install's finder comes
    after PYTHONPATH)."""
    return os.pathsep.join(str(source / part) for part in ("backend", "generated/python"))


def compared(peer_names: list[str], hub: ServerSpec = NOTIFYHUB, baseline_source: Path | None = None
             ) -> list[ServerSpec]:
    """notifyhub first (and its baseline, if any), then the named peers, in the order given."""
    before = [baseline(baseline_source)] if baseline_source is not None else []
    return [hub, *before, *(PEERS[name] for name in peer_names)]
