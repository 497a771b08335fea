"""Reading a pub/sub connection: every reply already received, in one pass.

redis-py's `PubSub.get_message` takes one reply per call, each under a timeout of its own and
through its retry, observability and push-message layers (the last formats every message for a
debug log, even with debug logging off). Under load, one read of the socket brings many messages.
So the hub waits once for data from the socket, takes every reply complete in the buffer from the
connection's hiredis Reader, and dispatches them in the order Redis sent them: a published message
straight to `on_message(channel, data)`, any other reply (a subscription confirmed, a channel
unsubscribed, a PONG) through redis-py's own `PubSub.handle_message`, which keeps its record of the
subscriptions, to `on_event`.

The connection is watched here too: a PING every health check, and a connection silent for
SILENT_CHECKS of them is half-open and given up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from hiredis import PushNotification
from redis._parsers import _AsyncHiredisParser
from redis._parsers.hiredis import NOT_ENOUGH_DATA
from redis.asyncio.client import PubSub

SILENT_CHECKS = 3
"""A connection silent for this many health checks is half-open: it is replaced."""

PUBLISHED = (b"message", b"smessage")
"""The kinds of reply that carry a published message (classic and shard channels)."""

OnMessage = Callable[[bytes, bytes], None]
"""Called with (channel, data) for every published message."""
OnEvent = Callable[[dict], None]
"""Called with redis-py's dict (`type`, `channel`, `data`) for every other reply."""


class BufferedReplies:
    """The replies of one pub/sub connection, taken a batch at a time.

    redis-py has no public call for the replies its parser already holds, so this reads the
    hiredis Reader of the connection's parser (the hub's clients always parse with hiredis)."""

    def __init__(self, pubsub: PubSub) -> None:
        parser = pubsub.connection._parser
        if not isinstance(parser, _AsyncHiredisParser):
            raise TypeError(f"pub/sub needs redis-py's hiredis parser, not {type(parser).__name__}")
        self._parser = parser
        self._reader = parser._reader

    async def next_batch(self, timeout: float) -> list:
        """Every reply complete in the buffer; when there is none, those the socket's next data
        completes, waited for at most `timeout` (then none). A reply Redis sent as an error is
        returned as the exception, in its place. Raises ConnectionError when the connection was
        closed or replaced, OSError when it failed. Safe to cancel: data read stays buffered."""
        if self._parser._reader is not self._reader:
            # redis-py reconnected it (a subscribe after a failed write): messages were missed.
            raise ConnectionError("the Redis pub/sub connection was reset")
        replies = self._buffered()
        if replies:
            return replies
        try:
            async with asyncio.timeout(timeout):
                await self._parser.read_from_socket()
        except TimeoutError:
            return []
        return self._buffered()

    def _buffered(self) -> list:
        replies = []
        reply = self._reader.gets()
        while reply is not NOT_ENOUGH_DATA:
            replies.append(reply)
            reply = self._reader.gets()
        return replies


async def pump(pubsub: PubSub, interval: float, on_message: OnMessage, on_event: OnEvent,
               keep_going: Callable[[], bool] = lambda: True) -> None:
    """Hand every reply of `pubsub` on, in the order Redis sent them, while `keep_going()` (asked
    after each batch). PING every `interval`; raise ConnectionError when Redis stays silent for
    SILENT_CHECKS intervals, and the error Redis answered a command with (a MOVED, say) once the
    replies before it are handed on. Safe to cancel."""
    if not keep_going():
        return  # nothing to hold, so nothing may have been subscribed (no connection yet)
    replies = BufferedReplies(pubsub)
    loop = asyncio.get_running_loop()
    last_heard = next_ping = loop.time()
    while keep_going():
        batch = await replies.next_batch(interval)
        now = loop.time()
        if batch:
            last_heard = now
            await dispatch(pubsub, batch, on_message, on_event)
        if now - last_heard > SILENT_CHECKS * interval:
            raise ConnectionError("no reply from Redis within three health checks")
        if now >= next_ping:
            await pubsub.ping()
            next_ping = now + interval


async def dispatch(pubsub: PubSub, replies: list, on_message: OnMessage, on_event: OnEvent) -> None:
    """Each reply in turn: a published message to `on_message`, any other through redis-py's push
    handlers (maintenance notices) and `PubSub.handle_message` to `on_event`; an error is raised."""
    for reply in replies:
        if isinstance(reply, list) and reply and reply[0] in PUBLISHED:
            on_message(reply[1], reply[2])
            continue
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, PushNotification):
            reply = await pubsub.connection._parser.handle_push_response(reply)
        event = await pubsub.handle_message(reply)
        if event is not None:
            on_event(event)
