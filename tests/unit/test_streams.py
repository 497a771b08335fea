"""The resume rules and the memory backend's bookkeeping, without sockets."""

from __future__ import annotations

import uuid

import pytest
from notifyhub.backends.base import Since, StreamState, resume_start, with_seq
from notifyhub.backends.memory import MemoryBackend
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
    assert [seq for seq, _ in page] == [20, 21, 22, 23]
    assert [seq for seq, _ in await backend.history_after(user, first.state.epoch, 23, 4)] == [24, 25]
    resumed = await backend.replay(user, Since(first.state.epoch, 23), 4)
    assert ([seq for seq, _ in resumed.entries], resumed.recovered, resumed.complete) == ([24, 25], True, True)
    await backend.close()
