"""The resume rules and the memory backend's bookkeeping, without sockets."""

from __future__ import annotations

import uuid

import pytest
from notifyhub.backends.base import (
    IdempotencyKeyReusedError,
    PublishToken,
    Since,
    StreamState,
    conflated_away,
    message_id_of,
    resume_start,
    with_seq,
)
from notifyhub.backends.memory import MemoryBackend
from notifyhub.backends.positions import NO_FLOOR, StreamPositions
from notifyhub.settings import Settings

STATE = StreamState(epoch="e1", last_seq=10, acked_seq=4, read_seq=2)


@pytest.mark.parametrize("since, oldest, expected", [
    (Since("e1", 7), 3, (7, True)),
    (Since("e1", 10), 3, (10, True)),
    (Since("e1", 2), 3, (2, True)),        # the next one (3) is still kept
    (Since("e1", 1), 3, (4, False)),       # 2 was dropped: resume from the acked position
    (Since("e1", 11), 3, (4, False)),      # ahead of the stream
    (Since("e0", 7), 3, (4, False)),       # another epoch
    (None, 3, (4, False)),                 # a new device
    (Since("e1", 10), None, (10, True)),   # nothing kept, nothing missed
])
def test_resume_start(since, oldest, expected) -> None:
    """A position resumes only when nothing after it was lost; else the unacknowledged replay."""
    assert resume_start(since, STATE, oldest) == expected


@pytest.mark.parametrize("text", ["", "abc", "e1:", ":5", "e1:-1", "e1:5x", "x" * 65 + ":1"])
def test_since_rejects_malformed_positions(text: str) -> None:
    """`since` is <epoch>:<seq> and nothing else."""
    with pytest.raises(ValueError):
        Since.parse(text)


def test_since_parses_epochs_containing_colons_from_the_right() -> None:
    """The seq is after the last colon."""
    assert Since.parse("a:b:12") == Since("a:b", 12)


def test_seq_is_spliced_into_the_encoded_message() -> None:
    """The seq goes into the JSON object without re-encoding it."""
    assert with_seq(b'{"type":"x"}', 7) == b'{"seq":7,"type":"x"}'


async def test_memory_backend_prunes_users_with_nothing_left() -> None:
    """Users with no kept message and no connection are forgotten, and come back in a new epoch."""
    backend = MemoryBackend(Settings(history_max_age_seconds=1e-9))
    delivered = []

    class Deliveries:
        def deliver_to_user(self, *args):
            delivered.append(args)
            return 0

    await backend.start(Deliveries())
    user = uuid.uuid4()
    await backend.publish([user], b'{"type":"x"}')
    epoch = (await backend.replay(user, None, 10)).state.epoch
    assert backend.prune() == 1
    assert (await backend.replay(user, None, 10)).state.epoch != epoch
    await backend.close()


async def test_memory_backend_reads_history_a_page_at_a_time() -> None:
    """Replay and catch-up return at most `limit` messages, from the right place."""
    backend = MemoryBackend(Settings(history_max_messages=10))

    class Deliveries:
        def deliver_to_user(self, *args):
            return 0

    await backend.start(Deliveries())
    user = uuid.uuid4()
    for _ in range(25):
        await backend.publish([user], b'{"type":"x"}')  # 16..25 kept
    first = await backend.replay(user, None, 4)
    assert ([seq for seq, _ in first.entries], first.start, first.complete) == ([16, 17, 18, 19], 0, False)
    page = await backend.history_after(user, first.state.epoch, 19, 4)
    assert ([seq for seq, _ in page.entries], page.through, page.complete) == ([20, 21, 22, 23], 23, False)
    last = await backend.history_after(user, first.state.epoch, 23, 4)
    assert ([seq for seq, _ in last.entries], last.through, last.complete) == ([24, 25], 25, True)
    resumed = await backend.replay(user, Since(first.state.epoch, 23), 4)
    assert ([seq for seq, _ in resumed.entries], resumed.recovered, resumed.complete) == ([24, 25], True, True)
    await backend.close()


class _Nowhere:
    def deliver_to_user(self, *args) -> int:
        return 0


async def _memory_backend(**settings) -> MemoryBackend:
    backend = MemoryBackend(Settings(**settings))
    await backend.start(_Nowhere())
    return backend


async def test_memory_epochs_are_random_per_stream() -> None:
    """An epoch reveals nothing about other users: no counter, no shared part."""
    backend = await _memory_backend()
    first, second = [(await backend.replay(uuid.uuid4(), None, 1)).state.epoch for _ in range(2)]
    assert len(first) >= 12 and not set(first.split(".")) & set(second.split("."))
    await backend.close()


async def test_memory_publish_with_a_token_reaches_each_user_once() -> None:
    """The same token again skips the users who have the message; another fingerprint is refused."""
    backend = await _memory_backend()
    done, fresh = uuid.uuid4(), uuid.uuid4()
    token = PublishToken.for_key("key-1", "fingerprint", 60)
    await backend.publish([done], b'{"type":"x"}', token)
    await backend.publish([done, fresh], b'{"type":"x"}', token)
    assert [(await backend.replay(user, None, 10)).state.last_seq for user in (done, fresh)] == [1, 1]
    with pytest.raises(IdempotencyKeyReusedError):
        await backend.publish([done], b'{"type":"x"}', PublishToken.for_key("key-1", "another", 60))
    await backend.close()


async def test_memory_claims_an_idempotency_key_for_one_request() -> None:
    """A key is claimed once; the same request again is a repeat, another request is refused."""
    backend = await _memory_backend()
    assert await backend.claim_idempotency_key("k", "f1", 60) is True
    assert await backend.claim_idempotency_key("k", "f1", 60) is False
    with pytest.raises(IdempotencyKeyReusedError):
        await backend.claim_idempotency_key("k", "f2", 60)
    await backend.release_idempotency_key("k")
    assert await backend.claim_idempotency_key("k", "f2", 60) is True
    await backend.close()


async def test_a_position_ahead_of_the_stream_starts_a_new_epoch() -> None:
    """A `since` the stream never reached is not resumed, and the stream's epoch changes."""
    backend = await _memory_backend()
    user = uuid.uuid4()
    await backend.publish([user], b'{"type":"x"}')
    epoch = (await backend.replay(user, None, 10)).state.epoch
    replay = await backend.replay(user, Since(epoch, 5), 10)
    assert (replay.recovered, replay.state.epoch != epoch) == (False, True)
    assert await backend.history_after(user, replay.state.epoch, 9, 10) is None
    await backend.close()


async def test_history_after_checks_the_message_at_the_position() -> None:
    """Continuing after a seq whose kept message is another one is refused with a new epoch."""
    backend = await _memory_backend()
    user = uuid.uuid4()
    await backend.publish([user], b'{"type":"x","id":"a1"}')
    epoch = (await backend.replay(user, None, 10)).state.epoch
    assert (await backend.history_after(user, epoch, 1, 10, "a1")).entries == []
    assert await backend.history_after(user, epoch, 1, 10, "b2") is None
    assert (await backend.replay(user, None, 10)).state.epoch != epoch
    await backend.close()


def test_message_id_is_read_from_the_top_level_of_a_frame() -> None:
    """The id comes from the message, not from a payload field named like it."""
    assert message_id_of(b'{"seq":3,"type":"x","id":"abc","payload":{"id":"inner"}}') == "abc"
    assert message_id_of(b'{"seq":3}') is None


def test_stream_positions_keep_the_highest_seq_per_epoch_for_recent_users() -> None:
    """A floor rises within an epoch, follows a new epoch, and is forgotten for old users."""
    positions = StreamPositions(capacity=2)
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    positions.saw(first, "e1", 5)
    positions.saw(first, "e1", 3)
    assert positions.floor(first) == ("e1", 5)
    positions.saw(first, "e2", 1)
    assert positions.floor(first) == ("e2", 1)
    positions.saw(second, "e1", 1)
    positions.saw(third, "e1", 1)
    assert (positions.floor(first), len(positions)) == (NO_FLOOR, 2)


async def test_a_page_conflated_away_entirely_still_moves_the_position() -> None:
    """A page whose every message was superseded says how far it read, so a replay goes on past
    it instead of reading it again; the latest of the key is in a later page."""
    backend = await _memory_backend()
    user = uuid.uuid4()
    for step in range(10):
        await backend.publish([user], b'{"type":"ocr_progress","n":%d}' % step, conflation_key="ocr_progress:b1")
    first = await backend.replay(user, None, 4)
    assert (first.entries, first.through, first.complete) == ([], 4, False)
    page = await backend.history_after(user, first.state.epoch, 8, 4, conflate_through=first.state.last_seq)
    assert ([seq for seq, _ in page.entries], page.through, page.complete) == ([10], 10, True)
    unconflated = await backend.history_after(user, first.state.epoch, 4, 4, conflate_through=0)
    assert [seq for seq, _ in unconflated.entries] == [5, 6, 7, 8]  # after the head, delivered whole
    await backend.close()


def test_an_entry_is_conflated_away_only_when_a_later_one_has_its_key_within_the_replay() -> None:
    """Only a superseded message read within the replay is skipped: never the latest of a key."""
    assert conflated_away(3, "k", 7, 10)
    assert not conflated_away(7, "k", 7, 10)  # the latest of its key
    assert not conflated_away(3, None, 7, 10)  # a type without conflation
    assert not conflated_away(3, "k", None, 10)  # no record of the key: deliver rather than lose
    assert not conflated_away(12, "k", 15, 10)  # after the head the connection joined at
