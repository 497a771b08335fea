"""Serving the hub: uvicorn protocol classes of its own, their limits, and the runner."""

from .runner import HubServer, build_server

__all__ = ["HubServer", "build_server"]
