"""hckg_web/render/charts.py on the real store: every number a chart draws is a number a saved query answers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest

from hckg.queries.catalog import load_catalog, load_query
from hckg_web.render.charts import answer_chart, chart_columns, monitor_charts
from hckg.errors import QueryFileError
from hckg.reports.monitor import monitor
from hckg.queries.running import run_saved

SVG = "{http://www.w3.org/2000/svg}"


def answer(store, settings, name, params=None):
    result = run_saved(store, settings.queries_dir, name, params or {})
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    return variables, [{v: (r[v].value if r[v] is not None else "") for v in variables} for r in result]


def drawn(svg: str, css_class: str, *attributes: str) -> list[tuple[str, ...]]:
    root = ET.fromstring(svg)
    return [tuple(g.get(a) for a in attributes) for g in root.iter(SVG + "g")
            if css_class in (g.get("class") or "").split()]


@pytest.fixture(scope="module")
def result(store, settings):
    return monitor(store, settings.queries_dir)


def test_the_progress_bars_are_the_monitor_figures_of_the_saved_query(store, settings, result):
    charts = {c.key: c for c in monitor_charts(result)["100-extra"]}
    _, rows = answer(store, settings, "progress-100-extra-communities")
    by_type = {r["valueLabel"]: r for r in rows if r["dimension"] == "type"}
    bars = drawn(charts["100-extra-type"].svg, "bar", "data-label", "data-value", "data-extra")
    assert bars == [(label, r["startedByTargetYear"], r["noStartYear"]) for label, r in by_type.items()]
    [total] = drawn(charts["100-extra-total"].svg, "bar", "data-value", "data-extra")
    [all_row] = [r for r in rows if r["dimension"] == "all"]
    assert total == (all_row["startedByTargetYear"], all_row["noStartYear"])
    [target] = drawn(charts["100-extra-total"].svg, "target", "data-value")
    assert target == (str(result.figure("100-extra", "all", "targetValue")),)


def test_each_bar_links_to_the_query_and_parameters_of_its_figure(result):
    [chart] = monitor_charts(result)["every-region"]
    root = ET.fromstring(chart.svg)
    links = [a.get("href") for a in root.iter(SVG + "a")]
    assert links[0] == "/queries/regions-without-community"
    challenge = urlparse(links[1])
    assert challenge.path == "/queries/regions-lacking-community"
    assert parse_qs(challenge.query)["type"] == ["https://w3id.org/hckg/def#LearningCommunity"]
    assert parse_qs(challenge.query)["run"] == ["1"]


def test_the_provinces_with_a_community_per_challenge_are_twelve_minus_the_lacking_ones(store, settings, result):
    [chart] = monitor_charts(result)["every-region"]
    bars = dict(drawn(chart.svg, "bar", "data-label", "data-value"))
    for term_label in ("Gezondheid & Zorg", "Veiligheid"):
        _, lacking = answer(store, settings, "regions-lacking-community",
                            {"challenge": [term_label], "type": ["Learning community"]})
        assert int(bars[term_label]) == 12 - len(lacking)


def test_a_map_view_draws_the_counts_of_its_saved_query_and_its_zeros_are_the_headlines_lacking_provinces(
        store, settings):
    params = {"challenge": ["Gezondheid & Zorg"], "type": ["CoE"]}
    variables, rows = answer(store, settings, "communities-per-province-for-challenge", params)
    query = load_catalog(settings.queries_dir)["communities-per-province-for-challenge"]
    svg = answer_chart("m", "t", query.view, variables, rows, value=query.view_value)
    tiles = {label: int(count) for label, count in drawn(svg, "province", "data-label", "data-count")}
    assert tiles == {r["regionLabel"]: int(r["communities"]) for r in rows}
    _, lacking = answer(store, settings, "regions-lacking-community", params)
    assert sorted(label for label, _ in drawn(svg, "lacking", "data-label", "data-count")) == sorted(
        r["regionLabel"] for r in lacking)
    assert 0 < len(lacking) < 12


@pytest.mark.parametrize(("name", "label", "value"), [
    ("communities-per-topsector", "topsectorLabel", "communities"),
    ("communities-per-challenge", "challengeLabel", "servedByDefault"),
    ("communities-started-per-year", "year", "started"),
    ("organisations-in-most-communities", "organisationLabel", "communities"),
    ("volgsysteem-status-counts", "statusLabel", "communities"),
])
def test_a_bar_view_draws_one_bar_per_row_of_the_answer(store, settings, name, label, value):
    query = load_catalog(settings.queries_dir)[name]
    variables, rows = answer(store, settings, name)
    assert chart_columns(variables, rows, query.view_value) == (label, value)
    svg = answer_chart("q", query.summary, query.view, variables, rows, value=query.view_value)
    assert drawn(svg, "bar", "data-label", "data-value") == [(r[label] or "(none)", r[value]) for r in rows]


def test_every_view_hint_is_one_the_pages_can_draw(settings):
    views = {name: q.view for name, q in load_catalog(settings.queries_dir).items() if q.view}
    assert set(views.values()) == {"bar", "map", "network"}


def test_an_unknown_view_hint_stops_loading_and_names_the_file(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("#+ summary: x\n#+ view: pie\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryFileError, match="view.*pie"):
        load_query(path)


def test_an_answer_without_a_number_cannot_be_a_bar_chart():
    with pytest.raises(ValueError, match="no numeric column"):
        answer_chart("q", "t", "bar", ["a", "b"], [{"a": "x", "b": "y"}])
