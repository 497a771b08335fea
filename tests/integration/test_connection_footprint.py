"""What an idle connection holds on the server: the figures of memory per idle connection in
BENCHMARKS.md rest on these (uvicorn or websockets, upgraded, could silently undo them)."""

from __future__ import annotations

from notifyhub.deadlines import Deadline

from tests.support.hubs import RunningHub


async def test_an_idle_connection_keeps_no_attribute_dictionary_and_no_timer_of_its_own(hub: RunningHub) -> None:
    """An accepted connection's protocol keeps every attribute in a slot (a dictionary of uvicorn's
    forty-odd attributes took about 1.5 KB per connection), and its ping and token expiry are
    deadlines on shared timers, not a uvloop timer each."""
    await hub.connect()
    [connection] = list(hub.hub.connections())
    protocol = connection._socket
    assert vars(protocol) == {}
    assert isinstance(protocol.ping_timer, Deadline)
    assert isinstance(connection._expiry, Deadline)
