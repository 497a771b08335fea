"""A client for services: send drafts through a hub's service API, with retries that never
deliver twice (`HubClient` for blocking code, `AsyncHubClient` for asyncio).

Needs only the base package (`pip install notifyhub`): importing it loads no server, Redis,
metrics or settings library.
"""

from __future__ import annotations

from .aio import AsyncHubClient
from .connection import DEFAULT_URL, SERVICE_KEY_VARIABLE, URL_VARIABLE
from .errors import HubError, HubRefusedError, HubUnavailableError
from .requests import BatchItem, Sent
from .retry import RetryPolicy
from .sync import HubClient

__all__ = ["DEFAULT_URL", "SERVICE_KEY_VARIABLE", "URL_VARIABLE", "AsyncHubClient", "BatchItem", "HubClient",
           "HubError", "HubRefusedError", "HubUnavailableError", "RetryPolicy", "Sent"]
