"""`create_app(settings)`: the FastAPI application, owning one hub for its lifetime."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from notifyhub_protocol import CloseCode

from .auth import TokenVerifier
from .backends import create_backend
from .heartbeat import sweep_idle_connections
from .hub import Hub
from .log_redaction import install_redaction
from .routes import demo, operations, services, websocket
from .settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. The hub is created here and reachable as `app.state.hub`."""
    settings = settings or Settings()
    install_redaction()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await app.state.hub.start()
        sweeper = asyncio.create_task(sweep_idle_connections(
            app.state.hub, settings.idle_timeout_seconds, settings.idle_check_interval_seconds),
            name="notifyhub-idle-sweep")
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await app.state.hub.close_all(CloseCode.SERVICE_RESTART, "server restart",
                                          settings.shutdown_timeout_seconds)
            await app.state.hub.close()

    app = FastAPI(title="notifyhub", version="0.1.0", lifespan=lifespan,
                  description="Real-time notifications over WebSocket. The WebSocket protocol is "
                              "described at /api/v1/asyncapi.json.")
    app.state.settings = settings
    app.state.hub = Hub(settings, create_backend(settings))
    app.state.verifier = TokenVerifier(settings)
    app.state.websocket_gate = websocket.WebSocketGate(app.state.hub, app.state.verifier)  # transport.py
    for module in (websocket, services, operations):
        app.include_router(module.router)
    demo.mount(app, settings.demo_dir)  # /demo/, when the built demo page is there
    app.state.publish_routes = services.PublishRoutes(app.state.hub)  # http_transport.py
    app.add_middleware(services.PublishFastPath, routes=app.state.publish_routes)
    return app
