"""SPARQL 1.1 Protocol at ``/sparql`` and the Graph Store Protocol at ``/rdf-graphs``.

Queries run in the killable worker pool (time limit, row cap). Writes (SPARQL Update, Graph
Store PUT/POST/DELETE) are refused with 403 unless a write token is configured and sent as a
bearer token; an authorised Graph Store write goes through the validation gate (``hckg.gate.write``).
"""

from __future__ import annotations

import hmac
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from ..render.conneg import HTML, choose, format_param, formats_for, graph_offers
from hckg.errors import HckgError
from hckg.formats import RDF_FORMATS
from ..clean_requests import iri_parameter
from ..guard import Refused, check_query, check_update
from hckg.queries.updates import with_base, with_dataset
from hckg.reports.void import Site, service_description
from ..runtime.workers import NotAcceptable, Outcome

from ..runtime.state import query_values, site_root, state

router = APIRouter(tags=["SPARQL"])

SUFFIX_OF_MEDIA = {**{f.media_type: f.extension for f in RDF_FORMATS.values()}, "text/csv": "csv"}
"""Upload media type → the file suffix ``hckg load`` reads it by (a CSV must be one of the project's tables)."""


class UnsupportedMediaType(HckgError):
    http_status = 415


def _one(values: dict[str, list[str]], name: str) -> str | None:
    given = values.get(name) or []
    if len(given) > 1:
        raise HckgError(f"parameter {name!r} given {len(given)} times; the protocol allows one")
    return given[0] if given else None


def outcome_response(outcome: Outcome, headers: dict[str, str] | None = None) -> Response:
    media = outcome.media_type
    if media.startswith("text/") or media.endswith("json") or media.endswith("xml"):
        media += "; charset=utf-8"
    return Response(outcome.body, media_type=media, headers={
        "X-HCKG-Truncated": "true" if outcome.truncated else "false",
        "X-HCKG-Rows": str(outcome.count),
        **(headers or {}),
    })


def check_write_token(request: Request) -> None:
    """Raise Refused unless a write token is configured and this request carries it."""
    token = state(request).settings.write_token
    if not token:
        raise Refused("this endpoint is read-only: writes are switched off (no HCKG_WRITE_TOKEN configured)")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Refused("writing needs the server's write token as 'Authorization: Bearer <token>'")


VARY = {"Vary": "Accept"}
"""Every /sparql answer depends on the Accept header: a cache must not hand one client's format to another."""


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return "utf-8"


async def _body_text(request: Request) -> str:
    """The POST body as text; the protocol's bodies are UTF-8, so any other charset is refused (400)."""
    charset = _charset(request.headers.get("content-type", ""))
    if charset not in ("utf-8", "utf8"):
        raise HckgError(f"the request body must be UTF-8, not {charset!r} (SPARQL 1.1 Protocol, section 2.1)")
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError as err:
        raise HckgError(f"the request body is not valid UTF-8 (byte {err.start})") from err


async def _parameters(request: Request) -> tuple[dict[str, list[str]], str | None, str | None]:
    """Protocol parameters, plus a query or update sent directly as the POST body."""
    values = query_values(request)
    if request.method != "POST":
        return values, None, None
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _body_text(request)
    if ctype == "application/x-www-form-urlencoded":
        for key, value in parse_qsl(body, keep_blank_values=True):
            values.setdefault(key, []).append(value)
        return values, None, None
    if ctype == "application/sparql-query":
        return values, body, None
    if ctype == "application/sparql-update":
        return values, None, body
    raise UnsupportedMediaType(f"POST /sparql takes application/x-www-form-urlencoded, application/sparql-query "
                               f"or application/sparql-update, not {ctype or 'no content type'!r}")


def endpoint_url(request: Request) -> str:
    """The endpoint's own URL: the base of relative IRIs in queries and updates sent to it."""
    return site_root(request) + "sparql"


async def _sparql(request: Request) -> Response:
    values, direct_query, direct_update = await _parameters(request)
    if direct_update is not None or "update" in values:
        if request.method != "POST":
            raise HckgError("an update is sent with POST (SPARQL 1.1 Protocol, section 2.2); GET only queries")
        check_write_token(request)
        update = direct_update if direct_update is not None else _one(values, "update") or ""
        settings = state(request).settings
        check_update(update, settings.allow_service, settings.allow_load, settings.max_nesting)
        update = with_dataset(update, values.get("using-graph-uri", ()), values.get("using-named-graph-uri", ()))
        await run_in_threadpool(state(request).writes.run, "apply_update", settings,
                                with_base(update, endpoint_url(request)))
        return Response(status_code=204)
    query = direct_query if direct_query is not None else _one(values, "query")
    app_state = state(request)
    accept = request.headers.get("accept")
    fmt = format_param(values.get("format", []), accept)
    if query is None:
        if choose(accept, [(HTML, "html"), ("text/turtle", "ttl")]) == "html" and "format" not in values:
            return RedirectResponse("/editor", status_code=303, headers=VARY)
        description = await run_in_threadpool(service_description, app_state.store(), Site(site_root(request)))
        return _graph_response(description, accept, fmt)
    check_query(query, app_state.settings.allow_service, app_state.settings.max_nesting)
    results_format, graph_format = formats_for(accept, fmt)
    if results_format is None:
        raise NotAcceptable(f"no answer format fits Accept: {accept}")
    default_graphs = tuple(iri_parameter("default-graph-uri", v) for v in values.get("default-graph-uri", ())) or None
    named_graphs = tuple(iri_parameter("named-graph-uri", v) for v in values.get("named-graph-uri", ())) or None
    if named_graphs is not None and default_graphs is None:
        default_graphs = ()
    if default_graphs is not None and named_graphs is None:
        named_graphs = ()
    app_state.store()  # StoreMissing (503) before a worker is bothered
    outcome = await run_in_threadpool(app_state.pool.run, with_base(query, endpoint_url(request)), results_format,
                                      graph_format, default_graphs, named_graphs)
    return outcome_response(outcome, VARY)


QUERY_PARAMETERS = [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "The SPARQL query; without one (and without `update`), the service description."},
    {"name": "default-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "A graph of the query's default graph (repeatable); default: the union of all graphs."},
    {"name": "named-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "A named graph the query may address with GRAPH (repeatable)."},
    {"name": "format", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "Answer format by name or media type (json, xml, csv, tsv, ttl, nt, jsonld, rdfxml); "
                    "wins over Accept. Repeated values must agree, or Accept must pick one of them."},
]
FORM_BODY = {"requestBody": {"content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
        "using-graph-uri": {"type": "array", "items": {"type": "string"}},
        "using-named-graph-uri": {"type": "array", "items": {"type": "string"}}}}},
    "application/sparql-query": {"schema": {"type": "string"}},
    "application/sparql-update": {"schema": {"type": "string"}},
}}}
UPDATE_PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
     "style": "form", "explode": True, "description": text}
    for name, text in (("using-graph-uri", "A graph of an update's WHERE default graph (repeatable)."),
                       ("using-named-graph-uri", "A named graph an update's WHERE may address (repeatable)."))
]


@router.get("/sparql", summary="SPARQL 1.1 Protocol: query by GET", operation_id="sparql_query_get",
            openapi_extra={"parameters": QUERY_PARAMETERS})
async def sparql_get(request: Request) -> Response:
    """Query with `query=`; results by `Accept` or `format=`.

    Without a query: the SPARQL service description. The default graph is the union of all named
    graphs unless `default-graph-uri` / `named-graph-uri` are given. Relative IRIs resolve against
    the endpoint's URL.
    """
    return await _sparql(request)


@router.post("/sparql", summary="SPARQL 1.1 Protocol: query or update by POST", operation_id="sparql_post",
             openapi_extra={"parameters": QUERY_PARAMETERS + UPDATE_PARAMETERS, **FORM_BODY})
async def sparql_post(request: Request) -> Response:
    """A query (form `query=` or `application/sparql-query`) or an update (form `update=` or
    `application/sparql-update`, with the write token as `Authorization: Bearer <token>`; through the
    validation gate). `using-graph-uri` / `using-named-graph-uri` set an update's dataset."""
    return await _sparql(request)


@router.api_route("/sparql/", methods=["GET", "POST"], include_in_schema=False)
async def sparql_slash(request: Request) -> Response:
    """The same endpoint with a trailing slash (the W3C protocol tests write `/sparql/`)."""
    return await _sparql(request)


def _graph_response(graph: object, accept: str | None, fmt: str | None, status: int = 200) -> Response:
    import rdflib

    assert isinstance(graph, rdflib.Graph)
    name = fmt if fmt in RDF_FORMATS and fmt not in ("trig", "nq") else choose(accept, graph_offers(datasets=False))
    if name is None:
        raise NotAcceptable(f"no RDF format fits Accept: {accept}")
    body = graph.serialize(format=RDF_FORMATS[name].rdflib, encoding="utf-8")
    return Response(body, status_code=status, media_type=RDF_FORMATS[name].media_type, headers={"Vary": "Accept"})


def _graph_param(values: dict[str, list[str]]) -> str:
    graph = _one(values, "graph")
    if graph is None:
        raise HckgError("give the graph as ?graph=<IRI> (the default graph is the union of all graphs and read-only)")
    return iri_parameter("graph", graph)


@router.get("/rdf-graphs", summary="Graph Store Protocol: read one named graph", operation_id="graph_store_get")
async def read_graph(request: Request) -> Response:
    values = query_values(request)
    graph = _graph_param(values)
    app_state = state(request)
    if not await run_in_threadpool(app_state.store().graph_exists, graph):
        return Response(status_code=404, content=f"no named graph {graph}", media_type="text/plain")
    accept = request.headers.get("accept")
    _, graph_format = formats_for(accept, format_param(values.get("format", []), accept))
    if graph_format is None:
        raise NotAcceptable("no RDF format fits the Accept header")
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    outcome = await run_in_threadpool(app_state.pool.run, text, "json", graph_format)
    return outcome_response(outcome)


@router.put("/rdf-graphs", summary="Graph Store Protocol: replace a named graph (needs the write token)",
            operation_id="graph_store_put")
async def put_graph(request: Request) -> Response:
    return await write_graph(request)


@router.post("/rdf-graphs", summary="Graph Store Protocol: add a new named graph (needs the write token)",
             operation_id="graph_store_post")
async def post_graph(request: Request) -> Response:
    return await write_graph(request)


@router.delete("/rdf-graphs", summary="Graph Store Protocol: drop a named graph (needs the write token)",
               operation_id="graph_store_delete")
async def delete_graph(request: Request) -> Response:
    return await write_graph(request)


async def write_graph(request: Request) -> Response:
    """PUT replaces a named graph, POST adds a new one, DELETE drops one; each through the validation gate."""
    check_write_token(request)
    values = query_values(request)
    graph = _graph_param(values)
    settings = state(request).settings
    if request.method == "DELETE":
        await run_in_threadpool(state(request).writes.run, "drop_graph", settings, graph)
        return Response(status_code=204)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    suffix = SUFFIX_OF_MEDIA.get(ctype)
    if suffix is None:
        raise UnsupportedMediaType(f"send the graph as one of {', '.join(SUFFIX_OF_MEDIA)}, not {ctype!r}")
    body = await request.body()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload.{suffix}"
        path.write_bytes(body)
        report = await run_in_threadpool(state(request).writes.run, "load_file", settings, path, graph,
                                         request.method == "PUT", f"Graph Store {request.method}")
    return Response(status_code=204 if report.replaced else 201)
