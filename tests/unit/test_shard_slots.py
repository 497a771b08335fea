"""Shard channels are subscribed one SSUBSCRIBE per hash slot, as Redis Cluster requires."""

from __future__ import annotations

from notifyhub.backends.redis_shards import by_slot
from redis.crc import key_slot


def test_channels_are_grouped_by_their_hash_slot_in_the_order_given() -> None:
    """Channels of different users land in different groups, each group holds one slot only, and
    no channel is lost or repeated."""
    channels = [f"P:{{user-{number}}}:live" for number in range(50)] + ["P:{user-0}:other"]
    groups = by_slot(channels)
    assert len(groups) > 1
    for slot, group in groups.items():
        assert {key_slot(channel.encode()) for channel in group} == {slot}
    assert sorted(channel for group in groups.values() for channel in group) == sorted(channels)
    assert groups[key_slot(b"user-0")] == ["P:{user-0}:live", "P:{user-0}:other"]
