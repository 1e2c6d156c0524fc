"""The gate's view of a SHACL report: violations users can act on, in Dutch and English."""

from __future__ import annotations

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from hckg.config import Settings
from hckg.iris import HCKG
from hckg.gate.validate import check, load_shapes, to_report_graph

BUDGET = URIRef("https://w3id.org/hckg/id/budget-line/test")


def test_sparql_rule_messages_keep_their_dutch_and_english_text(store):
    ontology = store.as_rdflib(["https://w3id.org/hckg/graph/ontology"])
    data = rdflib.Graph()
    data.add((BUDGET, RDF.type, HCKG.BudgetLine))
    data.add((BUDGET, HCKG.periodStart, Literal("2023", datatype=XSD.gYear)))
    data.add((BUDGET, HCKG.periodEnd, Literal("2020", datatype=XSD.gYear)))
    found = [v for v in check(data, load_shapes(Settings().shapes_dir), ontology)
             if v.path == str(HCKG.periodStart) and v.focus == str(BUDGET)]
    assert len(found) == 1
    assert found[0].message("en") == "The start year 2023 is after the end year 2020."
    assert found[0].message("nl") == "Het beginjaar 2023 ligt na het eindjaar 2020."


def test_a_report_graph_round_trips_the_violations(store):
    ontology = store.as_rdflib(["https://w3id.org/hckg/graph/ontology"])
    data = rdflib.Graph()
    data.add((BUDGET, RDF.type, HCKG.BudgetLine))
    violations = check(data, load_shapes(Settings().shapes_dir), ontology)
    report = to_report_graph(violations)
    assert (None, SH.conforms, Literal(False)) in report
    assert len(list(report.subjects(RDF.type, SH.ValidationResult))) == len(violations) > 0
