"""A real Redis Cluster for tests: three masters with one replica each, on loopback ports of
their own, in temporary directories; started and stopped by the test that uses it.

Its nodes can be failed over (CLUSTER FAILOVER sent to a replica), killed (SIGKILL; the replica
takes over after `NODE_TIMEOUT_MS`), paused, and cut off from replication.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import redis

from tests.support.redis_server import RedisProcess, free_port

MASTERS = 3
NODE_TIMEOUT_MS = 1000
"""How long a master may be unreachable before its replica is promoted: small, so a test that
kills a master waits about two seconds, not fifteen."""
SETTLE_SECONDS = 30
MAX_NODE_PORT = 55535


@dataclass
class RedisClusterProcesses:
    """Six `redis-server --cluster-enabled yes` processes joined into one cluster."""

    nodes: list[RedisProcess] = field(default_factory=list)

    @property
    def url(self) -> str:
        """A seed node's URL, as a hub is given it (with NOTIFYHUB_REDIS_CLUSTER=true)."""
        return self.nodes[0].url

    def client(self, node: RedisProcess) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=node.port, socket_timeout=5)

    def cluster_client(self) -> redis.RedisCluster:
        return redis.RedisCluster.from_url(self.live_nodes()[0].url)

    def live_nodes(self) -> list[RedisProcess]:
        return [node for node in self.nodes if node.process is not None and node.process.poll() is None]

    def node_on(self, port: int) -> RedisProcess:
        return next(node for node in self.nodes if node.port == port)

    def master_of(self, key: str) -> RedisProcess:
        """The master that owns `key`'s slot now, as the cluster says."""
        with contextlib.closing(self.cluster_client()) as client:
            return self.node_on(client.get_node_from_key(key).port)

    def replica_of(self, master: RedisProcess) -> RedisProcess:
        with contextlib.closing(self.client(master)) as client:
            replicas = client.info("replication")
        return self.node_on(int(replicas["slave0"]["port"]))

    def role(self, node: RedisProcess) -> str:
        with contextlib.closing(self.client(node)) as client:
            return client.info("replication")["role"]

    def fail_over_to(self, replica: RedisProcess, *options: str) -> None:
        """Promote `replica` (CLUSTER FAILOVER [FORCE|TAKEOVER]) and wait until every live node
        agrees on it."""
        with contextlib.closing(self.client(replica)) as client:
            client.execute_command("CLUSTER", "FAILOVER", *options)
        self.wait_until_master(replica)

    def kill(self, node: RedisProcess) -> None:
        """SIGKILL a node, as a crashed host: what it had not replicated is lost."""
        node.stop()

    def wait_until_master(self, node: RedisProcess) -> None:
        """Until `node` is a master and every live node's view of the cluster is healthy."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while not (self.role(node) == "master" and self._healthy()):
            if time.monotonic() > deadline:
                raise RuntimeError(f"node {node.port} did not become master of a healthy cluster")
            time.sleep(0.05)

    def _healthy(self) -> bool:
        """Every live node says the cluster is ok and names the same masters, all of them alive."""
        live_ports = {node.port for node in self.live_nodes()}
        views = []
        for node in self.live_nodes():
            with contextlib.closing(self.client(node)) as client:
                if client.cluster("info")["cluster_state"] != "ok":
                    return False
                nodes = client.cluster("nodes")
            masters = {int(address.split(":")[1].split("@")[0]) for address, info in nodes.items()
                       if "master" in info["flags"] and "fail" not in info["flags"] and info["slots"]}
            views.append(masters)
        return all(view == views[0] and view <= live_ports for view in views)

    def wait_until_replicated(self) -> None:
        """Until every live replica's link to its master is up and has caught up."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while not all(self._caught_up(node) for node in self.live_nodes() if self.role(node) == "slave"):
            if time.monotonic() > deadline:
                raise RuntimeError("replicas did not catch up")
            time.sleep(0.05)

    def _caught_up(self, replica: RedisProcess) -> bool:
        with contextlib.closing(self.client(replica)) as client:
            info = client.info("replication")
        if info.get("master_link_status") != "up":
            return False
        with contextlib.closing(redis.Redis(host="127.0.0.1", port=int(info["master_port"]))) as master:
            return int(master.info("replication")["master_repl_offset"]) <= int(info["slave_repl_offset"])

    def cut_replication(self, master: RedisProcess, replica: RedisProcess) -> None:
        """Freeze the replica (SIGSTOP) and have the master drop its link: what the master
        writes from now on reaches no replica (`replica.resume()` lets it run again)."""
        replica.pause()
        with contextlib.closing(self.client(master)) as client:
            client.client_kill_filter(_type="replica")

    def start_again(self, node: RedisProcess) -> None:
        """Start a killed node on its port with its cluster file: it rejoins (as a replica)."""
        node.start()


def _node_port() -> int:
    """A free port a cluster node accepts (at most 55535: Redis refuses higher ones)."""
    while (port := free_port()) > MAX_NODE_PORT:
        pass
    return port


def _create(nodes: list[RedisProcess]) -> None:
    addresses = [f"127.0.0.1:{node.port}" for node in nodes]
    subprocess.run(["redis-cli", "--cluster", "create", *addresses, "--cluster-replicas", "1", "--cluster-yes"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)


@contextlib.contextmanager
def started_cluster() -> Iterator[RedisClusterProcesses]:
    for program in ("redis-server", "redis-cli"):
        if shutil.which(program) is None:
            raise FileNotFoundError(f"{program} is not on PATH")
    with tempfile.TemporaryDirectory(prefix="notifyhub-cluster-") as directory:
        cluster = RedisClusterProcesses()
        try:
            for index in range(MASTERS * 2):
                node_directory = f"{directory}/{index}"
                subprocess.run(["mkdir", node_directory], check=True)
                node = RedisProcess(_node_port(), node_directory, options=(
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-port", str(free_port()),
                    "--cluster-node-timeout", str(NODE_TIMEOUT_MS), "--enable-debug-command", "local"))
                cluster.nodes.append(node)
                node.start()
            _create(cluster.nodes)
            cluster.wait_until_master(cluster.nodes[0])
            cluster.wait_until_replicated()
            yield cluster
        finally:
            for node in cluster.nodes:
                if node.process is not None and node.process.poll() is None:
                    node.resume()
                node.stop()


@contextlib.contextmanager
def own_cluster() -> Iterator[RedisClusterProcesses]:
    """A Redis Cluster of the caller alone; the test is skipped when none can be started
    (failed under NOTIFYHUB_REQUIRE_REDIS=1)."""
    import pytest

    from tests.support.redis_server import redis_required

    try:
        with started_cluster() as cluster:
            yield cluster
    except FileNotFoundError as exc:
        if redis_required():
            pytest.fail(f"NOTIFYHUB_REQUIRE_REDIS=1 but {exc}")
        pytest.skip(f"REDIS TESTS SKIPPED: {exc}")
