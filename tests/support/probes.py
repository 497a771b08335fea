"""Probing a hub as an orchestrator does: GET a probe until it gives the status waited for."""

from __future__ import annotations

import asyncio

import httpx

PROBE_INTERVAL_SECONDS = 0.05


async def probe_until(base_url: str, path: str, status: int, timeout: float = 10.0,
                      answer_within: float = 3.0) -> httpx.Response:
    """GET path until it answers `status`; return that answer.

    Each answer must come within `answer_within` seconds (httpx.TimeoutException otherwise: a
    probe must never hang); raises TimeoutError when `status` has not come within `timeout`."""
    async with httpx.AsyncClient(base_url=base_url, timeout=answer_within) as http, asyncio.timeout(timeout):
        while True:
            response = await http.get(path)
            if response.status_code == status:
                return response
            await asyncio.sleep(PROBE_INTERVAL_SECONDS)  # a probe's period, not synchronisation
