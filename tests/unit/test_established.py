"""The `connection_established` frame from its template: valid against the schema, and the bytes
the generated model encodes for the same values."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pydantic
import pytest
from notifyhub.backends.base import Replay, StreamState
from notifyhub.established import MAX_SEQ, EstablishedFrames
from notifyhub.messages import encode
from notifyhub.settings import Settings
from notifyhub_protocol import ConnectionEstablishedMessage

from tests.support.schemas import validate_server_frame


def _replay(epoch: str = "k3v9q2", last_seq: int = 42, acked_seq: int = 40, read_seq: int = 38,
            recovered: bool = True) -> Replay:
    return Replay(StreamState(epoch, last_seq, acked_seq, read_seq), recovered, 0, [], True, last_seq)


def _frame(settings: Settings, expires_at: datetime, replay: Replay) -> bytes:
    return EstablishedFrames(settings).frame(uuid.uuid4(), uuid.uuid4(), expires_at, replay)


def _model_bytes(frame: bytes) -> bytes:
    """What the generated model encodes for the values in frame (read back strictly)."""
    return encode(ConnectionEstablishedMessage.model_validate_json(frame, strict=True))


CASES = [
    (Settings(), datetime.fromtimestamp(1_800_000_000, UTC), _replay()),
    (Settings(ping_interval_seconds=0.25, idle_timeout_seconds=1e-3 + 0.25, max_message_bytes=64),
     datetime.fromtimestamp(1_800_000_000.5, UTC), _replay("é\"\\\n\u2028" * 10, 0, 0, 0, False)),
    (Settings(ping_interval_seconds=1e-7, idle_timeout_seconds=1e21), datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
     _replay("x" * 64, MAX_SEQ, MAX_SEQ, MAX_SEQ)),
    (Settings(), datetime(2030, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=-5, minutes=-30))), _replay("1")),
]


@pytest.mark.parametrize("settings, expires_at, replay", CASES)
def test_the_frame_is_what_the_model_encodes_and_the_schema_accepts(settings, expires_at, replay) -> None:
    """Clients read the first frame exactly as every other frame the hub encodes: same JSON, same schema."""
    frame = _frame(settings, expires_at, replay)
    assert frame == _model_bytes(frame)
    validate_server_frame(json.loads(frame))
    payload = json.loads(frame)["payload"]
    assert (payload["epoch"], payload["last_seq"], payload["recovered"]) == (
        replay.state.epoch, replay.state.last_seq, replay.recovered)
    assert datetime.fromisoformat(payload["token_expires_at"]) == expires_at


def test_each_frame_has_a_new_id() -> None:
    """A client can tell two connections' first frames apart by their message ids."""
    frames = EstablishedFrames(Settings())
    ids = {json.loads(frames.frame(uuid.uuid4(), uuid.uuid4(), datetime.now(UTC), _replay()))["id"]
           for _ in range(100)}
    assert len(ids) == 100


@pytest.mark.parametrize("replay", [_replay(""), _replay("x" * 65), _replay(last_seq=-1), _replay(acked_seq=MAX_SEQ + 1),
                                    _replay(read_seq=True), _replay(last_seq=1.0)])
def test_a_stream_position_outside_the_schema_is_refused(replay: Replay) -> None:
    """The hub never sends a first frame that the schema refuses."""
    with pytest.raises(ValueError):
        _frame(Settings(), datetime.now(UTC), replay)


def test_a_naive_expiry_is_refused() -> None:
    """A time without a zone is no RFC 3339 date-time."""
    with pytest.raises(ValueError):
        _frame(Settings(), datetime(2030, 1, 1), _replay())


def test_limits_outside_the_schema_are_refused_when_the_hub_is_built() -> None:
    """Settings the schema cannot state fail at start, not at the first connection."""
    with pytest.raises(pydantic.ValidationError):
        EstablishedFrames(Settings(max_message_bytes=2**53))
