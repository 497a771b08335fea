"""The contract holds for everything the hub sends."""

from notifyhub_protocol import SERVER_MESSAGE_TYPES

from tests.support.hubs import SEEN_SERVER_TYPES


def test_every_server_type_was_seen() -> None:
    """Every server message type was received (and schema-checked) by some integration test."""
    missing = set(SERVER_MESSAGE_TYPES) - SEEN_SERVER_TYPES
    assert not missing, f"no integration test received: {sorted(missing)}"
