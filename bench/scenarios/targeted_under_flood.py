"""H: D's single targeted sends, timed once quiet and once while other connections flood the server.

Both steps run on the same connections of the same session, one right after the other, so the
difference between them is the flood's alone. Each flooder (a user of its own, holding no
connection that is measured) sends `{"type":"ping"}` as fast as its socket takes it; what it gets
back is not checked, but every flooder must still be flooding when the timed sends end.
"""

from __future__ import annotations

import time

from bench.session import Session
from bench.sizes import Sizes

FLOOD_SETTLE_SECONDS = 0.5
"""Let the flood fill the socket buffers and the server settle into its answer to it (notifyhub:
pausing the flooders' sockets) before the first timed publish."""

SEND_SHARE_OF_STEP_TIMEOUT = 1 / 3
"""Publishing stops after this share of the step timeout, even if not all sends went out: a server
that a flood slows to hundreds of ms per publish would otherwise take many minutes. The wait for
deliveries (up to the step timeout) comes on top, and the whole still fits the flood's deadline and
the harness's wait for the load client's answer."""

FLOOD_FRAMES_PER_CONNECTION = 5_000_000
"""A flooder's budget (about 100 MB of frames): more than any server reads in one step, so it bounds
the flood without ending it early; the flood's deadline bounds its time."""


def run(session: Session, sizes: Sizes) -> None:
    quiet = _timed_sends(session, sizes, "quiet")
    session.sample("H", "us_per_single_publish", quiet["us_per_publish"])
    session.sample("H", "ms_p50_targeted", quiet["latencyMs"]["p50"])
    session.sample("H", "ms_p99_targeted", quiet["latencyMs"]["p99"])

    started = session.client.call("floodStart", connections=sizes.flood_connections,
                                  maxFrames=FLOOD_FRAMES_PER_CONNECTION,
                                  maxSeconds=FLOOD_SETTLE_SECONDS + 2 * sizes.step_timeout_seconds,
                                  timeoutS=sizes.step_timeout_seconds)
    try:
        time.sleep(FLOOD_SETTLE_SECONDS)
        flooded = _timed_sends(session, sizes, "flood")
    finally:
        flood = session.client.call("floodStop")
    session.check("H", "flooders", {"expected": sizes.flood_connections,
                                    "delivered": started["opened"] - flood["stoppedEarly"],
                                    "complete": started["failed"] == 0 and flood["stoppedEarly"] == 0})
    session.sample("H", "us_per_single_publish_flood", flooded["us_per_publish"])
    session.sample("H", "ms_p50_targeted_flood", flooded["latencyMs"]["p50"])
    session.sample("H", "ms_p99_targeted_flood", flooded["latencyMs"]["p99"])
    session.sample("H", "ms_p50_flood_delay", flooded["latencyMs"]["p50"] - quiet["latencyMs"]["p50"])
    session.sample("H", "publishes_flood", flooded["requests"])
    if flood["seconds"]:
        session.sample("H", "flood_frames_per_second", flood["frames"] / flood["seconds"])


def _timed_sends(session: Session, sizes: Sizes, step: str) -> dict:
    """D's single step: one message per publish request, each to a random user, checked in full;
    bounded in time as well as in count."""
    with session.step("H", step) as usage:
        result = session.client.call("targeted", messages=sizes.targeted_single, perRequest=1,
                                     maxSeconds=SEND_SHARE_OF_STEP_TIMEOUT * sizes.step_timeout_seconds,
                                     timeoutS=sizes.step_timeout_seconds)
    session.check("H", step, result)
    return {**result, "us_per_publish": usage.server_us_per(result["requests"])}
