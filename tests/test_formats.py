"""Result formats: one table of names, media types and serialisers."""

from __future__ import annotations

import pytest

from hckg.errors import HckgError
from hckg.formats import to_text


def test_csv_has_the_variable_names_then_plain_values(store):
    answer = store.query('SELECT ?a ?b WHERE { BIND(<http://e/x> AS ?a) BIND("hé, \\"x\\""@nl AS ?b) }')
    assert to_text(answer, "csv").splitlines() == ["a,b", 'http://e/x,"hé, ""x"""']


def test_a_graph_answer_refuses_a_results_format(store):
    answer = store.query("CONSTRUCT WHERE { <https://w3id.org/hckg/id/topsector/ict> a ?t }")
    with pytest.raises(HckgError, match="does not fit a graph result"):
        to_text(answer, "csv")


def test_a_select_answer_refuses_an_rdf_format(store):
    with pytest.raises(HckgError, match="does not fit a SELECT or ASK result"):
        to_text(store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1"), "ttl")


def test_a_construct_answer_serialises_as_turtle_with_prefixes(store):
    answer = store.query("CONSTRUCT WHERE { <https://w3id.org/hckg/id/topsector/ict> a ?t }")
    assert to_text(answer, "ttl").strip().endswith("hckg:Topsector .")
