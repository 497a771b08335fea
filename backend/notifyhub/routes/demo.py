"""The demo page at `/demo/`: the built `frontend/demo` (`npm run demo:build --workspace frontend`).

Served only when `NOTIFYHUB_DEMO_DIR` names a directory holding an `index.html`;
`notifyhub serve --dev` points it at the repository's built demo when there is one. The page
talks to this hub on its own origin (`/api/v1/ws`, its auth-check, `/api/v1/ws/stats`), so it
needs no CORS. It takes its token from the URL's hash: `/demo/#token=<jwt>`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

logger = logging.getLogger(__name__)

DEMO_PATH = "/demo"


def mount(app: FastAPI, directory: Path | None) -> bool:
    """Serve `directory` at `/demo/` (`/demo` redirects there) if it holds a built page.

    Returns whether it does. A directory that is set but holds no `index.html` is logged and
    skipped: the hub runs without the demo rather than not at all.
    """
    if directory is None:
        return False
    if not (directory / "index.html").is_file():
        logger.warning("NOTIFYHUB_DEMO_DIR=%s holds no index.html; /demo is not served "
                       "(build it: npm run demo:build --workspace frontend)", directory)
        return False
    app.mount(DEMO_PATH, StaticFiles(directory=directory, html=True), name="demo")
    return True
