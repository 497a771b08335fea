"""What clients may send: every bad frame gets an `error` and the connection goes on."""

from __future__ import annotations

import uuid

import pytest
from websockets.exceptions import ConnectionClosed

from tests.support.hubs import RunningHub

BAD_FRAMES = {
    "not_json": ("{oops", "invalid_json"),
    "nan": ('{"type": "ping", "x": NaN}', "invalid_json"),
    "deeply_nested": ("[" * 100_000 + "]" * 100_000, "invalid_json"),
    "nested_past_limit": ('{"type": "ping", "x": ' + "[" * 40 + "]" * 40 + "}", "invalid_json"),
    "huge_integer": ('{"type": "ping", "x": ' + "9" * 5000 + "}", "invalid_json"),
    "binary": (b"\x00\x01binary", "invalid_message"),
    "not_an_object": ("[1, 2]", "invalid_message"),
    "type_not_string": ('{"type": 7}', "invalid_message"),
    "unknown_type": ('{"type": "subscribe"}', "unknown_type"),
    "extra_field": ('{"type": "ping", "extra": true}', "invalid_message"),
}


@pytest.mark.parametrize("frame, code", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
async def test_bad_frame_gets_error_and_connection_goes_on(hub: RunningHub, frame, code: str) -> None:
    """A malformed frame is answered with an `error` of the matching code; ping still works."""
    client = await hub.connect()
    await client.send(frame)
    error = await client.receive_type("error")
    assert error["payload"]["code"] == code
    await client.send('{"type": "ping"}')
    await client.receive_type("pong")


async def test_bad_frames_do_not_disturb_other_connections(hub: RunningHub) -> None:
    """One client's garbage never reaches or breaks another client's stream."""
    noisy, calm_user = await hub.connect(), uuid.uuid4()
    calm = await hub.connect(calm_user)
    for frame, _ in BAD_FRAMES.values():
        await noisy.send(frame)
    await hub.publish({"user_ids": [str(calm_user)], "message": {"type": "review_reminder",
                                                                 "payload": {"due_count": 1}}})
    assert (await calm.receive())["type"] == "review_reminder"
    codes = [(await noisy.receive_type("error"))["payload"]["code"] for _ in BAD_FRAMES]
    assert codes == [code for _, code in BAD_FRAMES.values()]


async def test_frame_over_the_size_limit_closes_with_1009(start_hub) -> None:
    """A frame over NOTIFYHUB_MAX_MESSAGE_BYTES closes that connection with 1009."""
    hub = await start_hub(max_message_bytes=4096)
    client = await hub.connect(max_size=None)
    await client.send('{"type": "ping", "pad": "' + "x" * 5000 + '"}')
    with pytest.raises(ConnectionClosed):
        await client.receive()
    assert client.connection.close_code == 1009


async def test_client_sending_too_fast_is_rate_limited(start_hub) -> None:
    """Frames past the burst are dropped with one `rate_limited` error (not one per frame), the
    client is not read for a while, and then the connection is usable again."""
    hub = await start_hub(client_frame_burst=5, client_frames_per_second=1)
    client = await hub.connect()
    for _ in range(8):
        await client.send('{"type": "ping"}')
    replies = [await client.receive() for _ in range(6)]
    assert [reply["type"] for reply in replies].count("pong") == 5
    assert [reply["payload"]["code"] for reply in replies if reply["type"] == "error"] == ["rate_limited"]
    with pytest.raises(TimeoutError):  # nothing more while the client is throttled
        await client.receive(timeout=0.5)
    await client.send('{"type": "ping"}')
    assert (await client.receive(timeout=5))["type"] == "pong"
