"""Which fallback channels a hub sends through, built from its settings: the one place a
channel is wired in."""

from __future__ import annotations

from ..metrics import HubMetrics
from ..settings import Settings
from .channel import FallbackChannel
from .push import PushChannel
from .push_store import PushStore
from .schedule import FallbackSchedule
from .webhook import WebhookChannel


def build_channels(settings: Settings, schedule: FallbackSchedule, push_store: PushStore,
                   metrics: HubMetrics) -> dict[str, FallbackChannel]:
    """Every configured channel by name: `push` when NOTIFYHUB_VAPID_PRIVATE_KEY is set (its
    sent records in `push_store`), `webhook` when NOTIFYHUB_WEBHOOK_URL is (its markers in
    `schedule`)."""
    channels: dict[str, FallbackChannel] = {}
    push = PushChannel.configured(settings, push_store, metrics)
    if push is not None:
        channels[push.name] = push
    if settings.webhook_url:
        channels["webhook"] = WebhookChannel(
            settings.webhook_url, settings.webhook_secret.get_secret_value(), schedule, metrics,
            timeout=settings.webhook_timeout_seconds, attempts=settings.webhook_attempts,
            backoff_cap=settings.webhook_backoff_cap_seconds)
    return channels
