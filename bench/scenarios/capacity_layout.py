"""One layout of the capacity run: H hubs over one Redis or a cluster of S masters, measured.

The hubs (`notifyhub serve`, JWT and validation on) share one Redis prefix; the load client spreads
the connections over them (two per user, a user's tabs on different hubs when there are several)
and its publishers over their HTTP APIs. After an unmeasured warm-up, each step is timed and the
CPU of every hub and every redis-server is read apart:

- open: the connections, 100 handshakes in flight (CPU per connection; RSS per connection per hub;
  Redis memory per connection);
- single / batched: targeted publishes, one message per request and then batches, at a bounded
  rate for a bounded time (CPU per delivery, latency);
- broadcast: a few broadcasts to every connection (on a cluster, classic pub/sub reaches every node).

Afterwards, Redis memory per stored message, the bytes of a sample of history streams and of
publish tokens, and the bytes per entry of one stream holding a full default history (`MEMORY
USAGE`). Every delivery is checked by the load client; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import redis

from bench.loadclient import LoadClient
from bench.measure import Usage, measured
from bench.procstat import rss_bytes
from bench.processes import Server
from bench.recorder import Recorder
from bench.redis_cluster import RedisNode, running_redis_nodes
from bench.peers.contract import notification
from bench.servers import NOTIFYHUB, SERVICE_KEY
from bench.session import CLIENT_CPUS, SERVER_CPUS, RunContext, started
from bench.soak import delivered_exactly

SETTLE_SECONDS = 1.0
"""Let the hubs finish what opening queued before reading their RSS."""
OPEN_CONCURRENCY = 100
PUBLISHERS = 6
"""Publish requests in flight: a multiple of 1, 2 and 3, so every hub gets as many publishers."""
RATE_CUT_OFF = 2.0
"""A step stops publishing after this many times its planned duration (a hub slower than the rate)."""
KEYS_SAMPLED = 200
"""History streams and publish tokens whose MEMORY USAGE is read, at most, per kind."""
SCAN_CALLS = 200
"""At most this many SCAN calls per node while sampling keys."""
REDIS_POOL_SIZE = 400
"""NOTIFYHUB_REDIS_POOL_SIZE of every hub, as in the published run. Each handshake writes the hub's
two registry keys at once, so 100 handshakes in flight use more than the default 100 connections;
with fewer they wait for a free one (up to NOTIFYHUB_REDIS_POOL_TIMEOUT_SECONDS) and open slower."""
FULL_HISTORY = 1000
"""Messages in the stream whose bytes per entry are read: NOTIFYHUB_HISTORY_MAX_MESSAGES' default."""
HISTORY_BATCH = 100
ANCHOR_USERS_PER_SHARD = 16
"""Idle users opened first over a cluster (see `_anchor`). Each hub holds tabs of at least two thirds
of them (a user's two tabs sit on two hubs), so with 16 random users per master the chance that some
hub holds none on some master is under 0.01% for up to 3 hubs and 3 masters."""


@dataclass(frozen=True)
class Layout:
    hubs: int
    shards: int
    """0: one redis-server (classic pub/sub); else a Redis Cluster of that many masters (sharded pub/sub)."""

    @property
    def name(self) -> str:
        redis_part = "single Redis" if self.shards == 0 else f"cluster of {self.shards}"
        return f"{self.hubs} hub{'s' if self.hubs > 1 else ''}, {redis_part}"


@dataclass(frozen=True)
class Traffic:
    connections: int
    single_rate: int
    """Messages a second, one per publish request."""
    batched_rate: int
    """Messages a second, `batch_size` per publish request."""
    batch_size: int
    step_seconds: float
    broadcasts: int
    warm_up_connections: int
    warm_up_messages: int
    step_timeout_seconds: float = 60.0
    connections_per_user: int = 2


def measure(layout: Layout, traffic: Traffic, work_dir: Path) -> dict:
    """Start the layout, run its steps, stop everything (also on failure); the figures and checks."""
    context = RunContext(Recorder(), work_dir / f"{layout.hubs}h-{layout.shards}s")
    prefix = f"bench-capacity-{uuid.uuid4().hex[:12]}"
    with contextlib.ExitStack() as stack:
        nodes = stack.enter_context(running_redis_nodes(layout.shards, context.work_dir / "logs", SERVER_CPUS))
        spec = NOTIFYHUB.with_env(f"notifyhub-{layout.hubs}h-{layout.shards}s", NOTIFYHUB_BACKEND="redis",
                                  NOTIFYHUB_REDIS_URL=nodes[0].url, NOTIFYHUB_REDIS_PREFIX=prefix,
                                  NOTIFYHUB_REDIS_CLUSTER="true" if layout.shards else "false",
                                  NOTIFYHUB_REDIS_POOL_SIZE=str(REDIS_POOL_SIZE))
        hubs = [stack.enter_context(started(spec, context, f"-{index}")) for index in range(layout.hubs)]
        anchored = _anchor(stack.enter_context(LoadClient(CLIENT_CPUS)), hubs, layout.shards, traffic) \
            if layout.shards else 0
        client = stack.enter_context(LoadClient(CLIENT_CPUS))
        client.connect_to_hubs([hub.ws_url for hub in hubs], [hub.http_url for hub in hubs], PUBLISHERS)
        return _Steps(layout, traffic, hubs, nodes, client, prefix, anchored).run()


def _anchor(anchors: LoadClient, hubs: list[Server], shards: int, traffic: Traffic) -> int:
    """Over a cluster, open idle connections one at a time before anything else, and keep them open,
    so that every hub holds a pub/sub connection on every master from the start, as in the
    published run: the measured handshakes then never wait for a pub/sub connection to start.
    (A cold hub admits a burst as well: it subscribes each slot's channels in their own SSUBSCRIBE.)
    Returns how many connections it opened (they receive broadcasts too).
    """
    users = ANCHOR_USERS_PER_SHARD * shards
    anchors.connect_to_hubs([hub.ws_url for hub in hubs], [hub.http_url for hub in hubs])
    opened = anchors.call("open", connections=users * traffic.connections_per_user, users=users, concurrency=1,
                          timeoutS=traffic.step_timeout_seconds)
    if opened["failed"]:
        raise RuntimeError(f"{opened['failed']} anchoring connections were refused")
    return opened["opened"]


class _Steps:
    def __init__(self, layout: Layout, traffic: Traffic, hubs: list[Server], nodes: list[RedisNode],
                 client: LoadClient, prefix: str, anchored: int) -> None:
        self.layout, self.traffic, self.hubs, self.nodes, self.client = layout, traffic, hubs, nodes, client
        self.prefix, self.anchored = prefix, anchored
        self.result: dict = {"hubs": layout.hubs, "shards": layout.shards, "name": layout.name,
                             "connections": traffic.connections, "steps": {}, "checks": []}

    def run(self) -> dict:
        self._warm_up()
        hub_rss = [rss_bytes(hub.pid) for hub in self.hubs]
        redis_before = self._redis_used_memory()
        self._open()
        time.sleep(SETTLE_SECONDS)
        per_hub = self.traffic.connections / self.layout.hubs
        self.result["hub_base_rss_mb"] = [rss / 2**20 for rss in hub_rss]
        self.result["hub_kb_per_connection"] = [(rss_bytes(hub.pid) - before) / per_hub / 1024
                                                for hub, before in zip(self.hubs, hub_rss, strict=True)]
        redis_open = self._redis_used_memory()
        self.result["redis_bytes_per_connection"] = (redis_open - redis_before) / self.traffic.connections
        stored = self._targeted("single", self.traffic.single_rate, 1)
        stored += self._targeted("batched", self.traffic.batched_rate, self.traffic.batch_size)
        self.result["messages_stored"] = stored
        self.result["redis_bytes_per_stored_message"] = (self._redis_used_memory() - redis_open) / max(stored, 1)
        self.result["sampled_bytes"] = self._sampled_key_bytes()
        self.result["full_history_entry_bytes"] = self._full_history_entry_bytes()
        self._broadcasts()
        return self.result

    def _warm_up(self) -> None:
        """Unmeasured: connections opened on every hub, single and batched sends, a broadcast, all
        closed again (scripts loaded, pools and cluster layout filled, caches warm)."""
        traffic, call = self.traffic, self.client.call
        call("open", connections=traffic.warm_up_connections,
             users=max(1, traffic.warm_up_connections // traffic.connections_per_user),
             timeoutS=traffic.step_timeout_seconds)
        call("targeted", messages=traffic.warm_up_messages, perRequest=1, timeoutS=traffic.step_timeout_seconds)
        call("targeted", messages=traffic.warm_up_messages, perRequest=traffic.batch_size,
             timeoutS=traffic.step_timeout_seconds)
        call("broadcast", messages=1, timeoutS=traffic.step_timeout_seconds)
        call("close", timeoutS=traffic.step_timeout_seconds)

    def _open(self) -> None:
        traffic = self.traffic
        with self._measured() as usage:
            opened = self.client.call("open", connections=traffic.connections,
                                      users=traffic.connections // traffic.connections_per_user,
                                      concurrency=OPEN_CONCURRENCY, timeoutS=traffic.step_timeout_seconds)
        self._check("open", {"complete": not opened["failed"], "expected": traffic.connections,
                             "delivered": opened["opened"], "lost": opened["failed"]})
        self._record("open", usage, opened["opened"], {"per_second": opened["opened"] / opened["seconds"]})

    def _targeted(self, step: str, rate: int, per_request: int) -> int:
        """One rate-bounded step of targeted sends; returns how many messages were published."""
        traffic = self.traffic
        messages = int(rate * traffic.step_seconds)
        with self._measured() as usage:
            answer = self.client.call("targeted", messages=messages, perRequest=per_request, ratePerSecond=rate,
                                      maxSeconds=traffic.step_seconds * RATE_CUT_OFF,
                                      timeoutS=traffic.step_timeout_seconds)
        self._check(step, answer)
        self._record(step, usage, answer["delivered"], {
            "offered_messages_per_second": rate, "messages": answer["messages"], "per_request": per_request,
            "deliveries_per_second": answer["delivered"] / usage.wall_seconds,
            "ms_p50": answer["latencyMs"]["p50"], "ms_p99": answer["latencyMs"]["p99"]})
        return answer["messages"]

    def _broadcasts(self) -> None:
        with self._measured() as usage:
            answer = self.client.call("broadcast", messages=self.traffic.broadcasts,
                                      timeoutS=self.traffic.step_timeout_seconds)
        self._check("broadcast", answer)
        frames = answer["delivered"] + self.anchored * self.traffic.broadcasts  # the anchors get them too
        self._record("broadcast", usage, frames, {"broadcasts": self.traffic.broadcasts})

    @contextlib.contextmanager
    def _measured(self):
        with measured([hub.pid for hub in self.hubs] + [node.pid for node in self.nodes], self.client.pid) as usage:
            yield usage

    def _record(self, step: str, usage: Usage, count: int, extra: dict) -> None:
        """CPU µs per unit (connection, delivery) of each hub and each redis-server, apart."""
        per = (lambda pid: usage.cpu_by_pid[pid] * 1e6 / count) if count else (lambda pid: float("nan"))
        self.result["steps"][step] = {
            "count": count, "wall_seconds": usage.wall_seconds,
            "hub_us": [per(hub.pid) for hub in self.hubs], "redis_us": [per(node.pid) for node in self.nodes],
            "client_us": per(self.client.pid), **extra}

    def _check(self, step: str, answer: dict) -> None:
        ok = delivered_exactly(answer)
        keys = ("expected", "delivered", "lost", "duplicates", "reordered", "misrouted", "seqErrors",
                "publishFailures", "closedByServer")
        self.result["checks"].append({"step": step, "ok": ok, **{key: answer.get(key) for key in keys}})

    def _redis_used_memory(self) -> int:
        """used_memory summed over the nodes."""
        total = 0
        for node in self.nodes:
            with contextlib.closing(redis.Redis.from_url(node.url, socket_timeout=10)) as client:
                total += int(client.info("memory")["used_memory"])
        return total

    def _sampled_key_bytes(self) -> dict:
        """Mean MEMORY USAGE of a history entry (a stream's bytes over its length) and of a publish
        token, from up to KEYS_SAMPLED keys of each kind."""
        entry_bytes, token_bytes = [], []
        for node in self.nodes:
            with contextlib.closing(redis.Redis.from_url(node.url, socket_timeout=10)) as client:
                for key in _scanned(client, f"{self.prefix}:*:log", KEYS_SAMPLED - len(entry_bytes)):
                    if length := client.xlen(key):
                        entry_bytes.append(client.memory_usage(key, samples=0) / length)
                for key in _scanned(client, f"{self.prefix}:*:done:*", KEYS_SAMPLED - len(token_bytes)):
                    token_bytes.append(client.memory_usage(key))
        mean = (lambda values: sum(values) / len(values) if values else None)
        return {"history_entry": mean(entry_bytes), "publish_token": mean(token_bytes),
                "streams_sampled": len(entry_bytes), "tokens_sampled": len(token_bytes)}

    def _full_history_entry_bytes(self) -> float:
        """MEMORY USAGE per entry of a stream holding a full default history: FULL_HISTORY messages
        published (in batches, through the first hub) to a user with no connection."""
        user = str(uuid.uuid4())
        with httpx.Client(base_url=self.hubs[0].http_url, headers={"Authorization": f"Bearer {SERVICE_KEY}"},
                          timeout=self.traffic.step_timeout_seconds) as http:
            for first in range(0, FULL_HISTORY, HISTORY_BATCH):
                requests = [{"user_ids": [user], "message": notification(f"history:{n}")}
                            for n in range(first, first + HISTORY_BATCH)]
                http.post("/api/v1/messages/batch", json={"requests": requests}).raise_for_status()
        key = f"{self.prefix}:{{{user}}}:log"
        for node in self.nodes:
            with contextlib.closing(redis.Redis.from_url(node.url, socket_timeout=10)) as client:
                try:
                    return client.memory_usage(key, samples=0) / client.xlen(key)
                except redis.exceptions.MovedError:  # on a cluster, another master owns the user's slot
                    continue
        raise RuntimeError(f"no node owns {key}")


def _scanned(client: redis.Redis, pattern: str, limit: int) -> list[bytes]:
    """Up to `limit` keys matching pattern, in at most SCAN_CALLS calls."""
    keys: list[bytes] = []
    cursor = 0
    for _ in range(SCAN_CALLS):
        if len(keys) >= limit:
            break
        cursor, found = client.scan(cursor, match=pattern, count=1000)
        keys.extend(found)
        if cursor == 0:
            break
    return keys[:max(limit, 0)]
