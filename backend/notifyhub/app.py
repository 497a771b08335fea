"""`create_app(settings)`: the FastAPI application, and the parts of a hub it is built from."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import FastAPI

from .admission import Admission
from .auth import TokenVerifier
from .backends import create_backend
from .console import Console
from .cors import BrowserRoutesCors
from .fallback.push import PushChannel
from .fallback.push_api import PUSH_PREFIX, PushApi
from .fallback.push_store import PushStore, create_push_store
from .hub import Hub
from .log_redaction import install_redaction
from .openapi import install_openapi
from .readiness import Readiness
from .routes import console, demo, docs, operations, push, services, websocket
from .service_api import ServiceApi
from .settings import Settings


@dataclass(frozen=True, slots=True)
class HubParts:
    """One hub and what serves it: the server's protocols and the app's routes share these."""

    settings: Settings
    hub: Hub
    verifier: TokenVerifier
    admission: Admission
    service_api: ServiceApi
    readiness: Readiness
    console: Console
    push_api: PushApi
    push_store: PushStore
    push_channel: PushChannel | None
    """The fallback channel `push` (None when push is off), for the fallback scheduler."""

    @classmethod
    def assemble(cls, settings: Settings) -> HubParts:
        hub = Hub(settings, create_backend(settings))
        verifier = TokenVerifier(settings)
        push_store = create_push_store(hub.backend)
        push_channel = PushChannel.configured(settings, push_store, hub.metrics)
        return cls(settings, hub, verifier, Admission(hub, verifier), ServiceApi(hub),
                   Readiness(hub, settings.readiness_timeout_seconds), Console(hub),
                   PushApi(settings, verifier, push_store, push_channel), push_store, push_channel)


def create_app(settings: Settings | None = None, parts: HubParts | None = None) -> FastAPI:
    """Build the app around a hub, reachable as `app.state.hub`; its lifespan starts and stops it."""
    parts = parts or HubParts.assemble(settings or Settings())
    settings = parts.settings
    install_redaction()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await parts.hub.start()
        parts.console.start()
        try:
            yield
        finally:
            await parts.console.stop()
            if parts.push_channel is not None:
                await parts.push_channel.aclose()
            await parts.hub.shutdown()

    # /docs is served from a package (routes/docs.py), not FastAPI's CDN pages; no /redoc.
    app = FastAPI(title="notifyhub", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Real-time notifications over WebSocket. The WebSocket protocol is "
                              "described at /api/v1/asyncapi.json.")
    install_openapi(app)
    app.state.settings = settings
    app.state.hub = parts.hub
    app.state.verifier = parts.verifier
    app.state.service_api = parts.service_api
    app.state.readiness = parts.readiness
    app.state.console = parts.console
    app.state.push_api = parts.push_api
    app.state.push_store = parts.push_store
    app.state.push_channel = parts.push_channel
    for module in (websocket, services, operations, push):
        app.include_router(module.router)
    docs.mount(app)
    console.mount(app)  # /console/ and /api/v1/console/, behind a key (routes/operations.py)
    demo.mount(app, settings.demo_dir)  # /demo/, when the built demo page is there
    app.add_middleware(operations.OperationsGate, settings=settings)
    app.add_middleware(BrowserRoutesCors, prefix=PUSH_PREFIX, allowed_origins=settings.allowed_origins)
    return app
