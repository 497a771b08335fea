"""A loopback HTTP proxy in front of a hub that plays a scripted fault on each request: forward
it, forward it but drop the connection before the answer (the hub acted; the client cannot know),
or refuse it with a 503 as a load balancer with no healthy hub does."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

FORWARD = "forward"
DROP_ANSWER = "drop_answer"
REFUSE_503 = "refuse_503"

_REFUSAL_BODY = b'{"error":"backend_unavailable","detail":"no hub is up"}'
REFUSAL = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 0\r\n"
           b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_REFUSAL_BODY), _REFUSAL_BODY))


@dataclass(frozen=True)
class ProxiedRequest:
    path: str
    idempotency_key: str | None
    action: str


@dataclass
class FaultyProxy:
    upstream_port: int
    script: list[str]
    """One action per request, in order; FORWARD once the script is played."""
    requests: list[ProxiedRequest] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.closing(writer):
            while (request := await read_message(reader)) is not None:
                action = self.script.pop(0) if self.script else FORWARD
                self.requests.append(ProxiedRequest(*_path_and_key(request), action))
                if action == REFUSE_503:
                    writer.write(REFUSAL)
                    await writer.drain()
                    return
                answer = await self.forward(request)
                if action == DROP_ANSWER:
                    return
                writer.write(answer)
                await writer.drain()

    async def forward(self, request: bytes) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        with contextlib.closing(writer):
            writer.write(request)
            await writer.drain()
            answer = await read_message(reader)
        if answer is None:
            raise ConnectionError("the hub closed the connection without answering")
        return answer


async def read_message(reader: asyncio.StreamReader) -> bytes | None:
    """One HTTP/1.1 request or response (head and Content-Length body), or None at the end."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return head + await reader.readexactly(length)


def _path_and_key(request: bytes) -> tuple[str, str | None]:
    lines = request.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    key = next((line.partition(":")[2].strip() for line in lines[1:]
                if line.lower().startswith("idempotency-key:")), None)
    return lines[0].split(" ")[1], key


@contextlib.asynccontextmanager
async def faulty_proxy(upstream_port: int, *script: str) -> AsyncIterator[FaultyProxy]:
    proxy = FaultyProxy(upstream_port, list(script))
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    proxy.port = server.sockets[0].getsockname()[1]
    async with server:
        yield proxy
