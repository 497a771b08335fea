"""What tools read from a running hub: Prometheus metrics as Prometheus users expect them, and
an AsyncAPI document whose server is the address the hub really serves."""

from __future__ import annotations

import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families
from websockets.exceptions import InvalidStatus

from tests.support.hubs import RunningHub, connect_client

PROCESS_METRICS = {"process_resident_memory_bytes", "process_cpu_seconds", "process_open_fds",
                   "process_max_fds", "process_start_time_seconds", "python_info",
                   "python_gc_collections", "python_gc_objects_collected"}
"""What the standard process, platform and GC collectors expose (counter names without _total)."""


async def test_metrics_have_the_process_metrics_and_no_created_series(hub: RunningHub) -> None:
    """A scrape parses as Prometheus text, has the process, Python and GC metrics beside the
    hub's own (which keep their names), and no `_created` series."""
    with pytest.raises(InvalidStatus):  # counted in notifyhub_connection_errors_total
        await hub.connect(token="not-a-token")
    await hub.connect(uuid.uuid4())
    body = (await hub.get("/metrics")).text
    families = {family.name: family for family in text_string_to_metric_families(body)}
    assert PROCESS_METRICS <= families.keys()
    samples = {sample.name for family in families.values() for sample in family.samples}
    assert {"notifyhub_connections", "notifyhub_connected_users", "notifyhub_connection_errors_total",
            "notifyhub_frames_delivered_total", "notifyhub_send_latency_seconds_bucket"} <= samples
    assert [name for name in samples if name.endswith("_created")] == []
    assert families["process_resident_memory_bytes"].samples[0].value > 0


async def test_asyncapi_names_the_address_the_hub_serves(hub: RunningHub) -> None:
    """The AsyncAPI document served by a hub on a free port names that port as its one server,
    and a client that follows it (protocol, host, channel address) is connected."""
    document = (await hub.get("/api/v1/asyncapi.json", key=None)).json()
    [server] = document["servers"].values()
    assert (server["protocol"], server["host"]) == ("ws", f"127.0.0.1:{hub.port}")
    address = document["channels"]["userStream"]["address"]
    url = f"{server['protocol']}://{server['host']}{server.get('pathname', '')}{address}"
    client = await connect_client(url, hub.token())
    try:
        assert (await client.receive())["type"] == "connection_established"
    finally:
        await client.close()


async def test_asyncapi_names_the_public_url_when_one_is_set(start_hub) -> None:
    """Behind a proxy, NOTIFYHUB_PUBLIC_URL is the server the document names: its host, its
    scheme as ws/wss, and its path prefix."""
    hub = await start_hub(public_url="https://notify.example.com/realtime/")
    document = (await hub.get("/api/v1/asyncapi.json", key=None)).json()
    assert document["servers"] == {"notifyhub": {"host": "notify.example.com", "protocol": "wss",
                                                 "pathname": "/realtime",
                                                 "description": "NOTIFYHUB_PUBLIC_URL"}}
