"""The `connection_established` frame, written from a template. Pure: values in, bytes out.

Every connection gets one, so it is not built through the generated model (strict validation of
twelve fields and a serializer pass were about 20 µs of a handshake): the hub's limits, the same
for every connection, are validated by the model and encoded by pydantic once; per connection only
values the hub made itself or already checked are filled in (ids it generated, the user id and
expiry of a verified token, its clock, the stream's position from the backend). The bytes are
those the model would encode, field for field (tests/unit/test_established.py compares them).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pydantic_core
from notifyhub_protocol import new_connection_established_message
from notifyhub_protocol.constructors import new_message_id

from .backends.base import Replay
from .settings import Settings

MAX_SEQ = 2**53 - 1
"""The schema's bound on every seq: the largest integer a JavaScript number holds exactly."""
MAX_EPOCH_LENGTH = 64
"""The schema's `maxLength` of `epoch`."""


class EstablishedFrames:
    """Writes the `connection_established` frame's JSON for one hub's settings.

    Raises pydantic.ValidationError at construction when the settings give limits the schema
    refuses, and ValueError from `frame` for a stream position outside the schema.
    """

    __slots__ = ("_limits",)

    def __init__(self, settings: Settings) -> None:
        now = datetime.now(UTC)
        sample = new_connection_established_message(
            connection_id=uuid4(), user_id=uuid4(), server_time=now,
            ping_interval_seconds=settings.ping_interval_seconds,
            idle_timeout_seconds=settings.idle_timeout_seconds,
            max_message_bytes=settings.max_message_bytes, token_expires_at=now + timedelta(hours=1),
            epoch="e", last_seq=0, recovered=False, acked_seq=0, read_seq=0)
        payload = sample.payload
        self._limits = (f'"ping_interval_seconds":{_json(payload.ping_interval_seconds)},'
                        f'"idle_timeout_seconds":{_json(payload.idle_timeout_seconds)},'
                        f'"max_message_bytes":{_json(payload.max_message_bytes)}')

    def frame(self, connection_id: UUID, user_id: UUID, token_expires_at: datetime, replay: Replay) -> bytes:
        """The frame for a connection that goes live with this replay; stamped with a new id and now."""
        state = replay.state
        epoch, last_seq, acked_seq, read_seq = state.epoch, state.last_seq, state.acked_seq, state.read_seq
        if not (isinstance(epoch, str) and 0 < len(epoch) <= MAX_EPOCH_LENGTH):
            raise ValueError(f"an epoch of 1 to {MAX_EPOCH_LENGTH} characters, not {epoch!r}")
        for seq in (last_seq, acked_seq, read_seq):
            if not (type(seq) is int and 0 <= seq <= MAX_SEQ):
                raise ValueError(f"a seq between 0 and {MAX_SEQ}, not {seq!r}")
        now = datetime.now(UTC)
        return self._build(new_message_id(), now, connection_id, user_id, token_expires_at, epoch, last_seq,
                           replay.recovered, acked_seq, read_seq)

    def _build(self, message_id: UUID, now: datetime, connection_id: UUID, user_id: UUID,
               token_expires_at: datetime, epoch: str, last_seq: int, recovered: bool, acked_seq: int,
               read_seq: int) -> bytes:
        server_time = _timestamp(now)
        return (f'{{"type":"connection_established","id":"{message_id}","timestamp":{server_time},'
                f'"payload":{{"connection_id":"{connection_id}","user_id":"{user_id}",'
                f'"server_time":{server_time},{self._limits},'
                f'"token_expires_at":{_timestamp(token_expires_at)},"epoch":{_json(epoch)},'
                f'"last_seq":{last_seq},"recovered":{"true" if recovered else "false"},'
                f'"acked_seq":{acked_seq},"read_seq":{read_seq}}}}}').encode()


def _json(value: object) -> str:
    """value as pydantic writes it in JSON (floats and escapes alike)."""
    return pydantic_core.to_json(value).decode()


def _timestamp(moment: datetime) -> str:
    """An aware datetime as pydantic writes it in JSON, quoted: ISO 8601, microseconds only when
    there are any, `Z` for UTC. Raises ValueError for a naive datetime, which the schema refuses."""
    if moment.tzinfo is UTC:
        return f'"{moment.isoformat()[:-6]}Z"'  # without its "+00:00"
    if moment.utcoffset() is None:
        raise ValueError(f"an aware datetime, not {moment!r}")
    return _json(moment)
