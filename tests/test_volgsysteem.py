"""Volgsysteem records: added from fields or Turtle, only through the validation gate, read back per community.

The records used here are synthetic (tests/volgsysteem/README.md): invented accounts about real communities.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hckg.cli.app import app
from hckg.errors import BadParameter
from hckg.gate.write import GraphRefused, load_file
from hckg.queries.running import run_saved
from hckg.reports.stats import summarise
from hckg.store.oxigraph import open_store
from hckg.gate.validate import ValidationFailed
from hckg.volgsysteem.records import RecordInput, add_record, build_record, records_of, resolve_status, statuses
from helpers import sorted_nquads

FIXTURES = Path(__file__).parent / "volgsysteem"
RDM = "https://w3id.org/hckg/id/community/rdm-centre-of-expertise"
AGEING = "https://w3id.org/hckg/id/community/centre-of-expertise-healthy-ageing"
H = "https://w3id.org/hckg/def#"
SOURCE = "https://example.org/synthetic/volgsysteem/cli"


def rows(store, settings, name):
    return [{k: (v.value if v is not None else "") for k, v in zip([x.value for x in a.variables], r)}
            for a in [run_saved(store, settings.queries_dir, name, {})] for r in a]


def test_the_five_statuses_come_from_the_ontology(store):
    assert [(s.code, s.label_en) for s in statuses(store)] == [
        ("geborgd", "Embedded"), ("gestart", "Started"), ("gestopt", "Stopped"),
        ("in-voorbereiding", "In preparation"), ("lopend", "Running")]


@pytest.mark.parametrize("given", ["lopend", "Lopend", "running", "StatusRunning", H + "StatusRunning"])
def test_a_status_can_be_given_by_code_label_local_name_or_iri(store, given):
    assert resolve_status(store, given) == H + "StatusRunning"


def test_an_unknown_status_names_the_field_and_lists_the_codes(store):
    with pytest.raises(BadParameter) as error:
        resolve_status(store, "fantastisch")
    assert error.value.name == "status"
    assert "geborgd, gestart, gestopt, in-voorbereiding, lopend" in error.value.rule


@pytest.mark.parametrize(("field", "change"), [
    ("community", {"community": "Atlantis Lab"}),
    ("source", {"sources": ("ftp://example.org/x",)}),
    ("source", {"sources": ()}),
    ("startYear", {"start_year": "14"}),
    ("lang", {"lang": "de"}),
])
def test_a_field_that_cannot_be_used_is_refused_by_name(store, field, change):
    given = replace(RecordInput("RDM Centre of Expertise", "lopend", date(2023, 1, 1), (SOURCE,)), **change)
    with pytest.raises(BadParameter) as error:
        build_record(store, given)
    assert error.value.name == field


def test_a_record_from_fields_has_the_vocabulary_terms(store):
    given = RecordInput("rdm-centre-of-expertise", "gestart", date(2023, 1, 2), (SOURCE,), "2014",
                        examples=("een voorbeeld",), bottlenecks=("een knelpunt",))
    subject, graph = build_record(store, given)
    assert str(subject) == "https://w3id.org/hckg/id/volgsysteem/rdm-centre-of-expertise/2023-01-02"
    values = {(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], str(o)) for p, o in graph.predicate_objects(subject)}
    assert {("recordOf", RDM), ("status", H + "StatusStarted"), ("date", "2023-01-02"), ("source", SOURCE),
            ("reportedStartYear", "2014"), ("example", "een voorbeeld"), ("bottleneck", "een knelpunt")} <= values


def test_a_record_added_from_fields_goes_through_the_gate_and_reads_back(private):
    report = add_record(private, RecordInput("RDM Centre of Expertise", "lopend", date(2023, 6, 1), (SOURCE,),
                                             outcomes=("een resultaat",)))
    assert report.graph == "https://w3id.org/hckg/graph/volgsysteem/rdm-centre-of-expertise/2023-06-01"
    store = open_store(private.store_path)
    [record] = records_of(store, RDM)
    assert (record.on, record.status_label, record.get("source"), record.get("outcome")) == (
        "2023-06-01", "Lopend", [SOURCE], ["een resultaat"])


def test_the_same_community_and_date_twice_is_refused_unless_replaced(private):
    given = RecordInput(RDM, "gestart", date(2023, 6, 1), (SOURCE,))
    add_record(private, given)
    before = sorted_nquads(private.store_path)
    with pytest.raises(GraphRefused):
        add_record(private, replace(given, status="lopend"))
    assert sorted_nquads(private.store_path) == before
    assert add_record(private, replace(given, status="lopend"), replace=True).replaced
    assert [r.status_label for r in records_of(open_store(private.store_path), RDM)] == ["Lopend"]


def test_a_turtle_file_of_records_loads_and_the_latest_status_per_community_follows(private):
    load_file(private, FIXTURES / "synthetic-records.ttl")
    store = open_store(private.store_path)
    latest = rows(store, private, "volgsysteem-latest-status")
    assert [(r["communityLabel"], r["statusLabel"], r["date"], r["records"]) for r in latest] == [
        ("Centre of Expertise Healthy Ageing", "Geborgd", "2023-02-15", "1"),
        ("RDM Centre of Expertise", "Lopend", "2023-05-01", "2")]
    counts = {r["statusLabel"]: int(r["communities"]) for r in rows(store, private, "volgsysteem-status-counts")}
    communities = int(rows(store, private, "volgsysteem-status-counts")[-1]["communities"])
    assert counts == {"In voorbereiding": 0, "Gestart": 0, "Lopend": 1, "Geborgd": 1, "Gestopt": 0,
                      "": communities}
    assert communities == summarise(store).count(H + "LearningCommunity") - 2  # all others have no record
    assert [r.on for r in records_of(store, RDM)] == ["2023-05-01", "2022-03-01"]


def test_a_bad_turtle_record_is_refused_with_each_rule_broken_and_the_store_unchanged(private):
    before = sorted_nquads(private.store_path)
    with pytest.raises(ValidationFailed) as error:
        load_file(private, FIXTURES / "bad-record.ttl")
    broken = {(v.path.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if v.path else "") for v in error.value.violations}
    assert {"date", "status", "recordOf"} <= broken
    assert sorted_nquads(private.store_path) == before


def test_the_cli_adds_a_record_and_refuses_a_bad_status_with_exit_1(private):
    env = {"HCKG_STORE": str(private.store_path)}
    runner = CliRunner()
    args = ["volgsysteem", "add", "--community", "RDM Centre of Expertise", "--date", "2023-07-01",
            "--source", SOURCE, "--example", "een voorbeeld", "--example", "nog een"]
    bad = runner.invoke(app, args + ["--status", "fantastisch"], env=env)
    assert bad.exit_code == 1 and "parameter 'status'" in bad.output
    good = runner.invoke(app, args + ["--status", "gestart"], env=env)
    assert good.exit_code == 0, good.output
    assert "added https://w3id.org/hckg/graph/volgsysteem/rdm-centre-of-expertise/2023-07-01" in good.output
    [record] = records_of(open_store(private.store_path), RDM)
    assert record.get("example") == ["een voorbeeld", "nog een"]


def test_the_sparql_gate_and_pyshacl_find_the_same_faults_in_a_bad_record(private):
    """shapes/volgsysteem.ttl stays within what hckg/gate/shacl_sparql.py compiles: both engines agree."""
    found = {}
    for gate in ("sparql", "pyshacl"):
        with pytest.raises(ValidationFailed) as error:
            load_file(replace(private, gate=gate), FIXTURES / "bad-record.ttl")
        found[gate] = sorted((v.focus, v.path or "", v.value or "", v.shape or "") for v in error.value.violations)
    assert found["sparql"] == found["pyshacl"]
    assert len(found["sparql"]) >= 3
