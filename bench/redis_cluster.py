"""The Redis the capacity scenario runs on: one redis-server, or a Redis Cluster of 1 to N masters
without replicas, every node a redis-server of the harness's own on loopback.

`redis-cli --cluster create` wants at least three masters; the cluster is built by hand instead
(each node is given an equal range of the 16,384 slots, then the first node meets the others),
so that one and two masters can be measured too. Every wait is bounded by `SETTLE_SECONDS`.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

from bench.processes import HOST, free_port, running_redis

SLOTS = 16384
SETTLE_SECONDS = 30.0


@dataclass(frozen=True)
class RedisNode:
    url: str
    pid: int


@contextlib.contextmanager
def running_redis_nodes(masters: int, log_dir: Path, cpus: set[int] | None = None) -> Iterator[list[RedisNode]]:
    """`masters` = 0: one plain redis-server; else a cluster of that many masters. Yields its nodes,
    the first being the one to give a hub (NOTIFYHUB_REDIS_URL); every node is stopped at the end."""
    with contextlib.ExitStack() as stack:
        if masters == 0:
            url, pid = stack.enter_context(running_redis(log_dir / "redis.log", cpus))
            yield [RedisNode(url, pid)]
            return
        directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="notifyhub-bench-cluster-"))
        nodes, bus_ports = [], []
        for index in range(masters):
            bus_ports.append(free_port())
            node_dir = Path(directory) / str(index)
            node_dir.mkdir()
            url, pid = stack.enter_context(running_redis(
                log_dir / f"redis-cluster-{index}.log", cpus,
                ("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--dir", str(node_dir),
                 "--cluster-port", str(bus_ports[-1]), "--cluster-announce-ip", HOST)))
            nodes.append(RedisNode(url, pid))
        _join(nodes, bus_ports)
        yield nodes


def _join(nodes: list[RedisNode], bus_ports: list[int]) -> None:
    """Give node i the i-th equal range of slots, have the first node meet the others, and wait
    until every node sees all of them and calls the cluster ok."""
    clients = [redis.Redis.from_url(node.url, socket_timeout=5) for node in nodes]
    try:
        for index, client in enumerate(clients):
            first, last = SLOTS * index // len(nodes), SLOTS * (index + 1) // len(nodes) - 1
            client.execute_command("CLUSTER", "ADDSLOTSRANGE", first, last)
        for client, bus_port in zip(clients[1:], bus_ports[1:], strict=True):
            port = client.connection_pool.connection_kwargs["port"]
            clients[0].execute_command("CLUSTER", "MEET", HOST, port, bus_port)
        deadline = time.monotonic() + SETTLE_SECONDS
        while not all(_sees_whole_cluster(client, len(nodes)) for client in clients):
            if time.monotonic() > deadline:
                raise TimeoutError(f"a cluster of {len(nodes)} masters did not become ok in {SETTLE_SECONDS} s")
            time.sleep(0.05)
    finally:
        for client in clients:
            client.close()


def _sees_whole_cluster(client: redis.Redis, masters: int) -> bool:
    info = client.cluster("info")
    return info["cluster_state"] == "ok" and int(info["cluster_known_nodes"]) == masters
