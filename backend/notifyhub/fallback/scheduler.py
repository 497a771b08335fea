"""The fallback scheduler: every NOTIFYHUB_FALLBACK_POLL_SECONDS each hub claims the messages
that came due (a batch at a time, under a lease), and for each one either drops it, when the
user acknowledged it in time, or sends it through its type's configured channels, then completes
it. Any number of hubs run one each over a shared schedule; the lease keeps them apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping

from ..backends.base import BackendUnavailableError
from ..delivery_policy import Policies, policy_of
from ..metrics import HubMetrics
from ..settings import Settings
from .channel import FallbackChannel
from .schedule import DueEntry, FallbackSchedule, Verdict, verdict

logger = logging.getLogger(__name__)


class FallbackScheduler:
    """Claims due entries and settles each: acknowledged (dropped, counted) or sent.

    `channels` are the configured ones by name; a message goes through those of them its type's
    policy names, all at once. An entry is completed only once it is settled: a hub
    that stops or is killed before leaves it to come due again when its lease ends."""

    def __init__(self, schedule: FallbackSchedule, channels: Mapping[str, FallbackChannel],
                 policies: Callable[[], Policies], settings: Settings, metrics: HubMetrics) -> None:
        self.schedule = schedule
        self.channels = dict(channels)
        self._policies = policies
        self._poll = settings.fallback_poll_seconds
        self._lease = settings.fallback_lease_seconds
        self._batch = settings.fallback_batch_size
        self._metrics = metrics
        self._stopping = asyncio.Event()
        self._task: asyncio.Task | None = None

    @property
    def configured(self) -> bool:
        """Whether any channel is configured. Without one, due messages are dropped unsent (they
        are scheduled all the same: a Publisher cannot know what the hubs have configured)."""
        return bool(self.channels)

    def channels_for(self, message_type: str) -> list[FallbackChannel]:
        """The configured channels the type's policy names, in the policy's order."""
        fallback = policy_of(self._policies(), message_type).fallback
        names = () if fallback is None else fallback.channels
        return [self.channels[name] for name in names if name in self.channels]

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="notifyhub-fallback-scheduler")

    async def stop(self, timeout: float) -> None:
        """Claim nothing more; let the sends under way finish for up to `timeout`, then cancel
        them (their entries come due again after the lease; a channel skips a recipient it had
        reached). Then close the channels."""
        self._stopping.set()
        if self._task is not None:
            await asyncio.wait([self._task], timeout=timeout)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for channel in self.channels.values():
            close = getattr(channel, "aclose", None)
            if close is not None:
                await close()

    async def run(self) -> None:
        """Poll until `stop`: right away again after a full batch, else after the poll interval.
        A backend that cannot be reached, or any other failure of a claim, is logged and tried
        again at the next poll."""
        while not self._stopping.is_set():
            try:
                claimed = await self.run_once()
            except BackendUnavailableError as exc:
                logger.warning("could not claim due fallbacks: %s", exc)
                claimed = 0
            except Exception:  # a fault of one batch must not end fallbacks for the hub's life
                logger.exception("claiming due fallbacks failed; trying again at the next poll")
                claimed = 0
            if claimed < self._batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._poll)

    async def run_once(self) -> int:
        """Claim one batch of due entries and settle them all (concurrently); return how many
        were claimed. Raises BackendUnavailableError when the claim fails."""
        entries = await self.schedule.claim_due(self._batch, self._lease)
        if entries:
            await asyncio.gather(*(self._settle(entry) for entry in entries))
        return len(entries)

    async def _send(self, entry: DueEntry) -> None:
        """Send through every channel the type names, all at once, and count each outcome. Raises
        a channel's failure once all of them ended: the entry then stays, to come due again, and
        a channel that did send skips its recipients then."""
        delivery = entry.delivery()
        channels = self.channels_for(delivery.message_type)
        outcomes = await asyncio.gather(*(channel.send(delivery) for channel in channels), return_exceptions=True)
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        for channel, outcome in zip(channels, outcomes):
            if not isinstance(outcome, BaseException):
                self._metrics.fallback_outcome(channel.name, outcome)
        if failures:
            raise failures[0]

    async def _settle(self, entry: DueEntry) -> None:
        """Never raises but for cancellation: a failure leaves the entry claimed, to come due again."""
        try:
            if verdict(entry, await self.schedule.stream_state(entry.user_id)) is Verdict.ACKED:
                self._metrics.fallback_acknowledged.inc()
            else:
                await self._send(entry)
            await self.schedule.complete(entry)
        except BackendUnavailableError as exc:
            logger.warning("fallback of %s left for later: %s", entry.name, exc)
        except Exception:
            logger.exception("fallback of %s failed; it comes due again after its lease", entry.name)
