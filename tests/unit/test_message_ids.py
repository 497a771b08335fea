"""Message ids: random version-4 UUIDs read in bulk, never shared with a forked process."""

from __future__ import annotations

import os
import uuid

from notifyhub_protocol import new_notification_message
from notifyhub_protocol.constructors import new_message_id


def test_ids_are_distinct_rfc_4122_version_4_uuids() -> None:
    """Every id is a valid random UUID (as uuid4 makes) and none repeats across batches."""
    ids = [new_message_id() for _ in range(3 * 256 + 5)]
    assert len(set(ids)) == len(ids)
    for value in ids:
        assert value.version == 4 and value.variant == uuid.RFC_4122
        assert uuid.UUID(str(value)) == value and hash(uuid.UUID(str(value))) == hash(value)
    assert isinstance(new_notification_message(title="t", message="m", level="info").id, uuid.UUID)


def test_a_forked_child_does_not_reuse_the_parents_buffered_ids() -> None:
    """After fork the child draws new random bytes, so parent and child never stamp the same id."""
    new_message_id()  # the parent has a buffer with ids left in it
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write, new_message_id().bytes)
        os._exit(0)
    os.close(write)
    child_id = uuid.UUID(bytes=os.read(read, 16))
    os.close(read)
    os.waitpid(pid, 0)
    assert child_id != new_message_id()
