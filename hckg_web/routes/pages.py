"""The web pages: home (counts, label search, saved queries), one page per saved query, a SPARQL editor.

Plain server-rendered HTML forms (no JavaScript, no CDN): every page works in any browser and in
tests with a plain HTTP client.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from hckg.queries.catalog import Parameter, SavedQuery, get_query, load_catalog
from hckg.errors import HckgError
from ..guard import check_query
from hckg.queries.running import internal, run_text, select
from hckg.reports.stats import summarise
from ..runtime.workers import Outcome

from .api import run_saved_query
from ..render.html import page, results_table, table
from ..runtime.state import query_values, state
from .views import caveat_html, query_view_html

router = APIRouter(include_in_schema=False)
SHOWN_CLASSES = ("Province", "Topsector", "SocietalChallenge", "LearningCommunity", "Organisation", "Action", "Target")


def _error(error: HckgError) -> str:
    return f"<p class=\"error\">{escape(str(error))}</p>"


def _answer_html(outcome: Outcome, base_iri: str) -> str:
    note = (f"<p class=\"flag\">Only the first {outcome.count} rows are shown: the answer was longer than the "
            "server's row cap.</p>" if outcome.truncated else "")
    if outcome.kind == "graph":
        return note + f"<pre>{escape(outcome.body.decode('utf-8'))}</pre>"
    document = json.loads(outcome.body)
    rows = "" if outcome.kind == "boolean" else f"<p class=\"muted\">{outcome.count} row(s)</p>"
    return note + rows + results_table(document, base_iri)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    app_state = state(request)
    summary = summarise(app_state.store())
    counts = [[f"hckg:{escape(name)}", str(summary.count(f'https://w3id.org/hckg/def#{name}'))] for name in SHOWN_CLASSES]
    catalog = load_catalog(app_state.settings.queries_dir)
    queries = "".join(f"<li><a href=\"/queries/{escape(q.name)}\">{escape(q.name)}</a>: {escape(q.summary)}</li>"
                      for q in catalog.values())
    body = (
        "<p>The Dutch Topsectors' <em>Roadmap Human Capital 2020-2023</em> (and 2016-2020) and reference data on "
        "learning communities as linked data: an ontology, curated sources with provenance, saved questions and "
        "a SPARQL endpoint.</p>"
        "<form action=\"/search\" method=\"get\"><label for=\"text\">Search the labels (Dutch or English)</label>"
        "<input type=\"text\" id=\"text\" name=\"text\" placeholder=\"fryslan, energie, fieldlab ...\"> "
        "<button type=\"submit\">Search</button></form>"
        f"<h2>What is inside</h2><p>{summary.triples} triples in {len(summary.graphs)} named graphs.</p>"
        + table(["class", "resources"], counts)
        + f"<h2>Saved queries ({len(catalog)})</h2><ul>{queries}</ul>"
        "<h2>For machines</h2><ul><li>SPARQL endpoint: <code>/sparql</code></li>"
        "<li>Saved-query API: <a href=\"/api/queries\">/api/queries</a>, <a href=\"/docs\">OpenAPI docs</a></li>"
        "<li>Dataset description: <a href=\"/.well-known/void\">/.well-known/void</a>; dumps: "
        "<a href=\"/dumps/\">/dumps/</a></li></ul>"
    )
    return HTMLResponse(page("Roadmap Human Capital as a knowledge graph", body))


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, text: str = "") -> HTMLResponse:
    app_state = state(request)
    try:
        outcome = await run_in_threadpool(run_saved_query, request, "label-search", "json")
        answer = _answer_html(outcome, app_state.settings.base_iri)
        status = 200
    except HckgError as error:
        answer, status = _error(error), error.http_status
    form = (f"<form action=\"/search\" method=\"get\"><input type=\"text\" name=\"text\" value=\"{escape(text)}\"> "
            "<button type=\"submit\">Search</button></form>")
    return HTMLResponse(page(f"Search: {text}", form + answer), status_code=status)


@router.get("/queries", response_class=HTMLResponse)
def query_list(request: Request) -> HTMLResponse:
    catalog = load_catalog(state(request).settings.queries_dir)
    rows = [[f"<a href=\"/queries/{escape(q.name)}\">{escape(q.name)}</a>", escape(q.form),
             escape(", ".join(p.name + ("" if p.required else "?") for p in q.parameters)), escape(q.summary)]
            for q in catalog.values()]
    return HTMLResponse(page("Saved queries", table(["query", "form", "parameters", "summary"], rows)))


def _options(request: Request, param: Parameter) -> list[tuple[str, str]]:
    """(value, shown label) of an enumerated parameter; IRIs are shown by their Dutch label."""
    if param.kind != "iri":
        return [(v, v) for v in param.enum]
    store = state(request).store()
    shown = []
    for iri in param.enum:
        rows = list(select(run_text(store, internal("labels-of-resource.rq"), {"resource": iri})))
        labels = sorted(rows, key=lambda r: (r["label"].language != "nl", r["predicate"].value.endswith("notation")))
        shown.append((iri, labels[0]["label"].value if labels else iri))
    return shown


def _form(request: Request, query: SavedQuery, given: dict[str, list[str]]) -> str:
    fields = []
    for param in query.parameters:
        chosen = (given.get(param.name) or [param.default or ""])[0]
        need = "required" if param.required else "optional"
        label = f"<label for=\"{escape(param.name)}\">{escape(param.name)} <span class=\"muted\">({escape(param.kind)}, {need})</span></label>"
        if param.enum:
            blank = "" if param.required else "<option value=\"\"></option>"
            options = "".join(
                f"<option value=\"{escape(v)}\"{' selected' if v == chosen else ''}>{escape(shown)}</option>"
                for v, shown in _options(request, param))
            fields.append(f"{label}<select id=\"{escape(param.name)}\" name=\"{escape(param.name)}\">{blank}{options}</select>")
        else:
            fields.append(f"{label}<input type=\"text\" id=\"{escape(param.name)}\" name=\"{escape(param.name)}\" "
                          f"value=\"{escape(chosen)}\">")
    return (f"<form method=\"get\" action=\"/queries/{escape(query.name)}\">{''.join(fields)}"
            "<input type=\"hidden\" name=\"run\" value=\"1\"><p><button type=\"submit\">Run</button></p></form>")


@router.get("/queries/{name}", response_class=HTMLResponse)
async def query_page(request: Request, name: str) -> HTMLResponse:
    app_state = state(request)
    query = get_query(app_state.settings.queries_dir, name)
    values = {k: [x for x in v if x != ""] for k, v in query_values(request).items() if k != "run"}
    values = {k: v for k, v in values.items() if v}
    form = await run_in_threadpool(_form, request, query, values)
    intro = f"<p>{escape(query.summary)}</p>" + (f"<p class=\"muted\">{escape(query.description)}</p>"
                                                  if query.description else "")
    answer, status = "", 200
    if "run" in query_values(request) or not any(p.required for p in query.parameters):
        try:
            outcome = await run_in_threadpool(run_saved_query, request, name, "json", values)
            suffixes = ("ttl", "nt", "jsonld") if outcome.kind == "graph" else ("csv", "json", "tsv")
            qs = urlencode([(k, x) for k, v in values.items() for x in v])
            downloads = " · ".join(f"<a href=\"/api/queries/{escape(name)}.{s}?{escape(qs)}\">{s}</a>" for s in suffixes)
            answer = f"<h2>Answer</h2><p>Download: {downloads}</p>" + _answer_html(outcome, app_state.settings.base_iri)
            answer += await run_in_threadpool(caveat_html, app_state.store(), app_state.settings, name, values)
            if query.view and outcome.kind == "solutions":
                answer += await run_in_threadpool(query_view_html, app_state.store(), app_state.settings, query,
                                                  outcome.body, values)
        except HckgError as error:
            answer, status = _error(error), error.http_status
    return HTMLResponse(page(name, intro + form + answer), status_code=status)


@router.get("/editor", response_class=HTMLResponse)
async def editor(request: Request, query: str = "") -> HTMLResponse:
    app_state = state(request)
    text = query or ("PREFIX hckg: <https://w3id.org/hckg/def#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n"
                     "SELECT ?province ?label WHERE {\n  ?province a hckg:Province ; rdfs:label ?label .\n"
                     "  FILTER(LANG(?label) = \"nl\")\n}\nORDER BY ?label")
    form = (f"<form method=\"get\" action=\"/editor\"><textarea name=\"query\" spellcheck=\"false\">{escape(text)}</textarea>"
            "<p><button type=\"submit\">Run</button> <span class=\"muted\">Read-only; the server stops queries that "
            f"run longer than {app_state.settings.query_timeout_s:g} s and returns at most "
            f"{app_state.settings.row_cap} rows.</span></p></form>")
    answer, status = "", 200
    if query:
        try:
            check_query(query, app_state.settings.allow_service)
            app_state.store()
            outcome = await run_in_threadpool(app_state.pool.run, query, "json", "ttl")
            links = " · ".join(f"<a href=\"/sparql?{escape(urlencode({'query': query, 'format': f}))}\">{f}</a>"
                               for f in (("ttl", "nt", "jsonld") if outcome.kind == "graph" else ("csv", "json", "tsv", "xml")))
            answer = f"<h2>Answer</h2><p>Download: {links}</p>" + _answer_html(outcome, app_state.settings.base_iri)
        except HckgError as error:
            answer, status = _error(error), error.http_status
    return HTMLResponse(page("SPARQL editor", form + answer), status_code=status)
