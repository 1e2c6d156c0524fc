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

from ..render.conneg import HTML, choose, formats_for, graph_offers
from hckg.errors import HckgError
from hckg.formats import RDF_FORMATS
from ..clean_requests import BadRequest, iri_parameter
from ..guard import Refused, check_query, check_update
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


async def _parameters(request: Request) -> tuple[dict[str, list[str]], str | None, str | None]:
    """Protocol parameters, plus a query or update sent directly as the POST body."""
    values = query_values(request)
    if request.method != "POST":
        return values, None, None
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        body = (await request.body()).decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadRequest(f"the request body is not UTF-8 (byte {err.start}); SPARQL is sent as UTF-8") from None
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


@router.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 Protocol endpoint (read-only)")
async def sparql(request: Request) -> Response:
    """Query with `query=` (GET, or POST form / `application/sparql-query`); results by `Accept` or `format=`.

    Without a query: the SPARQL service description. The default graph is the union of all named
    graphs unless `default-graph-uri` / `named-graph-uri` are given.
    """
    values, direct_query, direct_update = await _parameters(request)
    if direct_update is not None or "update" in values:
        check_write_token(request)
        update = direct_update if direct_update is not None else _one(values, "update") or ""
        settings = state(request).settings
        check_update(update, settings.allow_service, settings.allow_load, settings.max_nesting)
        await run_in_threadpool(state(request).writes.run, "apply_update", settings, update)
        return Response(status_code=204)
    query = direct_query if direct_query is not None else _one(values, "query")
    app_state = state(request)
    accept = request.headers.get("accept")
    if query is None:
        if choose(accept, [(HTML, "html"), ("text/turtle", "ttl")]) == "html" and "format" not in values:
            return RedirectResponse("/editor", status_code=303)
        description = await run_in_threadpool(service_description, app_state.store(), Site(site_root(request)))
        return _graph_response(description, accept, _one(values, "format"))
    check_query(query, app_state.settings.allow_service, app_state.settings.max_nesting)
    results_format, graph_format = formats_for(accept, _one(values, "format"))
    if results_format is None:
        raise NotAcceptable(f"no answer format fits Accept: {accept}")
    default_graphs = tuple(iri_parameter("default-graph-uri", v) for v in values.get("default-graph-uri", ())) or None
    named_graphs = tuple(iri_parameter("named-graph-uri", v) for v in values.get("named-graph-uri", ())) or None
    if named_graphs is not None and default_graphs is None:
        default_graphs = ()
    if default_graphs is not None and named_graphs is None:
        named_graphs = ()
    app_state.store()  # StoreMissing (503) before a worker is bothered
    outcome = await run_in_threadpool(app_state.pool.run, query, results_format, graph_format,
                                      default_graphs, named_graphs)
    return outcome_response(outcome)


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


@router.get("/rdf-graphs", summary="Graph Store Protocol: read one named graph")
async def read_graph(request: Request) -> Response:
    values = query_values(request)
    graph = _graph_param(values)
    app_state = state(request)
    if not await run_in_threadpool(app_state.store().graph_exists, graph):
        return Response(status_code=404, content=f"no named graph {graph}", media_type="text/plain")
    _, graph_format = formats_for(request.headers.get("accept"), _one(values, "format"))
    if graph_format is None:
        raise NotAcceptable("no RDF format fits the Accept header")
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    outcome = await run_in_threadpool(app_state.pool.run, text, "json", graph_format)
    return outcome_response(outcome)


@router.api_route("/rdf-graphs", methods=["PUT", "POST", "DELETE"],
                  summary="Graph Store Protocol writes (need the write token)")
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
