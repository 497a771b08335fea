"""Which fallback channels a hub sends through, built from its settings: the one place a new
channel is wired in."""

from __future__ import annotations

from ..metrics import HubMetrics
from ..settings import Settings
from .channel import FallbackChannel
from .schedule import FallbackSchedule
from .webhook import WebhookChannel


def configured_channels(settings: Settings) -> set[str]:
    """The names of the channels these settings configure (`webhook` when NOTIFYHUB_WEBHOOK_URL
    is set)."""
    return {"webhook"} if settings.webhook_url else set()


def build_channels(settings: Settings, schedule: FallbackSchedule, metrics: HubMetrics) -> dict[str, FallbackChannel]:
    """Every configured channel by name; each keeps its sent markers in `schedule`."""
    channels: dict[str, FallbackChannel] = {}
    if "webhook" in configured_channels(settings):
        channels["webhook"] = WebhookChannel(
            settings.webhook_url, settings.webhook_secret.get_secret_value(), schedule, metrics,
            timeout=settings.webhook_timeout_seconds, attempts=settings.webhook_attempts,
            backoff_cap=settings.webhook_backoff_cap_seconds)
    return channels
