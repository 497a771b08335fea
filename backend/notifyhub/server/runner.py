"""Building and running the server: uvicorn with notifyhub's protocols, the limits they enforce,
an optional internal listener for operations, and the hub's orderly shutdown."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import socket

import uvicorn
from fastapi import FastAPI

from ..app import HubParts, create_app
from ..deadlines import Deadlines
from ..hub import Hub
from ..log_redaction import RedactTokens
from ..settings import Settings
from .http_protocol import NotifyhubHttpProtocol
from .limits import ServerLoad, WireLimits, raise_descriptor_limit
from .websocket_protocol import NotifyhubWebSocketProtocol

logger = logging.getLogger("notifyhub.server")

FORCE_EXIT_CHECK_SECONDS = 0.1
"""How often a drain looks for a second Ctrl-C: as often as uvicorn's own main loop looks for
the first."""


class HubServer(uvicorn.Server):
    """uvicorn's server, but on shutdown the hub flushes and closes its clients with 1012 first
    (uvicorn alone would send 1012 straight away and drop what the hub still had queued), and
    with `operations_port` set it listens there too."""

    def __init__(self, config: uvicorn.Config, app: FastAPI, hub: Hub, limits: WireLimits, descriptors: int) -> None:
        super().__init__(config)
        self.app = app
        self.hub = hub
        self.limits = limits
        self.descriptors = descriptors
        self._announce_listeners = False
        self._listening: list[socket.socket] | None = None

    def bind(self) -> list[socket.socket]:
        """Bind the hub's port (and the operations port, when set), once; `serve` then uses these
        sockets. Raises OSError when an address is taken: call it before printing anything that
        claims the hub is up."""
        if self._listening is None:
            settings = self.hub.settings
            listening = [_bind(settings.host, settings.port)]
            if settings.operations_port is not None:
                listening.append(_bind(settings.operations_host, settings.operations_port))
            self._listening = listening
        return self._listening

    @property
    def port(self) -> int:
        """The port bound by `bind` (the real one when settings ask for port 0)."""
        return self.bind()[0].getsockname()[1]

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        if sockets is None:
            sockets = self.bind()
            self._announce_listeners = True
        await super().serve(sockets)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        logger.info("open-file limit %d: at most %d connections", self.descriptors, self.limits.max_connections)
        await super().startup(sockets)
        _freeze_startup_objects()
        if self._announce_listeners and self.started:  # uvicorn does not, for sockets it was given
            self._log_started_message(sockets[:1])
            if len(sockets) > 1:
                host, port = sockets[1].getsockname()[:2]
                logger.info("operations endpoints on http://%s:%d", host, port)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await self._drain()
        for server in self.servers:
            server.close()
        await self.hub.shutdown()
        await super().shutdown(sockets)

    async def _drain(self) -> None:
        """Serve on for `drain_seconds` with the hub marked draining (/readyz answers 503), or
        until a second Ctrl-C (uvicorn's `force_exit`)."""
        self.hub.drain()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.hub.settings.drain_seconds
        if deadline > loop.time():
            logger.info("draining for %.1f s before closing connections", self.hub.settings.drain_seconds)
        while not self.force_exit and (left := deadline - loop.time()) > 0:
            await asyncio.sleep(min(left, FORCE_EXIT_CHECK_SECONDS))


def _freeze_startup_objects() -> None:
    """Leave what the process holds once it serves (modules, models, the app: tens of thousands
    of objects that live as long as it does) out of the collector's full passes, which otherwise
    walk them all each time and pause every connection for as long."""
    gc.collect()
    gc.freeze()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


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
    """A ready-to-run server for settings (call `.run()`, or `await .serve()`).

    Raises this process's open-file limit to its hard limit, and derives the connection limit
    from it unless `max_connections` is set.
    """
    parts = HubParts.assemble(settings)
    app = create_app(parts=parts)
    descriptors = raise_descriptor_limit()
    limits = WireLimits.from_settings(settings, descriptors)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        ws=functools.partial(NotifyhubWebSocketProtocol, gate=parts.admission, pings=Deadlines()),
        ws_max_size=settings.max_message_bytes,
        ws_ping_interval=settings.ping_interval_seconds,
        ws_ping_timeout=None,  # the hub's idle sweep owns the rule (Hub._sweep_idle)
        ws_per_message_deflate=settings.permessage_deflate,
        loop="uvloop",
        http=functools.partial(NotifyhubHttpProtocol, service_api=parts.service_api, limits=limits,
                               load=ServerLoad(settings.max_pending_request_bytes)),
        lifespan="on",
        log_level=log_level,
        log_config=log_config(log_level),
        access_log=access_log,
        timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
    )
    return HubServer(config, app, parts.hub, limits, descriptors)
