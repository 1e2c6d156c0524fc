"""The web pages: home (counts, label search, saved queries), one page per saved query, the SPARQL editor.

Every page is a Jinja2 template (``hckg_web/templates/``) extending ``base.html``. The query pages and
``/editor?plain=1`` are plain forms that work without JavaScript; ``/editor`` is YASGUI, served from
``static/vendor/`` (``make vendor``), with that form as its ``<noscript>`` fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from hckg.config import Settings
from hckg.errors import BadParameter, HckgError
from hckg.iris import HCKG, PREFIXES
from hckg.queries.catalog import Parameter, SavedQuery, get_query, load_catalog
from hckg.queries.running import Bound, bind, enumerate_values, parse_value
from hckg.reports.describe import ontology_terms
from hckg.reports.labels import labels_of
from hckg.reports.stats import summarise
from hckg.store.base import Store

from ..guard import check_query
from ..render.answers import Answer, answer_of
from ..render.templates import page, vendored
from ..runtime.state import State, query_values, site_root, state
from .views import QueryView, caveat_text, query_view

router = APIRouter(include_in_schema=False)
SHOWN_CLASSES = ("Province", "Topsector", "SocietalChallenge", "LearningCommunity", "Organisation", "Action", "Target")
SELECT_DOWNLOADS = ("csv", "json", "tsv")
GRAPH_DOWNLOADS = ("ttl", "jsonld", "nt")
YASGUI_FILES = ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css")


def _common(app_state: State) -> dict[str, object]:
    return {"base_iri": app_state.settings.base_iri}


def editor_href(sparql: str) -> str:
    """/editor with ``sparql`` in the URL: YASGUI opens it in a tab and runs it (the plain form shows it)."""
    return "/editor?" + urlencode({"query": sparql})


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    app_state = state(request)
    summary = summarise(app_state.store())
    counts = [(f"hckg:{name}", summary.count(f"{HCKG}{name}")) for name in SHOWN_CLASSES]
    catalog = load_catalog(app_state.settings.queries_dir)
    return page("home.html", title="Roadmap Human Capital as a knowledge graph", summary=summary, counts=counts,
                queries=list(catalog.values()), **_common(app_state))


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, text: str = "") -> HTMLResponse:
    app_state = state(request)
    error, answer = None, None
    try:
        bound = await run_in_threadpool(bind, app_state.store(), get_query(app_state.settings.queries_dir, "label-search"),
                                        {"text": [text]})
        answer = await run_in_threadpool(_run, app_state, bound.sparql)
    except HckgError as err:
        error = err
    return page("search.html", status_code=error.http_status if error else 200, title=f"Search: {text}", text=text,
                answer=answer, error=error, **_common(app_state))


@router.get("/queries", response_class=HTMLResponse)
def query_list(request: Request) -> HTMLResponse:
    app_state = state(request)
    catalog = load_catalog(app_state.settings.queries_dir)
    return page("queries.html", title="Saved queries", queries=list(catalog.values()), **_common(app_state))


def _run(app_state: State, sparql: str) -> Answer:
    """Run ``sparql`` in the query pool (time limit, row cap) and label the answer's IRIs (blocking)."""
    store = app_state.store()
    outcome = app_state.pool.run(sparql, "json", "ttl")
    return answer_of(outcome, store, app_state.settings.queries_dir)


# --- the form of a saved query -------------------------------------------------------------------


@dataclass
class Field:
    """One parameter of a query's form, with the values the answer shown was computed with."""

    param: Parameter
    options: list[tuple[str, str]]
    """(value, shown label) of an enumerated parameter; empty for a free one."""
    chosen: list[str]

    @property
    def multiple(self) -> bool:
        return len(self.chosen) > 1

    @property
    def unknown(self) -> list[str]:
        """Chosen values no option carries (a bad value in the URL): shown as such rather than silently
        replaced by the first option, which the browser would otherwise preselect."""
        known = {value for value, _ in self.options}
        return [c for c in self.chosen if c not in known]


def _resolved(store: Store, param: Parameter, raw: str) -> str:
    """The value a form option carries for what the URL gave (a label becomes its IRI); the text if invalid."""
    try:
        return parse_value(store, param, raw).value
    except BadParameter:
        return raw


def _fields(store: Store, query: SavedQuery, given: Mapping[str, Sequence[str]], bound: Bound | None,
            queries_dir: Path) -> list[Field]:
    """The form's fields preselecting what the answer used: the bound terms, else the URL's values resolved
    the way ``bind`` resolves them, else the defaults. A shared link thus shows the values of its answer."""
    fields = []
    for param in query.parameters:
        if bound is not None and param.variable in bound.values:
            chosen = [t.value for t in bound.values[param.variable]]
        elif bound is not None and param.variable in bound.terms:
            chosen = [bound.terms[param.variable].value]
        elif given.get(param.name):
            chosen = [_resolved(store, param, v) for v in given[param.name]]
        elif param.default is not None:
            chosen = [_resolved(store, param, param.default)]
        else:
            chosen = []
        enumerated = enumerate_values(store, param)
        names = labels_of(store, [t.value for t, _ in enumerated if isinstance(t, ox.NamedNode)], queries_dir=queries_dir)
        options = [(t.value, names.get(t.value, label)) for t, label in enumerated]
        fields.append(Field(param, options, chosen))
    return fields


@dataclass
class Shown:
    """What a query page shows besides the form: the SPARQL, the parameters by label, links, the answer."""

    sparql: str
    ran: bool
    parameters: list[tuple[str, list[str]]] = field(default_factory=list)
    answer: Answer | None = None
    downloads: list[tuple[str, str]] = field(default_factory=list)
    caveat: str = ""
    view: QueryView | None = None


def _parameters_by_label(store: Store, query: SavedQuery, bound: Bound, queries_dir: Path) -> list[tuple[str, list[str]]]:
    """Each parameter the answer used, by the label of its value (the IRI when it has none)."""
    terms: list[tuple[str, list[ox.NamedNode | ox.Literal]]] = []
    for param in query.parameters:
        if param.variable in bound.values:
            terms.append((param.name, list(bound.values[param.variable])))
        elif param.variable in bound.terms:
            terms.append((param.name, [bound.terms[param.variable]]))
    labels = labels_of(store, [t.value for _, ts in terms for t in ts if isinstance(t, ox.NamedNode)],
                       queries_dir=queries_dir)
    return [(name, [labels.get(t.value, t.value) if isinstance(t, ox.NamedNode) else t.value for t in ts])
            for name, ts in terms]


def _query_page(app_state: State, query: SavedQuery, values: dict[str, list[str]], run: bool
                ) -> tuple[list[Field], Shown, HckgError | None]:
    store, settings = app_state.store(), app_state.settings
    bound, error = None, None
    if run:
        try:
            bound = bind(store, query, values)
        except HckgError as err:
            error = err
    fields = _fields(store, query, values, bound, settings.queries_dir)
    if bound is None:
        return fields, Shown(query.sparql, False), error
    shown = Shown(bound.sparql, True, _parameters_by_label(store, query, bound, settings.queries_dir))
    try:
        shown.answer = _run(app_state, bound.sparql)
        qs = urlencode([(k, x) for k, v in values.items() for x in v])
        suffixes = GRAPH_DOWNLOADS if shown.answer.kind == "graph" else SELECT_DOWNLOADS
        shown.downloads = [(s, f"/api/queries/{query.name}.{s}?{qs}") for s in suffixes]
        shown.caveat = caveat_text(store, settings, query.name, values)
        if query.view and shown.answer.kind == "solutions":
            shown.view = query_view(store, settings, query, shown.answer, values)
    except HckgError as err:
        error = err
    return fields, shown, error


@router.get("/queries/{name}", response_class=HTMLResponse)
async def query_page(request: Request, name: str) -> HTMLResponse:
    app_state = state(request)
    query = get_query(app_state.settings.queries_dir, name)
    given = query_values(request)
    values = {k: [x for x in v if x != ""] for k, v in given.items() if k != "run"}
    values = {k: v for k, v in values.items() if v}
    run = "run" in given or not any(p.required for p in query.parameters)
    fields, shown, error = await run_in_threadpool(_query_page, app_state, query, values, run)
    return page("query.html", status_code=error.http_status if error else 200, title=name, query=query,
                fields=fields, shown=shown, error=error, editor_href=editor_href(shown.sparql), **_common(app_state))


# --- the SPARQL editor ---------------------------------------------------------------------------

DEFAULT_QUERY = ("PREFIX hckg: <https://w3id.org/hckg/def#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n"
                 "SELECT ?province ?label WHERE {\n  ?province a hckg:Province ; rdfs:label ?label .\n"
                 "  FILTER(LANG(?label) = \"nl\")\n}\nORDER BY ?label")


@dataclass(frozen=True)
class Example:
    name: str
    summary: str
    sparql: str


def _examples(store: Store, folder: Path) -> list[Example]:
    """Every saved query with its defaults bound; one with a required parameter and no default as written."""
    examples = []
    for query in load_catalog(folder).values():
        try:
            sparql = bind(store, query, {}).sparql
        except BadParameter:
            sparql = query.sparql
        examples.append(Example(query.name, query.summary, sparql.strip()))
    return examples


def _editor_config(request: Request, store: Store, settings: Settings) -> dict[str, object]:
    namespace = str(HCKG)
    terms = ontology_terms(store)
    return {
        "endpoint": site_root(request) + "sparql",
        "baseIri": settings.base_iri,
        "query": DEFAULT_QUERY,
        "prefixes": PREFIXES,
        "prefixLines": sorted(f"{p}: <{ns}>" for p, ns in PREFIXES.items()),
        "classes": [t.iri for t in terms if t.kind == "Class" and t.iri.startswith(namespace)],
        "properties": [t.iri for t in terms if t.kind != "Class" and t.iri.startswith(namespace)],
    }


@router.get("/editor", response_class=HTMLResponse)
async def editor(request: Request, query: str = "", plain: str | None = None) -> HTMLResponse:
    app_state = state(request)
    settings = app_state.settings
    limits = {"timeout": f"{settings.query_timeout_s:g}", "row_cap": settings.row_cap}
    if plain is None and vendored(*YASGUI_FILES):
        store = app_state.store()
        examples = await run_in_threadpool(_examples, store, settings.queries_dir)
        config = await run_in_threadpool(_editor_config, request, store, settings)
        return page("editor.html", title="SPARQL editor", query=query or DEFAULT_QUERY, config=config,
                    examples=examples, **limits, **_common(app_state))
    answer, error, downloads = None, None, []
    if query:
        try:
            check_query(query, settings.allow_service, settings.max_nesting)
            app_state.store()
            answer = await run_in_threadpool(_run, app_state, query)
            formats = GRAPH_DOWNLOADS if answer.kind == "graph" else (*SELECT_DOWNLOADS, "xml")
            downloads = [(f, "/sparql?" + urlencode({"query": query, "format": f})) for f in formats]
        except HckgError as err:
            error = err
    return page("editor_plain.html", status_code=error.http_status if error else 200, title="SPARQL editor",
                query=query or DEFAULT_QUERY, answer=answer, error=error, downloads=downloads,
                vendored=vendored(*YASGUI_FILES), **limits, **_common(app_state))
