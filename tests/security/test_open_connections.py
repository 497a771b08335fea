"""Abuse on an accepted WebSocket: pinging without reading, flooding frames, frames built to
buy a large answer, and close frames the hub writes, parsed strictly."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import statistics
import struct
import time
import uuid

import pytest

from tests.security.conftest import expiring_token, token
from tests.security.test_slow_peers import notification
from tests.support.hubs import SERVICE_KEY, connect_client
from tests.support.raw_client import RawClient, masked_frame
from tests.support.raw_http import get_request, open_socket, post_head, read_response, rss_bytes, upgrade_headers

PING, PONG, CLOSE, TEXT = 0x9, 0xA, 0x8, 0x1


async def test_a_client_that_pings_and_never_reads_is_cut_off(start_process_hub) -> None:
    """A client sending protocol pings as fast as it can, with a 4 KiB receive buffer it never
    reads, is cut off within the write timeout (1 s, twice for the close handshake, plus slack),
    and the hub's memory grows far less than what it sent."""
    hub = await start_process_hub(write_timeout_seconds=1)
    client = await RawClient.connect(hub.port, token(), receive_buffer=4096)
    before = rss_bytes(hub.process.pid)
    pings = b"".join(masked_frame(PING, b"p" * 125) for _ in range(256))
    sent, started = 0, time.monotonic()
    try:
        async with asyncio.timeout(10):
            while True:
                client.writer.write(pings)
                await client.writer.drain()
                sent += len(pings)
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        client.close()
    cut_after = time.monotonic() - started
    grown = rss_bytes(hub.process.pid) - before
    assert cut_after < 2 * 1 + 1.5, f"cut off after {cut_after:.2f} s"
    assert grown < 4 << 20 and grown < sent / 4, f"RSS grew {grown / 2**20:.1f} MiB; sent {sent / 2**20:.1f} MiB"


def rate_limited_counter(client: RawClient, errors: list[float], closes: list[int | None]) -> asyncio.Task:
    """Read everything the hub sends client; note when each `rate_limited` error came and any close."""
    async def read() -> None:
        while True:
            opcode, payload = await client.read_frame()
            if opcode == TEXT:
                frame = json.loads(payload)
                if frame["type"] == "error" and frame["payload"]["code"] == "rate_limited":
                    errors.append(time.monotonic())
            elif opcode == CLOSE:
                closes.append(int.from_bytes(payload[:2], "big") if payload else None)
                return
            elif opcode == PONG and payload == b"alive":
                return
    return asyncio.create_task(read())


async def test_flooding_clients_get_one_error_a_second_and_do_not_delay_others(start_process_hub) -> None:
    """Four clients sending `ping` frames far over the rate limit each get at most about one
    `rate_limited` error per second over 3 s and keep their connections, while another user's
    messages arrive with a median publish-to-receive latency under 50 ms."""
    hub = await start_process_hub()
    # Their own send buffers are kept small so that, once they stop, what they queued drains
    # within the test's patience; the hub bounds its side (RECEIVE_BUFFER_BYTES).
    flooders = [await RawClient.connect(hub.port, token(), send_buffer=64 * 1024) for _ in range(4)]
    errors: list[list[float]] = [[] for _ in flooders]
    closes: list[int | None] = []
    readers = [rate_limited_counter(flooder, found, closes) for flooder, found in zip(flooders, errors)]
    user_id = uuid.uuid4()
    receiver = await connect_client(hub.ws_url, token(user_id))
    await receiver.receive_type("connection_established")
    reader, writer = await open_socket(hub.port)
    flood = b"".join(masked_frame(TEXT, b'{"type":"ping"}') for _ in range(1000))
    stop = asyncio.Event()

    async def send_flood(flooder: RawClient) -> None:
        while not stop.is_set():
            flooder.writer.write(flood)
            await flooder.writer.drain()

    started = time.monotonic()
    senders = [asyncio.create_task(send_flood(flooder)) for flooder in flooders]
    latencies = []
    try:
        for index in range(20):
            body = notification(user_id, f"message {index}")
            sent_at = time.monotonic()
            writer.write(post_head("/api/v1/messages", f"Authorization: Bearer {SERVICE_KEY}",
                                   f"Content-Length: {len(body)}") + body)
            frame = await receiver.receive_type("notification", timeout=5)
            latencies.append(time.monotonic() - sent_at)
            assert frame["payload"]["title"] == f"message {index}"
            assert (await read_response(reader)).status == 202
        async with asyncio.timeout(10):
            while time.monotonic() - started < 3:
                await asyncio.sleep(0.05)  # the flood's duration, not synchronisation
        stop.set()
        await asyncio.gather(*senders)
        window = time.monotonic()
        for flooder in flooders:
            flooder.send_frame(PING, b"alive")
        async with asyncio.timeout(10):
            await asyncio.gather(*readers)
    finally:
        writer.transport.abort()
        await receiver.close()
        for flooder in flooders:
            flooder.close()

    assert closes == [], f"flooders were closed: {closes}"
    for found in errors:
        in_window = [at for at in found if started <= at <= window]
        assert 1 <= len(in_window) <= 1 + (window - started), f"{len(in_window)} rate_limited errors"
    assert statistics.median(latencies) < 0.05, f"median latency {statistics.median(latencies) * 1000:.0f} ms"


async def test_a_frame_with_40000_bad_fields_gets_a_small_error(start_process_hub) -> None:
    """A `ping` frame with 40,000 extra fields (~429 KB) gets an `invalid_message` error under
    8 KB, and the client that sent it stays connected (its next ping is answered)."""
    hub = await start_process_hub()
    client = await connect_client(hub.ws_url, token())
    try:
        await client.receive_type("connection_established")
        fields = ",".join(f'"x{i:05d}":0' for i in range(40_000))
        frame = '{"type":"ping",' + fields + "}"
        assert len(frame) > 400_000
        await client.send(frame)
        raw = await asyncio.wait_for(client.connection.recv(), 5)
        assert len(raw.encode()) < 8 * 1024, f"an error of {len(raw)} characters"
        error = json.loads(raw)
        assert error["type"] == "error" and error["payload"]["code"] == "invalid_message", error
        await client.send('{"type":"ping"}')
        await client.receive_type("pong")
    finally:
        await client.close()


async def test_a_lone_surrogate_escape_is_invalid_json_and_the_connection_goes_on(start_process_hub) -> None:
    """The frame `{"type":"\\ud800"}` gets an `invalid_json` error, not a 1006 abort, and the
    connection goes on."""
    hub = await start_process_hub()
    client = await connect_client(hub.ws_url, token())
    try:
        await client.receive_type("connection_established")
        await client.send('{"type":"\\ud800"}')
        error = await client.receive_type("error")
        assert error["payload"]["code"] == "invalid_json"
        await client.send('{"type":"ping"}')
        await client.receive_type("pong")
    finally:
        await client.close()
    assert not any("Traceback" in line for line in hub.output), "".join(hub.output)


async def test_close_frames_the_hub_writes_are_valid(start_process_hub) -> None:
    """Every close frame the hub writes (invalid UTF-8, an oversized frame, an expired token, a
    heartbeat timeout, shutdown) carries a code a server may send and a UTF-8 reason of at most
    123 bytes; every frame before it is well formed (RawClient reads strictly)."""
    hub = await start_process_hub(max_message_bytes=1024, ping_interval_seconds=0.3, idle_timeout_seconds=0.6)
    closes: dict[str, tuple[int | None, str]] = {}

    async def close_of(name: str, client: RawClient) -> None:
        try:
            async with asyncio.timeout(5):
                closes[name] = await client.read_close()
        finally:
            client.close()

    invalid_utf8 = await RawClient.connect(hub.port, token())
    invalid_utf8.send_frame(TEXT, b'{"type":"\xff"}')
    oversized = await RawClient.connect(hub.port, token())
    oversized.send_text('{"type":"ping","pad":"' + "x" * 2000 + '"}')
    expiring = await RawClient.connect(hub.port, expiring_token(0.2))  # well before the idle timeout
    silent = await RawClient.connect(hub.port, token())
    await asyncio.gather(close_of("invalid utf-8", invalid_utf8), close_of("oversized", oversized),
                         close_of("expired", expiring), close_of("heartbeat", silent))

    at_shutdown = await RawClient.connect(hub.port, token())
    hub.process.send_signal(signal.SIGTERM)
    await close_of("shutdown", at_shutdown)

    assert closes["invalid utf-8"][0] == 1007
    assert closes["oversized"][0] == 1009
    assert closes["expired"][0] == 4001
    assert closes["heartbeat"][0] == 4002
    assert closes["shutdown"][0] == 1012
    for name, (_, reason) in closes.items():
        assert len(reason.encode()) <= 123, (name, reason)


@pytest.mark.parametrize("backend", ["memory", "redis"])
async def test_peers_that_abort_during_the_handshake_leave_no_error(backend: str, request, start_process_hub) -> None:
    """Clients that send an upgrade and reset the connection at once (a tab closed mid-connect)
    cost the hub nothing and log no error, on either backend; the next client is served."""
    settings = request.getfixturevalue("redis_settings") if backend == "redis" else {"backend": "memory"}
    hub = await start_process_hub(**settings)
    for _ in range(60):
        reader, writer = await asyncio.open_connection("127.0.0.1", hub.port)
        writer.write(get_request(f"/api/v1/ws?token={token()}", *upgrade_headers()))
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close sends RST
        await writer.drain()
        writer.transport.abort()
    survivor = await RawClient.connect(hub.port, token())
    survivor.send_text('{"type":"ping"}')
    async with asyncio.timeout(5):
        while True:
            opcode, payload = await survivor.read_frame()
            if opcode == 0x1 and b'"pong"' in payload:
                break
    survivor.close()
    log = "".join(hub.output)
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
