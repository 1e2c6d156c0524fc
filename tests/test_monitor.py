"""The roadmap monitor: each figure equals an independent count on the store, and targets come from the data.

The SPARQL here is written for the tests, not taken from the saved queries the monitor runs.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

import register
from hckg.gate.build import build
from hckg.cli.app import app
from hckg.reports.monitor import Monitor, monitor
from hckg.store.oxigraph import open_store
from register import TYPE_CLASSES, communities, provinces_lacking, started

PREFIX = """PREFIX hckg: <https://w3id.org/hckg/def#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX schema: <http://schema.org/>
"""
TARGET = "<https://w3id.org/hckg/id/target/100-extra-learning-communities>"


def one(store, select: str) -> int:
    rows = list(store.query(PREFIX + select))
    return int(rows[0][0].value)


def started_between(store, after: int, until: int) -> int:
    return one(store, f"""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{
        ?c a hckg:LearningCommunity ; hckg:startYear ?y .
        FILTER(xsd:integer(STR(?y)) > {after} && xsd:integer(STR(?y)) <= {until}) }}""")


@pytest.fixture(scope="module")
def result(store, settings) -> Monitor:
    return monitor(store, settings.queries_dir)


def test_target_value_and_years_are_the_ones_in_the_data(store, result):
    value = one(store, f"SELECT ?v WHERE {{ {TARGET} hckg:targetValue ?v }}")
    assert result.figure("100-extra", "all", "targetValue") == value == 100


def test_communities_started_after_the_baseline_by_the_target_year(store, result):
    baseline = one(store, f"SELECT (xsd:integer(STR(?y)) AS ?n) WHERE {{ {TARGET} hckg:baselineYear ?y }}")
    year = one(store, f"SELECT (xsd:integer(STR(?y)) AS ?n) WHERE {{ {TARGET} hckg:targetYear ?y }}")
    assert (baseline, year) == (2018, 2023)
    assert result.figure("100-extra", "all", "startedByTargetYear") == started_between(store, baseline, year) == started(2018, 2023)
    assert result.figure("100-extra", "all", "startedAfterBaseline") == started_between(store, baseline, 9999) == started(2018, 9999)
    assert result.figure("100-extra", "all", "shareOfTarget") == round(100 * started(2018, 2023) / 100, 1)


def test_communities_without_a_start_year_are_counted_not_dropped(store, result):
    undated = one(store, """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?c a hckg:LearningCommunity . FILTER NOT EXISTS { ?c hckg:startYear ?y } }""")
    assert result.figure("100-extra", "all", "noStartYear") == undated == register.undated()
    assert result.figure("100-extra", "all", "communities") == one(
        store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a hckg:LearningCommunity }")
    assert result.figure("100-extra", "all", "atMostWithUndated") == started(2018, 2023) + register.undated()
    # The key-technology breakdown keeps every community: those without one in the row without a key.
    without = [r for r in communities() if not r["key_technologies"]]
    assert result.figure("100-extra", "keyTechnology", "communities", "") == len(without) > 0
    assert result.figure("100-extra", "keyTechnology", "noStartYear", "") == sum(1 for r in without if not r["start_year"])


@pytest.mark.parametrize("province", ["PV28", "PV22"])
def test_started_after_baseline_per_province(store, result, province):
    iri = f"https://w3id.org/hckg/id/province/{province}"
    expected = one(store, f"""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{
        ?c a hckg:LearningCommunity ; hckg:province <{iri}> ; hckg:startYear ?y .
        FILTER(xsd:integer(STR(?y)) > 2018) }}""")
    assert result.figure("100-extra", "province", "startedAfterBaseline", iri) == expected


CHALLENGES = ["energietransitie-duurzaamheid", "gezondheid-zorg", "landbouw-water-voedsel", "veiligheid",
              "circulaire-economie"]


@pytest.mark.parametrize("challenge", CHALLENGES)
def test_provinces_with_a_community_serving_each_challenge(store, result, challenge):
    iri = f"<https://w3id.org/hckg/id/challenge/{challenge}>"
    served = one(store, f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{
        ?c a hckg:LearningCommunity ; hckg:province ?p .
        {{ ?c hckg:societalChallenge {iri} }} UNION {{ ?c hckg:topsector ?t . {iri} hckg:leadTopsector ?t }} }}""")
    provinces = one(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a hckg:Province }")
    key = iri[1:-1]
    assert result.figure("every-region", "challenge", "provincesWith", key) == served
    assert result.figure("every-region", "challenge", "provincesWithout", key) == provinces - served


@pytest.mark.parametrize("challenge", ["Veiligheid", "Landbouw, Water & Voedsel"])
def test_provinces_lacking_are_listed_by_name(result, challenge):
    row = next(f for f in result.rows("every-region") if f.label == challenge and f.measure == "provincesWithout")
    expected = provinces_lacking(challenge, list(TYPE_CLASSES))
    assert (row.value, row.detail) == (len(expected), ", ".join(expected))


def test_coe_civ_counts_before_and_within_the_2016_2020_period(store, result):
    period = list(store.query(PREFIX + """SELECT ?c WHERE {
        <https://w3id.org/hckg/id/document/roadmap-hc-2016-2020> schema:temporalCoverage ?c }"""))
    assert str(period[0][0].value) == "2016/2020"
    centres = """?c a ?t ; hckg:startYear ?y . VALUES ?t { hckg:CentreOfExpertise hckg:CentrumInnovatiefVakmanschap }"""
    before = one(store, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {centres} FILTER(xsd:integer(STR(?y)) < 2016) }}")
    by_end = one(store, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {centres} FILTER(xsd:integer(STR(?y)) <= 2020) }}")
    assert result.figure("coe-civ-doubling", "all", "before") == before == started(0, 2015, ("CoE", "CIV"))
    assert result.figure("coe-civ-doubling", "all", "byPeriodEnd") == by_end == started(0, 2020, ("CoE", "CIV"))
    assert result.figure("coe-civ-doubling", "all", "noStartYear") == register.undated(("CoE", "CIV"))
    notes = next(s for s in result.sections if s.key == "coe-civ-doubling").notes
    assert "cannot measure" in notes[0]


def test_every_figure_names_a_saved_query_of_the_catalogue(result, settings):
    assert {f.query for f in result.figures} <= {p.stem for p in settings.queries_dir.glob("*.rq")}
    assert all((settings.queries_dir / f"{s.target_query}.rq").is_file() for s in result.sections)


def test_the_target_value_and_baseline_follow_the_data_when_it_changes(data_copy):
    roadmap = data_copy.data_dir / "roadmap" / "roadmap.ttl"
    text = roadmap.read_text(encoding="utf-8")
    assert text.count("hckg:targetValue 100 ;") == 1 and text.count('hckg:baselineYear "2018"^^xsd:gYear') == 1
    text = text.replace("hckg:targetValue 100 ;", "hckg:targetValue 50 ;")
    text = text.replace('hckg:baselineYear "2018"^^xsd:gYear', 'hckg:baselineYear "2020"^^xsd:gYear')
    # The statements that give each value its section (docs/vocabulary.md) must follow, or the build's SHACL
    # gate refuses the data: a reified fact that is not asserted.
    assert text.count("rdf:object 100 ;") == 3 and text.count('rdf:object "2018"^^xsd:gYear ;') == 2
    text = text.replace("rdf:object 100 ;", "rdf:object 50 ;")
    roadmap.write_text(text.replace('rdf:object "2018"^^xsd:gYear ;', 'rdf:object "2020"^^xsd:gYear ;'),
                       encoding="utf-8")
    build(data_copy)
    changed = monitor(open_store(data_copy.store_path), data_copy.queries_dir)
    assert changed.figure("100-extra", "all", "targetValue") == 50
    assert changed.figure("100-extra", "all", "startedByTargetYear") == started(2020, 2023)
    assert changed.figure("100-extra", "all", "shareOfTarget") == round(100 * started(2020, 2023) / 50, 1)


runner = CliRunner()


def test_monitor_prints_tables_with_the_query_behind_each_figure(settings, store):
    result = runner.invoke(app, ["monitor"], env={"HCKG_STORE": str(settings.store_path), "COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert f"{started(2018, 2023)} of 100 communities started after 2018 and by 2023" in result.stdout
    assert f"{register.undated()} of {len(communities())} communities have no start year" in result.stdout
    assert "regions-lacking-community" in result.stdout and "progress-coe-civ-doubling" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_monitor_writes_json_and_csv_with_the_same_figures(settings, store, result, fmt):
    out = runner.invoke(app, ["monitor", "--format", fmt], env={"HCKG_STORE": str(settings.store_path)})
    assert out.exit_code == 0, out.output
    if fmt == "json":
        figures = json.loads(out.stdout)["figures"]
    else:
        figures = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(figures) == len(result.figures)
    total = next(f for f in figures if f["section"] == "100-extra" and f["dimension"] == "all"
                 and f["measure"] == "startedByTargetYear")
    assert str(total["value"]) == str(started(2018, 2023))
    assert total["query" if fmt == "csv" else "source"] == "progress-100-extra-communities"


def test_monitor_refuses_an_unknown_format(settings, store):
    out = runner.invoke(app, ["monitor", "--format", "xlsx"], env={"HCKG_STORE": str(settings.store_path)})
    assert out.exit_code == 2
