"""Readiness: whether this hub should be given traffic now (`GET /readyz`), as opposed to
liveness (`GET /healthz`: the process serves requests at all).

A hub is not ready while it drains (its shutdown has started) or while its backend cannot be
reached or does not answer within `readiness_timeout_seconds`. Concurrent probes share one
check, so a burst of probes against a stalled Redis costs one PING, not one each.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Literal

from .backends.base import BackendUnavailableError
from .hub import Hub

logger = logging.getLogger(__name__)

NotReadyReason = Literal["draining", "backend_unavailable"]


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    """The answer of one check: ready, or the reason it is not and a sentence saying why."""

    reason: NotReadyReason | None = None
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.reason is None

    def body(self) -> dict[str, str]:
        """The JSON body of `/readyz`."""
        if self.ready:
            return {"status": "ready"}
        return {"status": "not_ready", "reason": self.reason, "detail": self.detail}


READY = ReadinessReport()


class Readiness:
    """Checks a hub's readiness, one backend check at a time, each bounded by `timeout`."""

    def __init__(self, hub: Hub, timeout: float) -> None:
        self._hub = hub
        self._timeout = timeout
        self._pending: asyncio.Task[ReadinessReport] | None = None
        self._was_ready = True

    async def check(self) -> ReadinessReport:
        """Never raises and never waits longer than the timeout. Safe to cancel: a shared check
        goes on for the other callers."""
        if self._hub.draining:
            return ReadinessReport("draining", "shutdown has started; connections are being closed")
        if self._pending is None:
            self._pending = asyncio.get_running_loop().create_task(self._check_backend(),
                                                                   name="notifyhub-readiness")
            self._pending.add_done_callback(self._forget_pending)
        return await asyncio.shield(self._pending)

    def _forget_pending(self, task: asyncio.Task[ReadinessReport]) -> None:
        if self._pending is task:
            self._pending = None

    async def _check_backend(self) -> ReadinessReport:
        try:
            async with asyncio.timeout(self._timeout):
                await self._hub.backend.check_health()
        except TimeoutError:
            report = ReadinessReport("backend_unavailable",
                                     f"the backend did not answer within {self._timeout:g} s")
        except BackendUnavailableError as error:
            report = ReadinessReport("backend_unavailable", error.detail)
            logger.debug("backend check failed", exc_info=error)
        else:
            report = READY
        self._log_change(report)
        return report

    def _log_change(self, report: ReadinessReport) -> None:
        """Log when readiness changes, not at every probe."""
        if report.ready != self._was_ready:
            if report.ready:
                logger.info("ready again: the backend answers")
            else:
                logger.warning("not ready: %s", report.detail)
        self._was_ready = report.ready
