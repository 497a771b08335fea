"""The demo page served by the hub at /demo/ (what `make demo` opens), only when it is built."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.support.hubs import serve_subprocess

INDEX = '<!doctype html><title>notifyhub demo</title><script type="module" src="./assets/demo.js"></script>'


def built_demo(directory: Path) -> Path:
    """A stand-in for `frontend/demo/dist`: an index.html and one asset."""
    (directory / "assets").mkdir()
    (directory / "index.html").write_text(INDEX, encoding="utf-8")
    (directory / "assets" / "demo.js").write_text("console.log('demo');\n", encoding="utf-8")
    return directory


async def test_built_demo_is_served_at_demo(start_hub, tmp_path: Path) -> None:
    """With NOTIFYHUB_DEMO_DIR set, /demo/ serves the page and its assets beside the API."""
    hub = await start_hub(demo_dir=built_demo(tmp_path))
    page = await hub.get("/demo/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text == INDEX
    asset = await hub.get("/demo/assets/demo.js")
    assert asset.status_code == 200 and "javascript" in asset.headers["content-type"]
    # The page's relative asset paths need the trailing slash: /demo redirects to /demo/.
    bare = await hub.get("/demo")
    assert bare.status_code in (307, 308) and bare.headers["location"].endswith("/demo/")
    assert (await hub.get("/api/v1/ws/stats")).status_code == 200


async def test_nothing_is_served_at_demo_unless_built(start_hub, tmp_path: Path) -> None:
    """No setting, or a directory that was never built: /demo/ is a 404 and the hub runs."""
    for hub in (await start_hub(), await start_hub(demo_dir=tmp_path / "dist")):
        assert (await hub.get("/demo/")).status_code == 404
        assert (await hub.get("/healthz")).status_code == 200


async def test_serve_dev_prints_the_demo_url_with_a_working_token(tmp_path: Path) -> None:
    """`notifyhub serve --dev` (what `make demo` runs) prints /demo/#token=<jwt>; that page and token work."""
    async with serve_subprocess("--dev", demo_dir=str(built_demo(tmp_path))) as hub:
        match = re.search(r"http://[\d.]+:\d+/demo/#token=(\S+)", "".join(hub.output))
        assert match, "".join(hub.output)
        token = match.group(1)
        async with httpx.AsyncClient(base_url=hub.base_url) as http:
            assert (await http.get("/demo/")).text == INDEX
            check = await http.get("/api/v1/ws/auth-check", headers={"Authorization": f"Bearer {token}"})
            assert check.status_code == 204
