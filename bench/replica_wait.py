"""What waiting for a replica costs a publish on a Redis Cluster: `python -m bench.replica_wait`.

Starts a three-master cluster with one replica each on loopback (tests/support/redis_cluster.py),
then sends the same publishes through `notifyhub.Publisher` with NOTIFYHUB_REDIS_WAIT_REPLICAS
0 and 1, one at a time (latency) and 50 at a time (throughput), and prints the figures.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid

from notifyhub import Publisher
from notifyhub.settings import Settings
from notifyhub_protocol import new_notification_message

from tests.support.redis_cluster import started_cluster
from tests.support.redis_server import unique_prefix

SEQUENTIAL = 2000
CONCURRENT = 50
BATCHES = 40


async def measure(url: str, wait_replicas: int) -> dict[str, float]:
    settings = Settings(backend="redis", redis_cluster=True, redis_url=url, redis_prefix=unique_prefix(),
                        redis_wait_replicas=wait_replicas)
    message = new_notification_message(title="t", message="m", level="info")
    users = [uuid.uuid4() for _ in range(CONCURRENT)]
    async with Publisher(settings=settings) as publisher:
        for user in users:  # connections to every master opened, scripts loaded
            await publisher.send_to_user(user, message)
        latencies = []
        for index in range(SEQUENTIAL):
            started = time.perf_counter()
            await publisher.send_to_user(users[index % CONCURRENT], message)
            latencies.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(BATCHES):
            await asyncio.gather(*(publisher.send_to_user(user, message) for user in users))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"p50_ms": statistics.median(latencies) * 1000, "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
            "per_second": CONCURRENT * BATCHES / elapsed}


def main() -> None:
    with started_cluster() as cluster:
        for wait_replicas in (0, 1, 0, 1):  # twice each, alternating, to see the noise
            figures = asyncio.run(measure(cluster.url, wait_replicas))
            print(f"NOTIFYHUB_REDIS_WAIT_REPLICAS={wait_replicas}: one at a time p50 {figures['p50_ms']:.2f} ms, "
                  f"p99 {figures['p99_ms']:.2f} ms; {CONCURRENT} at a time {figures['per_second']:.0f} publishes/s")


if __name__ == "__main__":
    main()
