"""HTTP and WebSocket routes; each module is one audience: clients, services, operators."""

import json


def render_json(body: dict) -> bytes:
    """A JSON body exactly as Starlette's JSONResponse renders it, for answers written without it."""
    return json.dumps(body, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode()
