"""Saved queries as an API: ``/api/queries`` (the catalogue) and ``/api/queries/{name}`` (run one).

Each saved query gets its own documented operation in the OpenAPI description (summary,
description, parameters with types, defaults and enumerated values). Parameters follow the CLI's
rules (``hckg.queries.running.bind``): a repeated query parameter gives several values, a bad value is a
400 naming the parameter and the rule.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from hckg.queries.catalog import Parameter, SavedQuery, get_query, load_catalog
from hckg.queries.catalog_rdf import catalog_graph
from ..render.conneg import formats_for
from hckg.formats import RDF_FORMATS, RESULT_FORMATS
from hckg.queries.running import bind
from ..runtime.workers import NotAcceptable, Outcome

from .sparql import _graph_response, outcome_response
from ..runtime.state import query_values, state

SUFFIXES: dict[str, str] = {
    **{f.extension: f.name for f in (*RESULT_FORMATS.values(), *RDF_FORMATS.values())},
    **{name: name for name in (*RESULT_FORMATS, *RDF_FORMATS)},
}
"""File suffix (``.csv``, ``.json``, ``.ttl``, ``.srx`` ...) → format name."""
RESERVED = ("format",)
SCHEMA_TYPES = {"integer": {"type": "integer"}, "decimal": {"type": "number"}, "double": {"type": "number"},
                "float": {"type": "number"}, "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
                "dateTime": {"type": "string", "format": "date-time"}, "iri": {"type": "string", "format": "iri"}}


def describe_parameter(param: Parameter) -> dict[str, Any]:
    """One parameter as JSON for the catalogue and as an OpenAPI parameter object."""
    schema: dict[str, Any] = dict(SCHEMA_TYPES.get(param.kind, {"type": "string"}))
    if param.default is not None:
        schema["default"] = param.default
    if param.enum:
        schema["enum"] = list(param.enum)
    how = "an IRI, or one of its labels or notations" if param.kind == "iri" else f"a {param.kind} value"
    if param.kind.startswith("lang:"):
        how = f"text, bound with language tag {param.kind[5:]}"
    return {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": f"{how}; repeat the parameter to give several values where the query takes them",
        "schema": schema,
    }


def describe_query(query: SavedQuery, root: str = "/") -> dict[str, Any]:
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "form": query.form,
        "parameters": [describe_parameter(p) for p in query.parameters],
        "url": f"{root}api/queries/{query.name}",
        "page": f"{root}queries/{query.name}",
    }


def _split(name: str) -> tuple[str, str | None]:
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in SUFFIXES:
        return stem, SUFFIXES[suffix]
    return name, None


def run_saved_query(request: Request, name: str, fmt: str | None = None,
                    values: dict[str, list[str]] | None = None) -> Outcome:
    """Bind ``values`` (default: the request's parameters) to ``name`` and run it in the pool (blocking)."""
    app_state = state(request)
    given = query_values(request)
    given_format = fmt or (given.get("format") or [None])[0]
    values = {k: v for k, v in (given if values is None else values).items() if k not in RESERVED}
    sparql = _bound_sparql(request, name, values)
    results_format, graph_format = formats_for(request.headers.get("accept"), given_format)
    if results_format is None:
        raise NotAcceptable(f"no answer format fits Accept: {request.headers.get('accept')}")
    return app_state.pool.run(sparql, results_format, graph_format)


# Parsing the .rq header (YAML) and resolving labels in ``bind`` took ~9 ms of the server process's own
# time per request, against ~2 ms for the query in a worker (bench/server.py, issue 6). The bound text
# depends only on the file, the values and the data, so it is kept per (file stat, values, data version).
_BOUND: OrderedDict[tuple[object, ...], str] = OrderedDict()
_BOUND_LOCK = threading.Lock()
BOUND_CACHE_SIZE = 512


def _bound_sparql(request: Request, name: str, values: dict[str, list[str]]) -> str:
    app_state = state(request)
    path = app_state.settings.queries_dir / f"{name}.rq"
    try:
        stat = path.stat()
        key: tuple[object, ...] | None = (str(path), stat.st_mtime_ns, stat.st_size, app_state.live.version(),
                                          tuple(sorted((k, tuple(v)) for k, v in values.items())))
    except OSError:
        key = None  # no such file: get_query below names the known queries
    with _BOUND_LOCK:
        if key in _BOUND:
            _BOUND.move_to_end(key)
            return _BOUND[key]
    sparql = bind(app_state.store(), get_query(app_state.settings.queries_dir, name), values).sparql
    if key is not None:
        with _BOUND_LOCK:
            _BOUND[key] = sparql
            while len(_BOUND) > BOUND_CACHE_SIZE:
                _BOUND.popitem(last=False)
    return sparql


def router_for(app: FastAPI) -> APIRouter:
    """Routes of the saved-query API, one documented operation per query in the catalogue."""
    router = APIRouter(tags=["saved queries"])
    settings = app.state.hckg.settings

    @router.get("/api/queries", summary="The saved-query catalogue with every query's parameters")
    def catalogue(request: Request) -> JSONResponse:
        catalog = load_catalog(settings.queries_dir)
        return JSONResponse([describe_query(q, str(request.base_url)) for q in catalog.values()])

    @router.get("/.well-known/sparql-examples", summary="The saved-query catalogue as RDF (sh:SPARQLExecutable)")
    def examples(request: Request, format: str | None = None) -> Response:
        graph = catalog_graph(load_catalog(settings.queries_dir))
        return _graph_response(graph, request.headers.get("accept"), format)

    @router.get("/api/queries/{name}", include_in_schema=False)
    async def any_query(request: Request, name: str) -> Response:
        # Every saved query is answered here: suffixed names (regions-lacking-community.csv), files added after
        # the server started, and the documented operations below, which this route comes before so that a
        # request is matched against one pattern instead of the whole catalogue's (~20% of the server's own
        # time per request, issue 16). They answer alike: a name without a suffix runs as it is.
        stem, fmt = _split(name)
        outcome = await run_in_threadpool(run_saved_query, request, stem, fmt)
        return outcome_response(outcome)

    formats = {**{f.media_type: {} for f in RESULT_FORMATS.values()}, **{f.media_type: {} for f in RDF_FORMATS.values()}}
    for query in load_catalog(settings.queries_dir).values():
        router.add_api_route(
            f"/api/queries/{query.name}",
            _endpoint(query.name),
            methods=["GET"],
            summary=query.summary,
            description=query.description or query.summary,
            operation_id=f"query_{query.name.replace('-', '_')}",
            response_class=Response,
            responses={200: {"description": f"{query.form} answer, format by Accept or `format`", "content": formats},
                       400: {"description": "a parameter is missing, unknown or malformed"}},
            openapi_extra={"parameters": [describe_parameter(p) for p in query.parameters]
                           + [{"name": "format", "in": "query", "required": False,
                               "description": "answer format instead of Accept: " + ", ".join(SUFFIXES),
                               "schema": {"type": "string"}}]},
        )

    return router


def _endpoint(name: str):  # type: ignore[no-untyped-def]
    async def endpoint(request: Request) -> Response:
        outcome = await run_in_threadpool(run_saved_query, request, name, None)
        return outcome_response(outcome)

    return endpoint
