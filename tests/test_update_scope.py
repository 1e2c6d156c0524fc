"""hckg/gate/update_scope.py: a SPARQL Update meets the rules `hckg load` meets (no statements about
ontology terms, no protected or default graph), each graph it creates or changes gets provenance,
and a refused update leaves the store byte-identical."""

from __future__ import annotations

import pytest

from hckg.errors import BadQuery
from hckg.gate.update_scope import GraphRefused, digests, scope_of
from hckg.gate.validate import ValidationFailed
from hckg.gate.write import apply_update, load_file
from hckg.reports.provenance import graph_records
from hckg.store.oxigraph import OxigraphStore, open_store
from store_bytes import store_bytes

PREFIXES = """PREFIX hckg: <https://w3id.org/hckg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
DATA_GRAPH = "https://w3id.org/hckg/graph/provinces"
NEW_GRAPH = "https://w3id.org/hckg/graph/updates/alt-names"
PV20 = "https://w3id.org/hckg/id/province/PV20"


def refused_update(settings, sparql: str, error: type[Exception]) -> str:
    before = store_bytes(settings.store_path)
    with pytest.raises(error) as err:
        apply_update(settings, PREFIXES + sparql)
    assert store_bytes(settings.store_path) == before
    return str(err.value)


def records(settings) -> dict[str, object]:
    store = open_store(settings.store_path)
    try:
        return {r.iri: r for r in graph_records(store)}
    finally:
        store.close()


def test_statements_about_ontology_terms_in_a_data_graph_are_refused(private):
    message = refused_update(private, f'INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ hckg:Province rdfs:label "Hacked"@nl }} }}',
                             GraphRefused)
    assert "statements about ontology terms" in message and "https://w3id.org/hckg/def#Province" in message


def test_the_default_graph_cannot_be_written(private):
    message = refused_update(private, f'INSERT DATA {{ <{PV20}> skos:altLabel "Stad"@nl }}', GraphRefused)
    assert "default graph" in message and "GRAPH <" in message


@pytest.mark.parametrize("graph", ["https://w3id.org/hckg/graph/ontology", "https://w3id.org/hckg/graph/meta",
                                   "https://w3id.org/hckg/graph/inferred"])
def test_protected_graphs_cannot_be_changed(private, graph):
    message = refused_update(private, f'INSERT DATA {{ GRAPH <{graph}> {{ <{PV20}> skos:altLabel "Stad"@nl }} }}',
                             GraphRefused)
    assert graph in message and "hckg build" in message


def test_a_foreign_untyped_triple_is_refused_by_the_rules(private):
    message = refused_update(private, f'INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{ <http://evil.example/x> '
                                      '<http://evil.example/p> "junk" } }', ValidationFailed)
    assert message.startswith("SPARQL Update") and "http://evil.example/x" in message


def test_a_nul_character_and_a_formula_label_are_refused(private):
    refused_update(private, f'INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{ <{PV20}> skos:altLabel "a\\u0000b"@nl }} }}',
                   ValidationFailed)
    refused_update(private, f'INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{ <{PV20}> skos:altLabel "=1+1"@nl }} }}',
                   ValidationFailed)


def test_a_syntax_error_is_a_bad_query(private):
    refused_update(private, "INSERT DATA { GRAPH <x", BadQuery)


def test_a_graph_an_update_creates_or_changes_gets_provenance_and_a_dropped_one_loses_it(private):
    before = records(private)[DATA_GRAPH]
    apply_update(private, PREFIXES + f'INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{ <{PV20}> skos:altLabel "Stad"@nl }} }}')
    created = records(private)[NEW_GRAPH]
    assert (created.source_file, created.triples, created.kind) == ("SPARQL Update", 1, "RealData")
    assert created.loaded_at
    untouched = records(private)[DATA_GRAPH]
    assert untouched == before  # a graph the update did not change keeps its record
    apply_update(private, PREFIXES + f'INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ <{PV20}> skos:altLabel "Grunn"@nl }} }}')
    changed = records(private)[DATA_GRAPH]
    assert changed.source_file == "SPARQL Update" and changed.triples == before.triples + 1
    apply_update(private, f"DROP GRAPH <{NEW_GRAPH}>")
    assert NEW_GRAPH not in records(private)


def test_the_graph_store_records_its_method_as_the_source(private, tmp_path):
    upload = tmp_path / "upload.ttl"
    upload.write_text(f'<{PV20}> <http://www.w3.org/2004/02/skos/core#altLabel> "Stad"@nl .\n', encoding="utf-8")
    load_file(private, upload, NEW_GRAPH, True, source="Graph Store PUT")
    assert records(private)[NEW_GRAPH].source_file == "Graph Store PUT"


def test_digests_see_a_change_that_keeps_the_size():
    store = OxigraphStore(None)
    store.update('INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> "1" } GRAPH <urn:h> { <urn:a> <urn:p> "1" } }')
    before = digests(store)
    store.update('DELETE DATA { GRAPH <urn:g> { <urn:a> <urn:p> "1" } } ; '
                 'INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> "2" } } ; DROP GRAPH <urn:h>')
    scope = scope_of(before, digests(store))
    assert (scope.changed, scope.removed) == (["urn:g"], ["urn:h"])
