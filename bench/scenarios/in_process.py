"""E: the same random sends made inside the server through its own API (notifyhub: hub.send_to_user)."""

from __future__ import annotations

from bench.session import Session
from bench.sizes import Sizes


def run(session: Session, sizes: Sizes) -> None:
    with session.step("E", "in-process") as usage:
        result = session.client.call("inProcess", messages=sizes.in_process_messages,
                                     timeoutS=sizes.step_timeout_seconds)
    session.check("E", "in-process", result)
    session.sample("E", "us_per_delivery_in_process", usage.server_us_per(result["expected"]))
