"""Running the app under uvicorn with notifyhub's transport and an orderly shutdown."""

from __future__ import annotations

import socket

import uvicorn
from fastapi import FastAPI
from notifyhub_protocol import CloseCode

from .app import create_app
from .http_transport import NotifyhubHttpProtocol
from .log_redaction import RedactTokens
from .settings import Settings
from .transport import NotifyhubWebSocketProtocol


class HubServer(uvicorn.Server):
    """uvicorn's server, but on shutdown the hub flushes and closes its clients with 1012 first.

    uvicorn alone would send 1012 straight away and drop what the hub still had queued.
    """

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        settings: Settings = self.app.state.settings
        await self.app.state.hub.close_all(CloseCode.SERVICE_RESTART, "server restart",
                                           settings.shutdown_timeout_seconds)
        await super().shutdown(sockets)


def log_config(level: str) -> dict:
    """uvicorn's logging setup with token redaction on every handler."""
    config = {**uvicorn.config.LOGGING_CONFIG}
    config["filters"] = {"redact_tokens": {"()": RedactTokens}}
    config["handlers"] = {name: {**handler, "filters": ["redact_tokens"]}
                          for name, handler in uvicorn.config.LOGGING_CONFIG["handlers"].items()}
    config["loggers"] = {**config["loggers"], "notifyhub": {"handlers": ["default"], "level": level.upper(),
                                                            "propagate": False}}
    return config


def build_server(settings: Settings, log_level: str = "info", access_log: bool = False) -> HubServer:
    """A ready-to-run server for settings (call `.run()`, or `await .serve()`)."""
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        ws=NotifyhubWebSocketProtocol,
        ws_max_size=settings.max_message_bytes,
        ws_ping_interval=settings.ping_interval_seconds,
        ws_ping_timeout=None,  # the hub's idle sweep owns the rule (see heartbeat.py)
        ws_per_message_deflate=settings.permessage_deflate,
        loop="uvloop",
        http=NotifyhubHttpProtocol,
        lifespan="on",
        log_level=log_level,
        log_config=log_config(log_level),
        access_log=access_log,
        timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
    )
    return HubServer(config, app)
