"""`hckg quality`: completeness figures measured in the store agree with independent counts of data/*.csv."""

from __future__ import annotations

import register

import csv
import io
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from typer.testing import CliRunner

from hckg.cli.app import app
from hckg.config import PROJECT_ROOT
from hckg.formats import json_rows
from hckg.gate.write import validate_file
from hckg.reports.provenance import graph_records
from hckg.reports.quality import DQV, METRICS, QualityReport, measure, to_graph
from hckg.queries.running import run_saved
from hckg.store.oxigraph import OxigraphStore

from helpers import select

DATA = PROJECT_ROOT / "data"
H = "https://w3id.org/hckg/def#"
LC = H + "LearningCommunity"
CHALLENGE = "https://w3id.org/hckg/id/challenge/"
COMMUNITY_COLUMNS = {
    "startYear": "start_year",
    "province": "province",
    "societalChallenge": "societal_challenge",
    "topsector": "topsectors",
    "leadInstitution": "lead_institution",
    "partner": "partners",
}
TYPES = {
    "CoE": "CentreOfExpertise", "CIV": "CentrumInnovatiefVakmanschap", "Fieldlab": "Fieldlab",
    "Skillslab": "Skillslab", "LivingLab": "LivingLab", "Lectoraat": "Lectoraat", "Practoraat": "Practoraat",
    "Other": "OtherLearningCommunity", "Campus": "Campus", "PracticeCentre": "PracticeCentre",
    "RIF": "RegionalInvestmentFundProject", "ExpertiseCentre": "ExpertiseCentre", "InnovationHub": "InnovationHub",
    "LearningNetwork": "LearningNetwork",
}
# The societal_challenge values of learning_communities.csv (its README) and the challenge each names.
CHALLENGES = {
    "Energietransitie": "energietransitie-duurzaamheid",
    "Gezondheid en Zorg": "gezondheid-zorg",
    "Landbouw/Water/Voedsel": "landbouw-water-voedsel",
    "Circulaire economie": "circulaire-economie",
    "Veiligheid": "veiligheid",
}

runner = CliRunner()


def table(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def report(store) -> QualityReport:
    return measure(store)


@pytest.fixture(scope="module")
def communities() -> list[dict[str, str]]:
    return table("learning_communities.csv")


def test_communities_without_a_start_year_are_the_csv_rows_with_an_empty_start_year(report, communities):
    empty = sum(1 for row in communities if not row["start_year"].strip())
    m = report.find("has-hckg-startYear", LC)
    assert (m.total - m.count, m.total) == (empty, len(communities))


@pytest.mark.parametrize(("prop", "column"), COMMUNITY_COLUMNS.items())
def test_each_community_property_is_filled_as_often_as_its_csv_column(report, communities, prop, column):
    filled = sum(1 for row in communities if row[column].strip())
    assert report.find(f"has-hckg-{prop}", LC).count == filled


@pytest.mark.parametrize(("code", "local"), TYPES.items())
def test_each_community_type_is_measured_with_its_csv_rows(report, communities, code, local):
    rows = [row for row in communities if row["type"] == code]
    assert report.find("instances", H + local).count == len(rows)
    assert report.find("has-hckg-province", H + local).count == sum(1 for r in rows if r["province"].strip())
    assert report.find("has-hckg-startYear", H + local).count == sum(1 for r in rows if r["start_year"].strip())


def test_a_property_the_ontology_gives_a_class_but_nobody_fills_counts_zero(report, communities):
    # hckg:province has the domain LearningCommunity or Organisation; no organisation row has one.
    assert report.find("has-hckg-province", H + "Organisation").count == 0
    with_technology = sum(1 for r in communities if r["key_technologies"])
    assert (report.find("has-hckg-keyTechnology", LC).count, report.find("has-hckg-keyTechnology", LC).total) == (
        with_technology, len(communities))


def test_inferred_values_do_not_count_as_filled(report):
    # org:hasMember is only in graph/inferred (from hckg:partner and hckg:leadInstitution).
    assert not [m for m in report.measures if m.metric.slug == "has-org-hasMember"]


def test_communities_per_province_match_the_csv(report, communities):
    code_of = {row["name_nl"]: row["cbs_code"] for row in table("provinces.csv")}
    expected = Counter(code_of[row["province"]] for row in communities if row["province"].strip())
    found = {m.subject.rsplit("/", 1)[-1]: m.count for m in report.measures if m.metric.slug == "in-province"}
    assert found == {code: expected.get(code, 0) for code in code_of.values()}
    assert report.find("without-province", LC).count == sum(1 for r in communities if not r["province"].strip()) > 0


def test_communities_naming_each_challenge_match_the_csv(report, communities):
    named = Counter(CHALLENGES[v] for row in communities for v in row["societal_challenge"].split(";") if v)
    found = {m.subject[len(CHALLENGE):]: m.count for m in report.measures if m.metric.slug == "names-challenge"}
    assert found == {k: named.get(k, 0) for k in CHALLENGES.values()}
    assert report.find("names-no-challenge", LC).count == sum(1 for r in communities if not r["societal_challenge"]) > 0


def test_communities_serving_each_challenge_are_the_headline_definition(report, store, settings):
    # communities-per-challenge counts the same union (named, or via a lead topsector) by its own SPARQL.
    rows = json_rows(run_saved(store, settings.queries_dir, "communities-per-challenge", {}))
    expected = {row["challenge"]: int(row["servedByDefault"]) for row in rows}
    found = {m.subject: m.count for m in report.measures if m.metric.slug == "serves-challenge"}
    assert found == expected


def test_communities_with_one_source_or_several_match_the_source_url_cells(report, communities):
    urls = [len([u for u in row["source_url"].split("; ") if u.strip()]) for row in communities]
    assert report.find("one-source", LC).count == urls.count(1)
    assert report.find("two-or-more-sources", LC).count == sum(1 for n in urls if n >= 2)
    assert report.find("no-source", LC).count == 0


def test_identifiers_linked_match_the_reference_tables(report):
    organisations = table("organisations.csv")
    assert report.find("wikidata-link", H + "Organisation").count == sum(1 for r in organisations if r["wikidata_qid"])
    assert report.find("ror-identifier", H + "Organisation").count == sum(1 for r in organisations if r["ror_id"])
    assert report.find("crossref-funder-identifier", H + "Organisation").count == sum(
        1 for r in organisations if r["crossref_funder_id"])
    assert report.find("wikidata-link", H + "Province").count == sum(1 for r in table("provinces.csv") if r["wikidata_qid"])
    assert report.find("wikidata-link", H + "Topsector").count == 0


def test_every_named_graph_is_reported_with_its_source_file_and_load_time(report, store):
    graphs = {m.subject: m for m in report.measures if m.metric.slug == "triples-in-graph"}
    records = graph_records(store)
    assert sorted(graphs) == [r.iri for r in records]
    for r in records:
        assert (graphs[r.iri].count, graphs[r.iri].subject_label, graphs[r.iri].loaded_at) == (r.triples, r.source_file, r.loaded_at)
    assert graphs["https://w3id.org/hckg/graph/learning-communities"].subject_label == "data/learning_communities.csv"
    assert graphs["https://w3id.org/hckg/graph/learning-communities"].loaded_at.endswith("Z")


def test_measurement_iris_are_unique_and_stable(report):
    iris = [str(m.iri) for m in report.measures]
    assert len(iris) == len(set(iris))
    assert str(report.find("has-hckg-startYear", LC).iri) == (
        "https://w3id.org/hckg/id/measurement/has-hckg-startYear/def-LearningCommunity")


def test_the_rdf_round_trips_one_dqv_measurement_per_measure(report):
    graph = rdflib.Graph().parse(data=to_graph(report).serialize(format="turtle"), format="turtle")
    measurements = set(graph.subjects(RDF.type, DQV.QualityMeasurement))
    assert len(measurements) == len(report.measures)
    for m in report.measures:
        node = m.iri
        assert set(graph.objects(node, DQV.isMeasurementOf)) == {m.metric.iri}
        assert set(graph.objects(node, DQV.computedOn)) == {rdflib.URIRef(m.subject)}
        [value] = graph.objects(node, DQV.value)
        if m.ratio is not None:
            assert (value.datatype, value.toPython()) == (XSD.decimal, m.ratio)
        else:
            assert (value.datatype, value.toPython()) == (XSD.integer, m.count)
        assert [t.toPython() for t in graph.objects(node, PROV.generatedAtTime)] != []
        assert {label.language for label in graph.objects(node, RDFS.label)} == {"nl", "en"}
    for metric in set(graph.subjects(RDF.type, DQV.Metric)):
        assert str(metric).startswith("https://w3id.org/hckg/id/metric/")
        assert {label.language for label in graph.objects(metric, SKOS.prefLabel)} == {"nl", "en"}


def test_the_rdf_conforms_to_the_shapes(report, settings, tmp_path: Path):
    path = tmp_path / "quality.ttl"
    path.write_text(to_graph(report).serialize(format="turtle"), encoding="utf-8")
    _, violations = validate_file(settings, path)
    assert violations == []


def test_a_new_subclass_and_a_domain_property_nobody_fills_are_measured():
    store = OxigraphStore(None)
    store.replace_graph("https://w3id.org/hckg/graph/ontology", rdflib.Graph().parse(format="turtle", data="""
        @prefix hckg: <https://w3id.org/hckg/def#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        hckg:Campus rdfs:subClassOf hckg:LearningCommunity ; rdfs:label "Campus"@en .
        hckg:ScienceCampus rdfs:subClassOf hckg:Campus .
        hckg:motto rdfs:domain hckg:Campus .
        hckg:province rdfs:domain [ owl:unionOf ( hckg:LearningCommunity hckg:Organisation ) ] .
    """))
    store.replace_graph("https://w3id.org/hckg/graph/x", rdflib.Graph().parse(format="turtle", data="""
        @prefix hckg: <https://w3id.org/hckg/def#> . @prefix c: <https://w3id.org/hckg/id/community/> .
        c:a a hckg:Campus, hckg:LearningCommunity ; hckg:province <https://w3id.org/hckg/id/province/PV20> .
        c:b a hckg:Campus, hckg:LearningCommunity .
    """))
    report = measure(store)
    classes = {m.subject for m in report.measures if m.metric.slug == "instances"}
    assert H + "Campus" in classes and H + "ScienceCampus" not in classes  # direct subclasses only
    assert (report.find("has-hckg-motto", H + "Campus").count, report.find("has-hckg-motto", H + "Campus").total) == (0, 2)
    assert report.find("has-hckg-province", H + "Campus").count == 1
    assert report.find("has-hckg-province", H + "Organisation").total == 0


@pytest.fixture
def env(settings, store) -> dict[str, str]:
    return {"HCKG_STORE": str(settings.store_path)}


def test_cli_csv_has_one_row_per_measure(env, report):
    result = runner.invoke(app, ["quality", "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(report.measures)
    row = next(r for r in rows if r["metric"] == "without-province")
    without = report.find("without-province", LC)
    assert (row["dimension"], row["subject"], row["count"], row["total"], row["ratio"]) == (
        "coverage", LC, str(without.count), str(without.total), str(without.ratio))
    assert without.total == len(register.communities())


def test_cli_json_holds_the_same_measures(env, report):
    result = runner.invoke(app, ["quality", "-f", "json", "--lang", "nl"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["measures"]) == len(report.measures)
    fryslan = next(r for r in data["measures"] if r["subject"] == "https://w3id.org/hckg/id/province/PV21")
    assert (fryslan["subject_label"], fryslan["count"]) == (
        "Fryslân", sum(1 for r in register.communities() if r["province"] == "Fryslân"))


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_cli_rdf_formats_parse_back(env, report, fmt, rdflib_format):
    result = runner.invoke(app, ["quality", "-f", fmt], env=env)
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(data=result.stdout, format=rdflib_format)
    assert len(set(graph.subjects(RDF.type, DQV.QualityMeasurement))) == len(report.measures)


def test_cli_table_groups_the_measures(env):
    result = runner.invoke(app, ["quality"], env=env)
    assert result.exit_code == 0, result.output
    for title in ("Completeness", "Coverage", "Sources", "Interlinking", "Provenance"):
        assert title in result.stdout
    assert "loaded at" in result.stdout and "read at" not in result.stdout


def test_cli_refuses_an_unknown_format(env):
    assert runner.invoke(app, ["quality", "-f", "xlsx"], env=env).exit_code == 2


def test_every_fixed_metric_has_labels_in_both_languages():
    for metric in METRICS.values():
        assert metric.label_en and metric.label_nl and metric.definition_en and metric.definition_nl


def test_the_serialisations_the_server_uses_give_what_the_command_prints(env, store):
    """/quality (hckg_web/routes/quality.py) serves to_csv/to_json/to_rdf: they must not drift from the CLI's output."""
    from hckg.reports.quality import to_csv, to_json, to_rdf

    report = measure(store)
    assert runner.invoke(app, ["quality", "-f", "csv"], env=env).stdout == to_csv(report)
    printed = json.loads(runner.invoke(app, ["quality", "-f", "json"], env=env).stdout)
    assert printed["measures"] == json.loads(to_json(report))["measures"]
    served = rdflib.Graph().parse(data=to_rdf(report, "ttl"), format="turtle")
    assert len(set(served.subjects(RDF.type, DQV.QualityMeasurement))) == len(report.measures)


def test_each_province_and_type_reports_the_registers_figures_counted_from_plain_triples(report, store):
    rows = select(store, """SELECT ?c ?p ?t ?y ?ch ?ts ?kt ?d ?lead WHERE {
        ?c a <https://w3id.org/hckg/def#LearningCommunity> ; a ?t .
        OPTIONAL { ?c <https://w3id.org/hckg/def#province> ?p } OPTIONAL { ?c <https://w3id.org/hckg/def#startYear> ?y }
        OPTIONAL { ?c <https://w3id.org/hckg/def#societalChallenge> ?ch } OPTIONAL { ?c <https://w3id.org/hckg/def#topsector> ?ts }
        OPTIONAL { ?c <https://w3id.org/hckg/def#keyTechnology> ?kt } OPTIONAL { ?c <http://schema.org/description> ?d }
        OPTIONAL { ?c <https://w3id.org/hckg/def#leadInstitution> ?lead } }""")
    tests = {"with-start-year": "y", "with-key-technology": "kt", "with-description": "d", "with-lead-institution": "lead"}
    for group, column in ((PROVINCE_ZH, "p"), (COE, "t")):
        members = {r["c"] for r in rows if r.get(column) == group}
        assert report.find("communities", group).count == len(members)
        for slug, key in tests.items():
            measure_ = report.find(slug, group)
            assert (measure_.count, measure_.total) == (len({r["c"] for r in rows if r["c"] in members and r.get(key)}),
                                                        len(members))
        attributed = {r["c"] for r in rows if r["c"] in members and (r.get("ch") or r.get("ts"))}
        assert report.find("with-challenge-or-topsector", group).count == len(attributed)


def test_challenge_or_topsector_is_counted_by_its_recorded_basis(report, store):
    rows = select(store, """SELECT ?c ?t ?ch ?ts ?tb ?cb WHERE {
        ?c a <https://w3id.org/hckg/def#LearningCommunity> ; a ?t .
        OPTIONAL { ?c <https://w3id.org/hckg/def#societalChallenge> ?ch } OPTIONAL { ?c <https://w3id.org/hckg/def#topsector> ?ts }
        OPTIONAL { ?c <https://w3id.org/hckg/def#topsectorBasis> ?tb } OPTIONAL { ?c <https://w3id.org/hckg/def#challengeBasis> ?cb } }""")
    judgement, sure = "https://w3id.org/hckg/def#BasisJudgement", {"https://w3id.org/hckg/def#BasisStated",
                                                                   "https://w3id.org/hckg/def#BasisDerived"}
    group = "https://w3id.org/hckg/def#LearningCommunity"
    members = {r["c"] for r in rows if r["t"] == group}
    unjudged = {r["c"] for r in rows if r["c"] in members and ((r.get("ts") and r.get("tb") != judgement)
                                                               or (r.get("ch") and r.get("cb") != judgement))}
    stated = {r["c"] for r in rows if r["c"] in members and ((r.get("ts") and r.get("tb") in sure)
                                                             or (r.get("ch") and r.get("cb") in sure))}
    anyway = report.find("with-challenge-or-topsector", group).count
    assert report.find("with-challenge-or-topsector-not-judgement", group).count == len(unjudged)
    assert report.find("with-challenge-or-topsector-stated", group).count == len(stated)
    assert len(stated) <= len(unjudged) < anyway  # the register records some judgements, so the figures differ


PROVINCE_ZH = "https://w3id.org/hckg/id/province/PV28"
COE = "https://w3id.org/hckg/def#CentreOfExpertise"
