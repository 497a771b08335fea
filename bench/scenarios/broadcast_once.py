"""B: one broadcast to all N open connections, waited for in full, a few times per round."""

from __future__ import annotations

from bench.session import Session
from bench.sizes import Sizes


def run(session: Session, sizes: Sizes) -> None:
    for _ in range(sizes.broadcasts_per_round):
        with session.step("B", "broadcast") as usage:
            result = session.client.call("broadcast", messages=1, timeoutS=sizes.step_timeout_seconds)
        session.check("B", "broadcast", result)
        session.sample("B", "us_per_frame_broadcast_once", usage.server_us_per(result["expected"]))
        session.sample("B", "ms_to_last_receipt", result["latencyMs"]["max"])
        session.sample("B", "ms_p50_receipt", result["latencyMs"]["p50"])
        session.sample("B", "ms_p99_receipt", result["latencyMs"]["p99"])
