"""Every kind of frame a real hub writes (text, ping, pong, close) parses under a strict,
independent reader of RFC 6455."""

from __future__ import annotations

import uuid

from tests.support.raw_client import RawClient
from tests.support.strict_frames import CLOSE, PING, PONG, TEXT, parse_frame


async def read_strictly(client: RawClient):
    frame, rest = parse_frame(await client.read_raw_frame())
    assert rest == b""
    return frame


async def test_text_ping_and_pong_frames_are_well_formed(start_hub) -> None:
    """The hub's messages, its keepalive pings and its pongs to pings of 0 and 125 bytes."""
    hub = await start_hub(ping_interval_seconds=0.2, idle_timeout_seconds=5)
    client = await RawClient.connect(hub.port, hub.token())
    established = await read_strictly(client)
    assert established.opcode == TEXT and b'"connection_established"' in established.payload
    seen = set()
    for payload in (b"", b"p" * 125):
        client.send_frame(PING, payload)
        while (frame := await read_strictly(client)).opcode != PONG:
            seen.add(frame.opcode)
        assert frame.payload == payload
    while PING not in seen:
        seen.add((await read_strictly(client)).opcode)
    client.close()


async def test_close_frames_carry_a_valid_code_and_a_short_utf8_reason(start_hub) -> None:
    """A close with a reason longer than a frame can carry is cut to 123 bytes of valid UTF-8."""
    hub = await start_hub()
    user_id = uuid.uuid4()
    client = await RawClient.connect(hub.port, hub.token(user_id))
    assert (await read_strictly(client)).opcode == TEXT
    [connection] = list(hub.hub.connections())
    connection.close(4000, "très lent " * 40)
    while (frame := await read_strictly(client)).opcode != CLOSE:
        pass
    assert frame.close_code == 4000
    assert len(frame.payload) - 2 <= 123 and frame.close_reason.startswith("très lent")
    client.close()
