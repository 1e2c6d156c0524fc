"""Linked data: ``/id/...`` and ``/def`` by content negotiation, ``/dumps/``, ``/.well-known/void``.

The data's IRIs live under ``HCKG_BASE_IRI`` (https://w3id.org/hckg/); this server answers for
them under its own root, so a w3id redirect to the deployment is all dereferencing needs.
"""

from __future__ import annotations

from email.utils import formatdate
from typing import Iterable

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from ..render.conneg import HTML, choose, graph_offers
from hckg.reports.describe import UnknownResource, describe, graph_triples, ontology_terms
from ..dumps import Dumps, dump_name, format_of
from hckg.reports.export import EXPORT_FORMATS
from hckg.formats import RDF_FORMATS
from hckg.iris import ONTOLOGY_GRAPH, PREFIXES, BadIri, checked_iri
from hckg.reports.void import Site, void_description
from ..runtime.workers import NotAcceptable

from ..render.templates import page
from .views import community_section
from .sparql import _graph_response
from ..runtime.state import site_root, state

router = APIRouter(tags=["linked data"])
VARY = {"Vary": "Accept"}
ALTERNATES = ("ttl", "nt", "jsonld", "rdfxml")


def _negotiate(request: Request, fmt: str | None) -> str:
    if fmt in ("html", *RDF_FORMATS) and fmt not in ("trig", "nq"):
        return fmt  # type: ignore[return-value]
    chosen = choose(request.headers.get("accept"), [(HTML, "html"), *graph_offers(datasets=False)])
    if chosen is None:
        raise NotAcceptable("this resource is offered as text/html, text/turtle, application/n-triples, "
                            "application/ld+json and application/rdf+xml")
    return chosen


def _rdf(triples: Iterable[ox.Triple], fmt: str) -> Response:
    chosen = RDF_FORMATS[fmt]
    body = ox.serialize(list(triples), format=chosen.rdf, prefixes=PREFIXES if fmt == "ttl" else None)
    return Response(body, media_type=chosen.media_type, headers=VARY)


@router.get("/id/{path:path}", summary="A resource of the graph, as HTML or RDF by content negotiation")
async def resource(request: Request, path: str, format: str | None = None) -> Response:
    app_state = state(request)
    base = app_state.settings.base_iri
    iri = f"{base}id/{path}"
    fmt = _negotiate(request, format)
    try:
        checked_iri(iri)  # a path that makes no IRI names no resource: 404, like any unknown one
    except BadIri as err:
        if fmt != "html":
            raise UnknownResource(iri) from err
        return page("error.html", status_code=404, headers=VARY, title="Not found",
                    error=f"no resource {iri!r}: {err}", base_iri=base)
    try:
        found = await run_in_threadpool(describe, app_state.store(), iri)
    except UnknownResource as missing:
        if fmt != "html":
            raise
        return page("error.html", status_code=404, headers=VARY, title="Not found", error=missing, base_iri=base)
    if fmt != "html":
        return _rdf(found.triples(), fmt)
    extra = await run_in_threadpool(community_section, app_state.store(), app_state.settings, iri)
    return page("resource.html", headers=VARY, title=found.label(), found=found, extra=extra, short=_short,
                formats=ALTERNATES, base_iri=base)


def _short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


@router.get("/def", summary="The HCKG ontology: documentation (HTML) or the ontology graph (RDF)")
async def ontology(request: Request, format: str | None = None) -> Response:
    app_state = state(request)
    fmt = _negotiate(request, format)
    store = app_state.store()
    if fmt != "html":
        triples = await run_in_threadpool(lambda: list(graph_triples(store, str(ONTOLOGY_GRAPH))))
        return _rdf(triples, fmt)
    terms = await run_in_threadpool(ontology_terms, store)
    sections = [(title, [t for t in terms if t.kind == kind]) for kind, title in
                (("Class", "Classes"), ("ObjectProperty", "Object properties"), ("DatatypeProperty", "Datatype properties"))]
    return page("ontology.html", headers=VARY, title="HCKG ontology", sections=sections, short=_short, formats=ALTERNATES,
                base_iri=app_state.settings.base_iri)


def _dumps(request: Request) -> Dumps:
    app_state = state(request)
    folder = app_state.settings.store_path.absolute().parent / "dumps"
    cache = getattr(request.app.state, "dumps", None)
    if cache is None or cache.folder != folder:
        cache = request.app.state.dumps = Dumps(folder)
    return cache  # type: ignore[no-any-return]


@router.get("/dumps/", summary="The dump files of the whole dataset")
async def dump_index(request: Request) -> Response:
    names = [dump_name(f) for f in EXPORT_FORMATS]
    if choose(request.headers.get("accept"), [(HTML, "html"), ("application/json", "json")]) == "json":
        return Response(content=__import__("json").dumps(names), media_type="application/json", headers=VARY)
    rows = [(n, RDF_FORMATS[f].media_type, "named graphs kept" if f in ("trig", "nq") else "all graphs merged")
            for n, f in zip(names, EXPORT_FORMATS)]
    return page("dumps.html", headers=VARY, title="Dumps", rows=rows, base_iri=state(request).settings.base_iri)


@router.get("/dumps/{name}", summary="One dump file (gzip)")
async def dump_file(request: Request, name: str) -> Response:
    fmt = format_of(name)
    app_state = state(request)
    store, version = app_state.store(), app_state.live.version()
    dump = await run_in_threadpool(_dumps(request).get, store, version, fmt)
    headers = {"ETag": dump.etag, "Last-Modified": formatdate(dump.last_modified, usegmt=True),
               "Cache-Control": "public, max-age=0, must-revalidate"}
    if dump.etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return FileResponse(dump.path, media_type="application/gzip", filename=dump.name, headers=headers)


@router.get("/.well-known/void", summary="VoID + DCAT-AP-NL description of the dataset")
async def void(request: Request, format: str | None = None) -> Response:
    app_state = state(request)
    graph = await run_in_threadpool(void_description, app_state.store(), Site(site_root(request)))
    return _graph_response(graph, request.headers.get("accept"), format)
