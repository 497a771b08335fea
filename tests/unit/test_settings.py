"""Settings from the environment, and the rules that keep them coherent."""

from __future__ import annotations

import pytest
from notifyhub.log_redaction import redact
from notifyhub.settings import Settings
from pydantic import ValidationError


def test_lists_come_comma_separated_from_the_environment(monkeypatch) -> None:
    """NOTIFYHUB_SERVICE_KEYS and NOTIFYHUB_ALLOWED_ORIGINS are comma-separated lists."""
    monkeypatch.setenv("NOTIFYHUB_SERVICE_KEYS", "a, b")
    monkeypatch.setenv("NOTIFYHUB_ALLOWED_ORIGINS", "https://x.example,https://y.example")
    monkeypatch.setenv("NOTIFYHUB_MAX_CONNECTIONS_PER_USER", "3")
    settings = Settings()
    assert [k.get_secret_value() for k in settings.service_keys] == ["a", "b"]
    assert settings.allowed_origins == ["https://x.example", "https://y.example"]
    assert settings.max_connections_per_user == 3


def test_defaults_match_the_documented_limits() -> None:
    """The defaults are the ones docs/settings.md promises."""
    settings = Settings()
    assert (settings.ping_interval_seconds, settings.idle_timeout_seconds) == (54, 60)
    assert settings.write_timeout_seconds == 10
    assert settings.max_message_bytes == 512 * 1024
    assert settings.max_connections_per_user == 20
    assert settings.permessage_deflate is False
    assert settings.allowed_origins == ["*"]


@pytest.mark.parametrize("overrides", [
    {"ping_interval_seconds": 60, "idle_timeout_seconds": 60},
    {"jwt_algorithms": ["HS256", "none"]},
    {"max_connections_per_user": 0},
])
def test_incoherent_settings_are_refused(overrides) -> None:
    """Settings that would break the heartbeat or security rules fail at start-up."""
    with pytest.raises(ValidationError):
        Settings(**overrides)


@pytest.mark.parametrize("url", ["notify.example.com", "ftp://notify.example.com", "wss://",
                                 "https://notify.example.com/?x=1"])
def test_a_public_url_that_is_not_a_web_address_is_refused(url: str) -> None:
    """NOTIFYHUB_PUBLIC_URL must be a ws(s) or http(s) URL with a host; anything else fails at
    start-up with a message that says what is expected."""
    with pytest.raises(ValidationError, match="public_url must be a ws://, wss://, http:// or https:// URL"):
        Settings(public_url=url)


@pytest.mark.parametrize("line", [
    '127.0.0.1:5 - "WebSocket /api/v1/ws?token=eyJhbGciOi.eyJ1c2VyX2.c2lnbmF0dXJl" 401',
    '"GET /api/v1/ws/auth-check?x=1&token=abc.def.ghi HTTP/1.1" 204',
    "Authorization: Bearer eyJhbGciOi.eyJ1c2VyX2.c2lnbmF0dXJl",
])
def test_tokens_are_redacted_from_log_lines(line: str) -> None:
    """Whatever form a token takes in a log line, none of it survives redaction."""
    cleaned = redact(line)
    assert "[REDACTED]" in cleaned
    assert "c2lnbmF0dXJl" not in cleaned and "abc.def.ghi" not in cleaned


def test_a_replica_wait_longer_than_the_command_timeout_is_refused() -> None:
    """WAIT runs within a Redis command's timeout: a longer wait would end as a lost connection,
    so it fails at start-up, naming both settings."""
    with pytest.raises(ValidationError, match="redis_wait_timeout_seconds must be below the Redis command timeout"):
        Settings(redis_wait_replicas=1, redis_wait_timeout_seconds=2, redis_timeout_seconds=1)


def test_a_cluster_url_naming_another_database_is_refused() -> None:
    """A Redis Cluster has database 0 only; a URL naming another fails at start-up."""
    with pytest.raises(ValidationError, match="a Redis Cluster has database 0 only"):
        Settings(redis_cluster=True, redis_url="redis://127.0.0.1:7000/3")
    assert Settings(redis_cluster=True, redis_url="redis://127.0.0.1:7000/0").redis_cluster
