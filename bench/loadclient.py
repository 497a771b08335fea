"""The Node load client (bench/client/main.mjs) as a Python object: one call per operation.

It runs in its own process (pinned to its own core where there are two), so its CPU is measured
apart from the server's.
"""

from __future__ import annotations

import json
import select
import subprocess
from typing import Any

from bench.processes import pinned_to, project_root, stop
from bench.servers import JWT_SECRET, SERVICE_KEY

CLIENT_SCRIPT = project_root() / "bench" / "client" / "main.mjs"
ANSWER_MARGIN_SECONDS = 30.0
"""How much longer than an operation's own timeout the harness waits for its answer."""


class LoadClientError(RuntimeError):
    pass


class LoadClient:
    def __init__(self, cpus: set[int] | None = None) -> None:
        self.process = subprocess.Popen(["node", str(CLIENT_SCRIPT)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, preexec_fn=pinned_to(cpus), cwd=project_root())

    @property
    def pid(self) -> int:
        return self.process.pid

    def connect_to(self, ws_url: str, http_url: str, publishers: int = 1) -> None:
        """Connect WebSockets to ws_url and publish to http_url (two hubs in scenario G), with up to
        `publishers` targeted publish requests in flight at once."""
        self.call("config", secret=JWT_SECRET, serviceKey=SERVICE_KEY, wsUrl=ws_url, httpUrl=http_url,
                  publishers=publishers)

    def connect_to_hubs(self, ws_urls: list[str], http_urls: list[str], publishers: int = 1) -> None:
        """Spread the WebSockets over ws_urls (a user's tabs on different hubs) and the publishers
        over http_urls (publisher k on hub k % hubs)."""
        self.call("config", secret=JWT_SECRET, serviceKey=SERVICE_KEY, wsUrl=ws_urls[0], httpUrl=http_urls[0],
                  wsUrls=ws_urls, httpUrls=http_urls, publishers=publishers)

    def call(self, op: str, timeoutS: float = 60, **args: Any) -> dict[str, Any]:
        """Run one operation and return its answer; raises LoadClientError on an error or no answer."""
        line = json.dumps({"op": op, "timeoutS": timeoutS, **args}) + "\n"
        self.process.stdin.write(line.encode())
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeoutS + ANSWER_MARGIN_SECONDS)
        answer = self.process.stdout.readline() if ready else b""
        if not answer:
            raise LoadClientError(f"no answer to {op}")
        result = json.loads(answer)
        if "error" in result:
            raise LoadClientError(result["error"])
        return result

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write(b'{"op": "exit"}\n')
            self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                stop(self.process)

    def __enter__(self) -> LoadClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
