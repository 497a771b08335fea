"""What a service or a test imports stays light: the protocol, the service client and the hub's
pure modules load no server, Redis, metrics or settings library."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("uvicorn", "redis", "prometheus_client", "httptools", "fastapi", "starlette", "pydantic_settings")
LIGHT_MODULES = ["notifyhub_protocol", "notifyhub", "notifyhub.client", "notifyhub.cli", "notifyhub.publishing",
                 "notifyhub.messages", "notifyhub.wire", "notifyhub.frames", "notifyhub.connection",
                 "notifyhub.asyncapi"]


@pytest.mark.parametrize("module", LIGHT_MODULES)
def test_module_imports_no_server_redis_or_metrics_library(module: str) -> None:
    """Importing it in a fresh interpreter loads none of uvicorn, redis, prometheus_client,
    httptools, fastapi, starlette or pydantic_settings."""
    probe = (f"import sys, {module}; "
             f"print(' '.join(sorted({{n.split('.')[0] for n in sys.modules}} & set({HEAVY!r}))))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""


def test_publisher_is_still_importable_from_the_package() -> None:
    """`from notifyhub import Publisher` works; it is loaded when first asked for."""
    from notifyhub import Publisher

    assert Publisher.__name__ == "Publisher"


def test_settings_are_still_importable_from_the_package() -> None:
    """`from notifyhub import Settings` works; it is loaded when first asked for."""
    from notifyhub import Settings

    assert Settings.__name__ == "Settings"
