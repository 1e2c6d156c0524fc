"""Pages people would rather look at than read: ``/monitor``, ``/map``, ``/network`` and volgsysteem writes.

Every number drawn comes from a saved query run on the store (``hckg.reports.monitor``, ``hckg_web.render.charts``), and
every chart links to the query page that computes it. The SVG is rendered by the core (``hckg_web.render.svg*``);
this module only maps HTTP to those calls. ``POST /volgsysteem`` adds a record with the write token,
through the same gate as ``hckg volgsysteem add`` (``hckg.volgsysteem.records.add_record``).
"""

from __future__ import annotations

import json
from html import escape
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
from hckg.reports.monitor import Figure, Monitor, monitor
from hckg.reports.provenance import graph_records
from hckg.queries.running import enumerate_values, internal, records, run_saved, run_text, select
from hckg.store.base import Store
from ..render.svg_map import ProvinceCount, province_map
from ..render.svg_network import ego_network, network_svg
from hckg.gate.validate import ValidationFailed
from hckg.volgsysteem.records import COMMUNITY_PREFIX, RecordInput, add_record, parse_date, records_of, split_values

from ..render.html import link, local_href, page, table
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


def _rests_on(store: Store, result: Monitor) -> str:
    """Which loaded files the monitor's figures rest on, when they were loaded, and how complete they are."""
    records = {r.source_file.rsplit("/", 1)[-1]: r for r in graph_records(store)}
    files = []
    for name, what in (("learning_communities.csv", "the learning communities"), ("roadmap.ttl", "the roadmap's targets")):
        r = records.get(name)
        files.append(f"{what} (<code>{escape(r.source_file)}</code>, loaded {escape(r.loaded_at)})" if r else
                     f"{what} (<em>not loaded</em>)")
    total = result.figure("100-extra", "all", "communities")
    undated = result.figure("100-extra", "all", "noStartYear")
    return (f"<p class=\"rests-on\">Rests on {' and '.join(files)}. Completeness: of <strong "
            f"id=\"communities-total\">{total}</strong> learning communities, <strong id=\"communities-undated\">"
            f"{undated}</strong> have no start year; they are counted and drawn as the light part of the bars, "
            "never dropped. See also <a href=\"/queries/data-sources\">data-sources</a>.</p>")


def _figure_table(rows: Sequence[Figure]) -> str:
    """The section's figures as the CLI prints them: one row per dimension value, one column per measure."""
    measures = list(dict.fromkeys(f.measure for f in rows))
    groups: dict[tuple[str, str], dict[str, Figure]] = {}
    for f in rows:
        groups.setdefault((f.dimension, f.label), {})[f.measure] = f
    body = []
    for (dimension, label), by_measure in groups.items():
        cells = [escape(dimension), escape(label)]
        for m in measures:
            f = by_measure.get(m)
            cells.append("" if f is None else f"<a class=\"figure\" data-measure=\"{escape(m)}\" "
                         f"href=\"{escape(query_href(f.query, f.params))}\">{escape(str(f.value))}</a>")
        detail = next((f.detail for f in by_measure.values() if f.detail), "")
        cells.append(escape(detail))
        body.append(cells)
    return table(["dimension", "value", *(MEASURE_NAMES.get(m, m) for m in measures), "detail"], body)


def _chart_html(chart: Chart) -> str:
    queries = " · ".join(f"<a href=\"/queries/{escape(q)}\">{escape(q)}</a> (<a href=\"{escape(_api_link(q))}\">csv</a>)"
                         for q in chart.queries)
    return (f"<h3>{escape(chart.title)}</h3><figure class=\"chart\" data-chart=\"{escape(chart.key)}\">{chart.svg}"
            f"<figcaption class=\"muted\">Computed by {queries}; each bar opens its query.</figcaption></figure>")


def _volgsysteem_html(store: Store, settings: Settings) -> str:
    variables, counts = _rows(store, settings, "volgsysteem-status-counts")
    chart = answer_chart("chart-volgsysteem", "Learning communities by latest volgsysteem status", "bar",
                         variables, [{**r, "statusLabel": r["statusLabel"] or "no record"} for r in counts],
                         value="communities")
    _, latest = _rows(store, settings, "volgsysteem-latest-status")
    rows = [[link(r["community"], settings.base_iri, r["communityLabel"]), escape(r["statusLabel"]), escape(r["date"]),
             escape(r["records"]), f"<a href=\"{escape(r['source'])}\">{escape(r['source'])}</a>"] for r in latest]
    recorded = sum(int(r["communities"]) for r in counts if r["status"])
    return ("<h2 id=\"volgsysteem\">Volgsysteem: latest status per community</h2>"
            f"<p>{recorded} of {sum(int(r['communities']) for r in counts)} learning communities have a volgsysteem "
            "record. There is no real volgsysteem data yet: records are added with <code>hckg volgsysteem add</code>, "
            "<code>hckg load</code> (Turtle) or <code>POST /volgsysteem</code> with the write token.</p>"
            f"<figure class=\"chart\" data-chart=\"volgsysteem\">{chart}<figcaption class=\"muted\">Computed by "
            "<a href=\"/queries/volgsysteem-status-counts\">volgsysteem-status-counts</a>.</figcaption></figure>"
            + (table(["community", "latest status", "date", "records", "source"], rows) if rows else
               "<p class=\"muted\">No community has a record yet (<a href=\"/queries/volgsysteem-latest-status\">"
               "volgsysteem-latest-status</a>).</p>"))


def monitor_html(store: Store, settings: Settings) -> str:
    result = monitor(store, settings.queries_dir)
    charts = monitor_charts(result)
    parts = ["<p>Progress toward the roadmap's targets, computed live from the graph. Every figure is the answer of a "
             "saved query; every bar and number links to it. <code>hckg monitor</code> prints the same figures.</p>",
             _rests_on(store, result),
             "<p>See also the <a href=\"/map\">province map</a> of the headline question.</p>"]
    for section in result.sections:
        notes = "".join(f"<li>{escape(n)}</li>" for n in section.notes)
        parts.append(
            f"<section id=\"{escape(section.key)}\"><h2>{escape(section.title)}</h2>"
            f"<p>In the data: <q>{escape(section.statement)}</q> (<a href=\"/queries/{escape(section.target_query)}\">"
            f"{escape(section.target_query)}</a>)</p>"
            + "".join(_chart_html(c) for c in charts[section.key])
            + f"<details open><summary>Figures</summary>{_figure_table(result.rows(section.key))}</details>"
            + f"<ul class=\"notes\">{notes}</ul></section>")
    parts.append(_volgsysteem_html(store, settings))
    return page("Roadmap monitor", "".join(parts))


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


def caveat_html(store: Store, settings: Settings, name: str, values: Mapping[str, Sequence[str]]) -> str:
    """The caveat paragraph of a saved query whose answer has one (hckg.reports.caveat), else nothing."""
    found = caveat_for(store, settings.queries_dir, name, values)
    return f"<p class=\"caveat\" id=\"caveat\">{escape(found.text())}</p>" if found else ""


def map_html(store: Store, settings: Settings, given: Mapping[str, list[str]]) -> str:
    """The map page for ``challenge``, ``type`` and ``involved``; BadParameter for a value the query refuses."""
    query = get_query(settings.queries_dir, MAP_QUERY)
    challenges, types = _choices(store, query, "challenge"), _choices(store, query, "type")
    params = {"challenge": (given.get("challenge") or [challenges[0][0]])[0],
              "type": (given.get("type") or [query.parameter("type").default or types[0][0]])[0],  # type: ignore[union-attr]
              "involved": "true" if (given.get("involved") or ["false"])[0] == "true" else "false"}
    variables, rows = _rows(store, settings, MAP_QUERY, {k: [v] for k, v in params.items()})
    _, lacking_rows = _rows(store, settings, LACKING_QUERY, {k: [v] for k, v in params.items()})
    challenge_label = next((label for v, label in challenges if v == params["challenge"]), params["challenge"])
    type_label = next((label for v, label in types if v == params["type"]), params["type"])
    title = f"{type_label} serving {challenge_label}, per province"
    label, value = chart_columns(variables, rows, query.view_value)
    counts = [ProvinceCount(r["cbsCode"], r[label], int(r[value]), local_href(r["region"], settings.base_iri))
              for r in rows]
    svg = province_map("province-map", title, counts)
    lacking = [r["regionLabel"] for r in lacking_rows]

    def select(name: str, options: list[tuple[str, str]]) -> str:
        opts = "".join(f"<option value=\"{escape(v)}\"{' selected' if v == params[name] else ''}>{escape(l)}</option>"
                       for v, l in options)
        return f"<label for=\"{name}\">{name}</label><select id=\"{name}\" name=\"{name}\">{opts}</select>"

    checked = " checked" if params["involved"] == "true" else ""
    form = (f"<form method=\"get\" action=\"/map\">{select('challenge', challenges)}{select('type', types)}"
            f"<label><input type=\"checkbox\" name=\"involved\" value=\"true\"{checked}> also via involved "
            "topsectors</label><p><button type=\"submit\">Show</button></p></form>")
    fallback = table(["province", "communities", "lacking"],
                     [[link(r["region"], settings.base_iri, r[label]), f"<span class=\"count\">{escape(r[value])}</span>",
                       "yes" if r[value] == "0" else ""] for r in rows])
    lacking_html = ("<p class=\"lacking\"><strong>Lacking</strong> (no such community recorded): <span id=\"lacking\">"
                    + escape(", ".join(lacking)) + "</span></p>") if lacking else "<p class=\"lacking\">No province lacks one.</p>"
    sources = (f"<p class=\"muted\">Counts: <a href=\"{escape(query_href(MAP_QUERY, params))}\">{MAP_QUERY}</a> "
               f"(<a href=\"{escape(_api_link(MAP_QUERY, params))}\">csv</a>); lacking provinces: "
               f"<a href=\"{escape(query_href(LACKING_QUERY, params))}\">{LACKING_QUERY}</a>. Communities without a "
               "province count for none, so read 'lacking' as 'none recorded there'.</p>")
    lacking_html += caveat_html(store, settings, LACKING_QUERY, {k: [v] for k, v in params.items()})
    return page("Province map", form + f"<h2>{escape(title)}</h2><figure class=\"map\">{svg}</figure>" + lacking_html + sources
                + "<h2>The same as a table</h2>" + fallback)


@router.get("/map", response_class=HTMLResponse)
async def map_page(request: Request) -> HTMLResponse:
    app_state = state(request)
    given = {k: [x for x in v if x] for k, v in query_values(request).items()}
    try:
        html = await run_in_threadpool(map_html, app_state.store(), app_state.settings, given)
    except BadParameter as error:
        return HTMLResponse(page("Province map", f"<p class=\"error\">{escape(str(error))}</p>"), status_code=400)
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
        picker = ("<form method=\"get\" action=\"/network\"><label for=\"community\">community</label>"
                  "<select id=\"community\" name=\"community\">"
                  + "".join(f"<option value=\"{escape(n)}\">{escape(l)}</option>" for l, n in options)
                  + "</select><p><button type=\"submit\">Show</button></p></form>")
        note = f"<p class=\"error\">{escape(community)} is not a learning community in the store.</p>" if community else ""
        return page("Network of a community", note + picker), 404 if community else 200
    hrefs = {n: local_href(n, settings.base_iri) for n in network.graph.nodes}
    label = network.graph.nodes[community]["label"]
    svg = network_svg("network", f"{label} and its partners", network, hrefs)
    rows = [[escape(d["role"]), link(n, settings.base_iri, d["label"]), escape(d["kind"])]
            for n, d in sorted(network.graph.nodes(data=True), key=lambda x: (x[1]["role"], x[1]["label"]))
            if n != community]
    more = f"<p class=\"muted\">{network.left_out} more communities share an organisation and are not drawn.</p>" \
        if network.left_out else ""
    body = (f"<p>{link(community, settings.base_iri, label)}: its lead institution and partners, topsectors, "
            "challenges and province, and the other communities that share an organisation with it (dashed). "
            "Layout computed on the server by networkx (spring layout, fixed seed), from the same graph as "
            f"<code>hckg analyse</code>. Partners as a table: <a href=\"{escape(query_href('partners-of-community', {'community': community}))}\">"
            f"partners-of-community</a>.</p><figure class=\"network\">{svg}</figure>{more}"
            + table(["role", "node", "kind"], rows))
    return page(f"Network: {label}", body), 200


@router.get("/network", response_class=HTMLResponse)
async def network_page(request: Request, community: str = "") -> HTMLResponse:
    app_state = state(request)
    html, status = await run_in_threadpool(network_html, app_state.store(), app_state.settings, community)
    return HTMLResponse(html, status_code=status)


# --- saved-query pages and community pages ------------------------------------------------------


def query_view_html(store: Store, settings: Settings, query: SavedQuery, outcome_body: bytes,
                    values: Mapping[str, list[str]]) -> str:
    """The chart of a query page for the query's ``#+ view:`` hint ('' without a hint)."""
    if query.view is None:
        return ""
    try:
        if query.view == "network":
            community = (values.get("community") or [""])[0]
            if not community:
                return ""
            network = ego_network(build_graph(store), community)
            hrefs = {n: local_href(n, settings.base_iri) for n in network.graph.nodes}
            return (f"<h2>View: network</h2><figure class=\"network\">"
                    f"{network_svg('query-view', query.summary, network, hrefs)}</figure>")
        document = json.loads(outcome_body)
        variables = document["head"].get("vars", [])
        rows = [{v: b[v]["value"] for v in variables if v in b} for b in document["results"]["bindings"]]
        first_iri = next((v for v in variables if any(r.get(v, "").startswith("http") for r in rows)), None)

        def href(row: Mapping[str, str]) -> str:
            return local_href(row[first_iri], settings.base_iri) if first_iri and row.get(first_iri) else ""

        svg = answer_chart("query-view", query.summary, query.view, variables, rows, href, query.view_value)
        return f"<h2>View: {escape(query.view)}</h2><figure class=\"chart\">{svg}</figure>"
    except (ValueError, KeyError) as error:
        return f"<p class=\"muted\">No {escape(query.view)} view of this answer: {escape(str(error))}</p>"


def community_section(store: Store, settings: Settings, iri: str) -> str:
    """The volgsysteem records and network link shown on a learning community's own page ('' otherwise)."""
    if not iri.startswith(COMMUNITY_PREFIX):
        return ""
    records = records_of(store, iri)
    network = f"<p><a href=\"/network?{escape(urlencode({'community': iri}))}\">Network of this community and its partners</a></p>"
    if not records:
        return network + "<h2>Volgsysteem</h2><p class=\"muted\">No volgsysteem record for this community.</p>"
    rows = []
    for r in records:
        def cell(name: str) -> str:
            values = r.get(name)
            if name == "source":
                return "<br>".join(f"<a href=\"{escape(v)}\">{escape(v)}</a>" for v in values)
            return "<ul>" + "".join(f"<li>{escape(v)}</li>" for v in values) + "</ul>" if values else ""
        rows.append([escape(r.on), f"<span class=\"status\">{escape(r.status_label)}</span>",
                     escape(", ".join(r.get("reportedStartYear"))), cell("example"), cell("bottleneck"),
                     cell("solution"), cell("outcome"), cell("source"), link(r.iri, settings.base_iri, "record")])
    return (network + f"<h2>Volgsysteem ({len(records)} record(s), newest first)</h2>"
            + table(["date", "status", "start year", "examples", "knelpunten", "solutions", "results", "source",
                     ""], rows))


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
        report = await run_in_threadpool(add_record, state(request).settings, given, one("replace", False) == "true")
    except ValidationFailed as failed:
        return JSONResponse({"error": {"status": 400, "type": "ValidationFailed", "message": str(failed),
                                       "violations": [{"focus": v.focus, "path": v.path, "value": v.value,
                                                       "message": v.messages.get("en", "")}
                                                      for v in failed.violations]}}, status_code=400)
    return JSONResponse({"graph": report.graph, "triples": report.triples, "replaced": report.replaced},
                        status_code=200 if report.replaced else 201)
