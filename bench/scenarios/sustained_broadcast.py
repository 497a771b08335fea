"""C: broadcasts back to back to every open connection, one and ten messages per publish request."""

from __future__ import annotations

from bench.session import Session
from bench.sizes import Sizes


def run(session: Session, sizes: Sizes) -> None:
    for per_request in (1, 10):
        step = f"sustained-{per_request}"
        with session.step("C", step) as usage:
            result = session.client.call("broadcast", messages=sizes.sustained_messages, perRequest=per_request,
                                         timeoutS=sizes.step_timeout_seconds)
        session.check("C", step, result)
        session.sample("C", f"us_per_frame_sustained_{per_request}", usage.server_us_per(result["expected"]))
        if per_request == 1 and result["seconds"]:
            session.sample("C", "frames_per_second_sustained_1", result["delivered"] / result["seconds"])
