"""D: sends to random users over HTTP: one message per request, then batches of many."""

from __future__ import annotations

from bench.session import Session
from bench.sizes import Sizes


def run(session: Session, sizes: Sizes) -> None:
    with session.step("D", "single") as usage:
        single = session.client.call("targeted", messages=sizes.targeted_single, perRequest=1,
                                     timeoutS=sizes.step_timeout_seconds)
    session.check("D", "single", single)
    session.sample("D", "us_per_single_publish", usage.server_us_per(single["requests"]))
    session.sample("D", "ms_p50_targeted", single["latencyMs"]["p50"])
    session.sample("D", "ms_p99_targeted", single["latencyMs"]["p99"])

    with session.step("D", "batched") as usage:
        batched = session.client.call("targeted", messages=sizes.targeted_batched, perRequest=sizes.batch_size,
                                      timeoutS=sizes.step_timeout_seconds)
    session.check("D", "batched", batched)
    session.sample("D", "us_per_delivery_batched", usage.server_us_per(batched["expected"]))
