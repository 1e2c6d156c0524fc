"""``create_app``: the FastAPI application with its routes, error shape and common headers."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from hckg.config import Settings
from hckg.errors import BadParameter, HckgError

from .clean_requests import CleanRequests
from .data_version import DATA_VERSION, DataVersionHeader
from .render.templates import STATIC_DIR, page, vendored
from .routes.quality import router as quality_router
from .runtime.backend import live_store_for, query_pool_for
from .runtime.state import State
from .runtime.stopping import stop_promptly_on_sigterm
from .runtime.writes import WriteRunner

log = logging.getLogger(__name__)

SWAGGER_FILES = ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css")
TRUNCATED = "X-HCKG-Truncated"


def error_body(error: HckgError) -> dict[str, object]:
    """The one JSON error shape of the server."""
    body: dict[str, object] = {"status": error.http_status, "type": type(error).__name__, "message": str(error)}
    if isinstance(error, BadParameter):
        body.update(parameter=error.name, value=error.value, rule=error.rule)
    return {"error": body}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The HCKG server over the store of ``settings`` (default: read from ``HCKG_*`` variables)."""
    settings = settings or Settings.from_env()
    live = live_store_for(settings)
    pool = query_pool_for(settings)
    writes = WriteRunner(settings.write_timeout_s, settings.write_wait_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(pool.start)
        writes.start()
        stop_promptly_on_sigterm(writes.close, pool.close)
        try:
            yield
        finally:
            writes.close()
            pool.close()

    app = FastAPI(
        title="HCKG",
        summary="Knowledge graph of the Roadmap Human Capital Topsectoren 2020-2023",
        description="SPARQL 1.1 endpoint at `/sparql`, saved queries at `/api/queries`, linked data at `/id/...`, "
        "dumps at `/dumps/`, dataset description at `/.well-known/void`.",
        version=_version(),
        lifespan=lifespan,
        # /docs is served below from static/vendor/ (FastAPI's own pages load Swagger UI and ReDoc from a CDN).
        docs_url=None,
        redoc_url=None,
    )
    app.state.hckg = State(settings, live, pool, writes)

    @app.exception_handler(HckgError)
    async def hckg_error(request: Request, error: HckgError) -> JSONResponse:
        if error.http_status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, error)
        return JSONResponse(error_body(error), status_code=error.http_status)

    app.add_middleware(DataVersionHeader, live=live)

    # Reads are open to every origin (browser tools such as YASGUI); no credentials cross origins.
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"], expose_headers=[DATA_VERSION, TRUNCATED],
    )

    app.add_middleware(CleanRequests)  # outermost: bad UTF-8 and NUL bytes never reach a route

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """Swagger UI over /openapi.json, from static/vendor/swagger-ui/ (``make vendor``), never a CDN."""
        if not vendored(*SWAGGER_FILES):
            return page("error.html", status_code=503, title="API documentation", base_iri=settings.base_iri,
                        error="Swagger UI is not installed on this server (`make vendor` installs it); "
                              "the OpenAPI document itself is at /openapi.json.")
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="HCKG API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png")

    from .routes import api, linked, pages, publications, sparql, views

    app.include_router(sparql.router)
    app.include_router(api.router_for(app))
    app.include_router(linked.router)
    app.include_router(pages.router)
    app.include_router(quality_router)
    app.include_router(views.router)
    app.include_router(publications.router)  # issue 7
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hckg")
    except PackageNotFoundError:
        return "0"
