"""`GET /docs`: Swagger UI for the OpenAPI document, with its files served by the hub from the
`swagger-ui-bundle-v2` package, so the page works where the hub has no internet access."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/swagger-ui"
"""Where Swagger UI's own files are served (a directory of the package, as shipped)."""


def mount(app: FastAPI) -> None:
    """Serve `/docs` and Swagger UI's files for `app.openapi_url`."""
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount(ASSETS_PATH, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")

    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} - HTTP API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon-32x32.png",
            # No badge from the public validator service: the page asks nothing of another host.
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True})

    app.add_api_route(DOCS_PATH, docs, methods=["GET"], include_in_schema=False)
