"""Pages people would rather look at than read: ``/monitor``, ``/map``, ``/network`` and volgsysteem writes.

Every number drawn comes from a saved query run on the store (``hckg.reports.monitor``, ``hckg_web.render.charts``), and
every chart links to the query page that computes it. The SVG is rendered by the core (``hckg_web.render.svg*``);
this module only maps HTTP to those calls. ``POST /volgsysteem`` adds a record with the write token,
through the same gate as ``hckg volgsysteem add`` (``hckg.volgsysteem.records.add_record``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Mapping, Sequence
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from hckg.reports.analytics import build_graph
from hckg.queries.catalog import SavedQuery, get_query
from hckg.reports.caveat import caveat_for
from ..render.charts import Chart, answer_chart, chart_columns, monitor_charts, query_href
from hckg.config import Settings
from hckg.errors import BadParameter
from hckg.reports.monitor import Figure, monitor
from hckg.reports.provenance import graph_records
from hckg.queries.running import enumerate_values, internal, records, run_saved, run_text, select
from hckg.reports.monitor import Section
from hckg.store.base import Store
from ..render.svg_map import ProvinceCount, province_map
from ..render.svg_network import ego_network, network_svg
from hckg.gate.validate import ValidationFailed
from hckg.volgsysteem.records import COMMUNITY_PREFIX, RecordInput, parse_date, records_of, split_values

from markupsafe import Markup

from hckg.queries.running import parse_value
from ..render.answers import Answer
from ..render.templates import local_href, page, render
from .sparql import check_write_token
from ..runtime.state import query_values, state

router = APIRouter(include_in_schema=False)
MAP_QUERY = "communities-per-province-for-challenge"
LACKING_QUERY = "regions-lacking-community"
MEASURE_NAMES = {
    "communities": "communities", "startedAfterBaseline": "started after baseline",
    "startedByTargetYear": "started after baseline, by target year", "noStartYear": "no start year",
    "targetValue": "target", "shareOfTarget": "% of target", "atMostWithUndated": "at most, with undated",
    "provincesWith": "provinces with", "provincesWithout": "provinces without", "centres": "centres",
    "before": "before period", "byPeriodEnd": "by period end", "startedInPeriod": "started in period",
}


def _rows(store: Store, settings: Settings, name: str, params: Mapping[str, Sequence[str]] | None = None
          ) -> tuple[list[str], list[dict[str, str]]]:
    return records(run_saved(store, settings.queries_dir, name, params or {}))


def _api_link(query: str, params: Mapping[str, str] | None = None) -> str:
    qs = urlencode(list((params or {}).items()))
    return f"/api/queries/{query}.csv" + (f"?{qs}" if qs else "")


# --- /monitor ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    what: str
    source_file: str
    loaded_at: str


def _rests_on(store: Store) -> list[Loaded]:
    """Which loaded files the monitor's figures rest on, and when they were loaded ('' when not loaded)."""
    found = {r.source_file.rsplit("/", 1)[-1]: r for r in graph_records(store)}
    files = []
    for name, what in (("learning_communities.csv", "the learning communities"), ("roadmap.ttl", "the roadmap's targets")):
        r = found.get(name)
        files.append(Loaded(what, r.source_file if r else "", r.loaded_at if r else ""))
    return files


@dataclass(frozen=True)
class FigureTable:
    """A section's figures as the CLI prints them: one row per dimension value, one column per measure."""

    measures: list[str]
    headers: list[str]
    rows: list[tuple[str, str, list[tuple[Figure | None, str]], str]]
    """(dimension, value, [(figure or None, its href)] per measure, detail)."""


def _figure_table(rows: Sequence[Figure]) -> FigureTable:
    measures = list(dict.fromkeys(f.measure for f in rows))
    groups: dict[tuple[str, str], dict[str, Figure]] = {}
    for f in rows:
        groups.setdefault((f.dimension, f.label), {})[f.measure] = f
    body = []
    for (dimension, label), by_measure in groups.items():
        cells = [(by_measure.get(m), query_href(by_measure[m].query, by_measure[m].params) if m in by_measure else "")
                 for m in measures]
        detail = next((f.detail for f in by_measure.values() if f.detail), "")
        body.append((dimension, label, cells, detail))
    return FigureTable(measures, ["dimension", "value", *(MEASURE_NAMES.get(m, m) for m in measures), "detail"], body)


@dataclass(frozen=True)
class MonitorSection:
    section: Section
    charts: list[tuple[Chart, Markup, list[tuple[str, str]]]]
    """Each chart, its SVG, and the (query, csv link) pairs that compute it."""
    figures: FigureTable


def _volgsysteem(store: Store, settings: Settings) -> dict[str, object]:
    variables, counts = _rows(store, settings, "volgsysteem-status-counts")
    chart = answer_chart("chart-volgsysteem", "Learning communities by latest volgsysteem status", "bar",
                         variables, [{**r, "statusLabel": r["statusLabel"] or "no record"} for r in counts],
                         value="communities")
    _, latest = _rows(store, settings, "volgsysteem-latest-status")
    return {"chart": Markup(chart), "latest": latest, "recorded": sum(int(r["communities"]) for r in counts if r["status"]),
            "total": sum(int(r["communities"]) for r in counts)}


def monitor_html(store: Store, settings: Settings) -> str:
    result = monitor(store, settings.queries_dir)
    charts = monitor_charts(result)
    sections = [MonitorSection(s, [(c, Markup(c.svg), [(q, _api_link(q)) for q in c.queries]) for c in charts[s.key]],
                               _figure_table(result.rows(s.key)))
                for s in result.sections]
    return render("monitor.html", title="Roadmap monitor", base_iri=settings.base_iri, rests_on=_rests_on(store),
                  total=result.figure("100-extra", "all", "communities"),
                  undated=result.figure("100-extra", "all", "noStartYear"), sections=sections,
                  volgsysteem=_volgsysteem(store, settings))


@router.get("/monitor", response_class=HTMLResponse)
async def monitor_page(request: Request) -> HTMLResponse:
    app_state = state(request)
    return HTMLResponse(await run_in_threadpool(monitor_html, app_state.store(), app_state.settings))


# --- /map ----------------------------------------------------------------------------------------


def _choices(store: Store, query: SavedQuery, name: str) -> list[tuple[str, str]]:
    """(IRI, shown label) of an enumerated parameter, by its Dutch label as the query pages show it."""
    param = query.parameter(name)
    assert param is not None
    shown = []
    for term, label in enumerate_values(store, param):
        rows = list(select(run_text(store, internal("labels-of-resource.rq"), {"resource": term.value})))
        names = sorted(r["label"].value for r in rows  # type: ignore[index]
                       if r["predicate"].value.endswith("#label") and r["label"].language == "nl")  # type: ignore[index]
        shown.append((term.value, names[0] if names else label))
    return shown


def caveat_text(store: Store, settings: Settings, name: str, values: Mapping[str, Sequence[str]]) -> str:
    """The caveat of a saved query whose answer has one (hckg.reports.caveat), else ''."""
    found = caveat_for(store, settings.queries_dir, name, values)
    return found.text() if found else ""


def _chosen(store: Store, query: SavedQuery, name: str, given: Mapping[str, list[str]], fallback: str) -> str:
    """The IRI the map is drawn for: the URL's value (an IRI or a label, resolved as the query resolves
    it; BadParameter for an unknown one), else ``fallback``. The form preselects this same IRI, so a
    shared link shows the choices its map was drawn with."""
    raw = (given.get(name) or [""])[0]
    if not raw:
        return fallback
    param = query.parameter(name)
    assert param is not None
    return parse_value(store, param, raw).value


def map_html(store: Store, settings: Settings, given: Mapping[str, list[str]]) -> str:
    """The map page for ``challenge``, ``type`` and ``involved``; BadParameter for a value the query refuses."""
    query = get_query(settings.queries_dir, MAP_QUERY)
    challenges, types = _choices(store, query, "challenge"), _choices(store, query, "type")
    default_type = {"type": [query.parameter("type").default or types[0][0]]}  # type: ignore[union-attr]
    params = {"challenge": _chosen(store, query, "challenge", given, challenges[0][0]),
              "type": _chosen(store, query, "type", given, "") or _chosen(store, query, "type", default_type, ""),
              "involved": "true" if (given.get("involved") or ["false"])[0] == "true" else "false"}
    variables, rows = _rows(store, settings, MAP_QUERY, {k: [v] for k, v in params.items()})
    _, lacking_rows = _rows(store, settings, LACKING_QUERY, {k: [v] for k, v in params.items()})
    challenge_label = next((label for v, label in challenges if v == params["challenge"]), params["challenge"])
    type_label = next((label for v, label in types if v == params["type"]), params["type"])
    title = f"{type_label} serving {challenge_label}, per province"
    label, value = chart_columns(variables, rows, query.view_value)
    counts = [ProvinceCount(r["cbsCode"], r[label], int(r[value]), local_href(r["region"], settings.base_iri))
              for r in rows]
    return render("map.html", title="Province map", base_iri=settings.base_iri, heading=title,
                  selects=[("challenge", challenges), ("type", types)], params=params,
                  svg=Markup(province_map("province-map", title, counts)), rows=rows, label=label, value=value,
                  lacking=[r["regionLabel"] for r in lacking_rows],
                  caveat=caveat_text(store, settings, LACKING_QUERY, {k: [v] for k, v in params.items()}),
                  map_query=MAP_QUERY, lacking_query=LACKING_QUERY, map_href=query_href(MAP_QUERY, params),
                  map_csv=_api_link(MAP_QUERY, params), lacking_href=query_href(LACKING_QUERY, params))


@router.get("/map", response_class=HTMLResponse)
async def map_page(request: Request) -> HTMLResponse:
    app_state = state(request)
    given = {k: [x for x in v if x] for k, v in query_values(request).items()}
    try:
        html = await run_in_threadpool(map_html, app_state.store(), app_state.settings, given)
    except BadParameter as error:
        return page("error.html", status_code=400, title="Province map", error=error, base_iri=app_state.settings.base_iri)
    return HTMLResponse(html)


@router.get("/map.svg")
async def map_svg(request: Request) -> Response:
    """The map alone, for embedding elsewhere (same parameters as /map)."""
    html = await map_page(request)
    body = bytes(html.body).decode("utf-8")
    if html.status_code != 200:
        return html
    start = body.index("<svg")
    return Response(body[start: body.index("</svg>", start) + 6], media_type="image/svg+xml")


# --- /network ------------------------------------------------------------------------------------


def network_html(store: Store, settings: Settings, community: str) -> tuple[str, int]:
    full = build_graph(store)
    try:
        network = ego_network(full, community)
    except KeyError:
        options = sorted((str(d.get("label", n)), n) for n, d in full.nodes(data=True) if d.get("kind") == "community")
        status = 404 if community else 200
        return render("network_picker.html", title="Network of a community", base_iri=settings.base_iri,
                      community=community, options=options), status
    hrefs = {n: local_href(n, settings.base_iri) for n in network.graph.nodes}
    label = network.graph.nodes[community]["label"]
    svg = network_svg("network", f"{label} and its partners", network, hrefs)
    rows = [(d["role"], n, d["label"], d["kind"])
            for n, d in sorted(network.graph.nodes(data=True), key=lambda x: (x[1]["role"], x[1]["label"]))
            if n != community]
    return render("network.html", title=f"Network: {label}", base_iri=settings.base_iri, community=community,
                  label=label, svg=Markup(svg), rows=rows, left_out=network.left_out,
                  partners_href=query_href("partners-of-community", {"community": community})), 200


@router.get("/network", response_class=HTMLResponse)
async def network_page(request: Request, community: str = "") -> HTMLResponse:
    app_state = state(request)
    html, status = await run_in_threadpool(network_html, app_state.store(), app_state.settings, community)
    return HTMLResponse(html, status_code=status)


# --- saved-query pages and community pages ------------------------------------------------------


@dataclass(frozen=True)
class QueryView:
    """The drawing of a query page's answer for its ``#+ view:`` hint, or why there is none."""

    kind: str
    svg: Markup | None
    figure_class: str = "chart"
    note: str = ""


def query_view(store: Store, settings: Settings, query: SavedQuery, answer: Answer,
               values: Mapping[str, list[str]]) -> QueryView | None:
    """The chart of a query page for the query's ``#+ view:`` hint (None without a hint, or without a
    community for a network view)."""
    if query.view is None:
        return None
    try:
        if query.view == "network":
            community = (values.get("community") or [""])[0]
            if not community:
                return None
            network = ego_network(build_graph(store), community)
            hrefs = {n: local_href(n, settings.base_iri) for n in network.graph.nodes}
            return QueryView("network", Markup(network_svg("query-view", query.summary, network, hrefs)), "network")
        variables = answer.variables
        rows = [{v: b[v]["value"] for v in variables if v in b} for b in answer.rows]
        first_iri = next((v for v in variables if any(r.get(v, "").startswith("http") for r in rows)), None)

        def href(row: Mapping[str, str]) -> str:
            return local_href(row[first_iri], settings.base_iri) if first_iri and row.get(first_iri) else ""

        svg = answer_chart("query-view", query.summary, query.view, variables, rows, href, query.view_value)
        return QueryView(query.view, Markup(svg))
    except (ValueError, KeyError) as error:
        return QueryView(query.view, None, note=str(error))


def community_section(store: Store, settings: Settings, iri: str) -> Markup:
    """The volgsysteem records and network link shown on a learning community's own page ('' otherwise)."""
    if not iri.startswith(COMMUNITY_PREFIX):
        return Markup("")
    return Markup(render("community_section.html", base_iri=settings.base_iri, iri=iri, records=records_of(store, iri)))


# --- POST /volgsysteem ---------------------------------------------------------------------------


def _fields(content_type: str, body: bytes) -> dict[str, list[str]]:
    if content_type == "application/json":
        try:
            data = json.loads(body or b"{}")
        except json.JSONDecodeError as err:
            raise BadParameter("body", body[:80].decode("utf-8", "replace"), f"JSON: {err}") from err
        if not isinstance(data, dict):
            raise BadParameter("body", None, "a JSON object of fields")
        return {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in data.items()}
    fields: dict[str, list[str]] = {}
    for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(key, []).append(value)
    return fields


@router.post("/volgsysteem", include_in_schema=True, tags=["volgsysteem"],
             summary="Add one volgsysteem record (needs the write token; goes through the validation gate)")
async def add_volgsysteem_record(request: Request) -> Response:
    """Fields (form or JSON): community, status, date, source (repeatable), startYear, example, bottleneck,
    solution, result (repeatable), lang, replace. 201 with the record's IRI and graph; 400 names the
    field or lists the violations, and the store is unchanged."""
    check_write_token(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fields = _fields(ctype, await request.body())

    def one(name: str, required: bool = True) -> str:
        values = fields.get(name) or []
        if required and not (values and values[0].strip()):
            raise BadParameter(name, None, "required")
        return values[0] if values else ""

    given = RecordInput(one("community"), one("status"), parse_date(one("date")), split_values(fields.get("source")),
                        one("startYear", False), split_values(fields.get("example")),
                        split_values(fields.get("bottleneck")), split_values(fields.get("solution")),
                        split_values(fields.get("result")), one("lang", False) or "nl")
    try:
        report = await run_in_threadpool(state(request).writes.run, "add_record", state(request).settings, given,
                                         one("replace", False) == "true")
    except ValidationFailed as failed:
        return JSONResponse({"error": {"status": 400, "type": "ValidationFailed", "message": str(failed),
                                       "violations": [{"focus": v.focus, "path": v.path, "value": v.value,
                                                       "message": v.messages.get("en", "")}
                                                      for v in failed.violations]}}, status_code=400)
    return JSONResponse({"graph": report.graph, "triples": report.triples, "replaced": report.replaced},
                        status_code=200 if report.replaced else 201)
