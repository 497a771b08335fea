"""Every tunable of the hub, read from NOTIFYHUB_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .asyncapi import PUBLIC_URL_SCHEMES

DEFAULT_MAX_MESSAGE_BYTES = 512 * 1024


class Settings(BaseSettings):
    """Hub settings. Each field is `NOTIFYHUB_<FIELD>` in the environment.

    Lists (`service_keys`, `allowed_origins`, `jwt_algorithms`) are comma-separated there.
    """

    # Errors never repeat what was given: a secret (a JWT secret, a VAPID key) would be shown.
    model_config = SettingsConfigDict(env_prefix="NOTIFYHUB_", extra="forbid", hide_input_in_errors=True)

    host: str = "127.0.0.1"
    port: int = 8080
    # Where clients reach this hub, when that is not the address it listens on (a proxy, TLS in
    # front): ws://, wss://, http:// or https://, with an optional path prefix. The AsyncAPI
    # document names it as the server; unset, it names the address a request arrived on.
    public_url: str | None = None

    # Authentication of WebSocket clients (JWT) and of services (static keys).
    jwt_secret: SecretStr = SecretStr("")
    jwt_algorithms: Annotated[list[str], NoDecode] = ["HS256"]
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    # Clock skew allowed between the token issuer and this hub, on `exp`, `nbf` and `iat`.
    jwt_leeway_seconds: float = Field(5.0, ge=0)
    service_keys: Annotated[list[SecretStr], NoDecode] = []
    allowed_origins: Annotated[list[str], NoDecode] = ["*"]

    # Limits on clients.
    max_connections_per_user: int = Field(20, ge=1)
    max_message_bytes: int = Field(DEFAULT_MAX_MESSAGE_BYTES, ge=64)
    client_frames_per_second: float = Field(20.0, gt=0)
    client_frame_burst: int = Field(40, ge=1)
    max_json_depth: int = Field(32, ge=2)
    permessage_deflate: bool = False

    # Heartbeat and slow readers. The idle timeout must exceed the ping interval, so that a
    # healthy client's pong always lands before the hub gives up on it.
    ping_interval_seconds: float = Field(54.0, gt=0)
    idle_timeout_seconds: float = Field(60.0, gt=0)
    write_timeout_seconds: float = Field(10.0, gt=0)
    send_queue_max_bytes: int = Field(1024 * 1024, ge=1024)
    shutdown_timeout_seconds: float = Field(5.0, gt=0)
    # After SIGTERM, how long the hub goes on serving everything while /readyz answers 503
    # `draining`, so that load balancers stop sending it clients before it closes its listeners
    # and connections. A second Ctrl-C ends the wait.
    drain_seconds: float = Field(0.0, ge=0)

    # Where messages, history and presence live: this process, or Redis for several hubs.
    backend: Literal["memory", "redis"] = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # A Redis Cluster: `redis_url` names any one of its nodes (database 0), the others are found
    # from it, and users' live channels use sharded pub/sub (Redis 7 or later).
    redis_cluster: bool = False
    redis_prefix: str = Field("notifyhub", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    redis_health_check_seconds: float = Field(5.0, gt=0)
    # Each Redis command waits this long for an answer (unset: the health check, at least 1 s),
    # and is retried this many times after a lost connection or a timeout.
    redis_timeout_seconds: float | None = Field(None, gt=0)
    redis_retries: int = Field(3, ge=0)
    # Connections to Redis per hub (or Publisher), and how long a command waits for a free one
    # before it is refused: a burst queues instead of failing.
    redis_pool_size: int = Field(100, ge=1)
    redis_pool_timeout_seconds: float = Field(10.0, gt=0)
    # Users whose highest (epoch, seq) a hub remembers, to notice a Redis that lost writes.
    redis_positions_remembered: int = Field(100_000, ge=1)
    # Replicas that must confirm a publish's writes before it is accepted (Redis WAIT), and how
    # long to wait for them; when they do not confirm in time the publish answers 504: it was
    # applied on the primary, whose death before replicating would lose it.
    redis_wait_replicas: int = Field(0, ge=0)
    redis_wait_timeout_seconds: float = Field(0.5, gt=0)
    history_max_messages: int = Field(1000, ge=1)
    history_max_age_seconds: float = Field(72 * 3600, gt=0)
    replay_page_messages: int = Field(500, ge=1)

    # The wire, before anyone is authenticated (see docs/limits.md).
    max_request_head_bytes: int = Field(16 * 1024, ge=1024)
    max_request_line_bytes: int = Field(8 * 1024, ge=256, le=8192)  # websockets' own line limit is 8 KiB
    max_request_headers: int = Field(100, ge=8, le=128)  # websockets' own limit is 128
    request_head_timeout_seconds: float = Field(10.0, gt=0)
    request_body_timeout_seconds: float = Field(30.0, gt=0)
    request_body_idle_timeout_seconds: float = Field(10.0, gt=0)
    websocket_handshake_timeout_seconds: float = Field(10.0, gt=0)
    max_pending_request_bytes: int = Field(64 * 1024 * 1024, ge=1024 * 1024)
    max_connections: int | None = Field(None, ge=1)  # None: derived from the open-file limit

    # Operations endpoints (/metrics, stats, presence): an internal listener, or a key.
    operations_port: int | None = Field(None, ge=0, le=65535)
    operations_host: str = "127.0.0.1"
    operations_keys: Annotated[list[SecretStr], NoDecode] = []
    operations_public: bool = False
    # How long /readyz waits for the backend to answer (a Redis PING) before it answers 503: below
    # the probe's own timeout (Kubernetes' timeoutSeconds defaults to 1 s), so a stalled Redis
    # makes the probe fail with a reason instead of timing out.
    readiness_timeout_seconds: float = Field(0.5, gt=0)

    # The operations console (/console/): its charts sample the hub's counters every
    # `console_sample_seconds` and show the last `console_window_seconds`; a user's lookup shows
    # the last `console_stream_messages` messages of the user's stream.
    console_sample_seconds: float = Field(5.0, ge=0.1)
    console_window_seconds: float = Field(1800.0, gt=0)
    console_stream_messages: int = Field(20, ge=1, le=1000)

    # Service API.
    max_publish_bytes: int = Field(1024 * 1024, ge=1024)
    max_recipients_per_request: int = Field(1000, ge=1)
    max_batch_requests: int = Field(1000, ge=1)
    # A repeated Idempotency-Key within this window gets the first answer and sends nothing again.
    idempotency_window_seconds: float = Field(86400.0, gt=0)
    # What a refusal for an unavailable backend tells the caller to wait (503 Retry-After, 1013).
    retry_after_seconds: int = Field(1, ge=1)

    # Web Push (docs/push.md): off while no VAPID key is set. The key is a PEM or the base64url
    # raw 32-byte private value (what `notifyhub vapid` prints); the subject, a `mailto:` or
    # https URL, tells push services whom to contact about this hub's pushes.
    vapid_private_key: SecretStr = SecretStr("")
    vapid_subject: str | None = None
    # How long a push service keeps a push for a device that is offline (RFC 8030 TTL).
    push_ttl_seconds: int = Field(86400, ge=0, le=28 * 86400)
    # Each request to a push service, and the retries of one push after a 429, a 5xx or a lost
    # connection: at most `push_attempts` requests, the waits drawn below a cap that doubles
    # from `push_backoff_base_seconds` up to `push_backoff_cap_seconds` (a Retry-After is waited
    # instead), and no retry later than `push_retry_window_seconds` after the first request.
    push_timeout_seconds: float = Field(10.0, gt=0)
    push_attempts: int = Field(4, ge=1, le=20)
    push_backoff_base_seconds: float = Field(0.5, gt=0)
    push_backoff_cap_seconds: float = Field(30.0, gt=0)
    push_retry_window_seconds: float = Field(120.0, gt=0)
    # How long the record that a push went to a subscription is kept: the same message is never
    # pushed twice to one subscription within it.
    push_sent_marker_seconds: float = Field(7 * 86400.0, gt=0)
    max_push_subscriptions_per_user: int = Field(10, ge=1, le=1000)
    push_max_body_bytes: int = Field(4096, ge=1024, le=65536)
    # Accept `http` endpoints and hosts that are private, loopback or link-local IP addresses:
    # for tests against a push service on this machine, never in production.
    push_allow_insecure_endpoints: bool = False

    # The built demo page (frontend/demo/dist), served at /demo/ when set; `serve --dev` sets it.
    demo_dir: Path | None = None

    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, values: dict) -> dict:
        for name in ("jwt_algorithms", "service_keys", "allowed_origins", "operations_keys"):
            raw = values.get(name)
            if isinstance(raw, str):
                values[name] = [item.strip() for item in raw.split(",") if item.strip()]
        return values

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url)
        if parts.scheme not in PUBLIC_URL_SCHEMES or not parts.netloc or parts.query or parts.fragment:
            raise ValueError("public_url must be a ws://, wss://, http:// or https:// URL with a host "
                             "and no query, such as wss://notify.example.com")
        return url

    @model_validator(mode="after")
    def _check_push(self) -> Settings:
        if not self.vapid_private_key.get_secret_value():
            return self
        subject = self.vapid_subject or ""
        parts = urlsplit(subject)
        if not (subject.startswith("mailto:") and "@" in subject) and not (parts.scheme == "https" and parts.netloc):
            raise ValueError("vapid_subject must be a mailto: address or an https:// URL when "
                             "vapid_private_key is set (RFC 8292 section 2.1)")
        from .fallback.vapid import InvalidVapidKeyError, check_vapid  # py-vapid: the server extra only

        try:
            check_vapid(self.vapid_private_key.get_secret_value(), subject)
        except InvalidVapidKeyError as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def push_enabled(self) -> bool:
        """Whether this hub sends Web Push: it has a VAPID key."""
        return bool(self.vapid_private_key.get_secret_value())

    @model_validator(mode="after")
    def _check_timing(self) -> Settings:
        if self.idle_timeout_seconds <= self.ping_interval_seconds:
            raise ValueError("idle_timeout_seconds must be greater than ping_interval_seconds")
        if any(alg.lower() == "none" for alg in self.jwt_algorithms):
            raise ValueError("jwt_algorithms must not allow 'none'")
        if self.redis_wait_replicas and self.redis_wait_timeout_seconds >= self.redis_command_timeout_seconds:
            raise ValueError("redis_wait_timeout_seconds must be below the Redis command timeout "
                             "(redis_timeout_seconds, else the health check, at least 1 s), which bounds the wait")
        if self.console_window_seconds < self.console_sample_seconds:
            raise ValueError("console_window_seconds must be at least console_sample_seconds")
        if self.redis_cluster and urlsplit(self.redis_url).path.strip("/") not in ("", "0"):
            raise ValueError("a Redis Cluster has database 0 only: redis_url must name no other database")
        return self

    @property
    def redis_command_timeout_seconds(self) -> float:
        """How long a Redis command waits for its answer."""
        return self.redis_timeout_seconds or max(self.redis_health_check_seconds, 1.0)

    @property
    def idle_check_interval_seconds(self) -> float:
        """How often idle connections are looked for: often enough to close within a quarter."""
        return min(self.idle_timeout_seconds / 4, 5.0)
