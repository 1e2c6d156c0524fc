"""The focused gate: checking only what a change touches finds every violation the change brings.

For each planted fault of tests/test_shapes.py, the faulty resources' triples are moved into one
graph of a store holding all the real data; replacing that graph with its faulty version is the
change. Whatever a full check finds after the change and did not find before must be found by the
focused check, and the focused check must look at fewer nodes than the store holds (how many fewer depends on hubs such as a province: see
bench/validate.py for the figures at scale).
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

import pytest
import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from hckg.config import PROJECT_ROOT
from hckg.gate.shacl_sparql import Steps
from hckg.gate.checks import FOCUS_GRAPH, NODE, blocking, changes_schema, clear_focus, compiled, hops_needed, run_checks, seed, steps, widen
from hckg.store.oxigraph import OxigraphStore, to_ntriples
from test_shapes import FAULTS, closure

UNIT = "https://w3id.org/hckg/graph/test-unit"
SHAPES = PROJECT_ROOT / "shapes"
HCKG = rdflib.Namespace("https://w3id.org/hckg/def#")


def _keys(violations) -> set[tuple]:
    return {(v.focus, v.path, v.value, v.shape, v.severity) for v in violations}


def store_with_unit(real: OxigraphStore, unit: Graph) -> OxigraphStore:
    """All the real data in memory, with the triples of ``unit`` moved into graph UNIT."""
    store = OxigraphStore(None)
    inner = store._store  # a test may reach in: pyoxigraph's own bulk loader is 50x faster than rdflib here
    inner.bulk_load(_real_nquads(real), ox.RdfFormat.N_QUADS)
    graph = ox.NamedNode(UNIT)
    for triple in ox.parse(to_ntriples(unit), ox.RdfFormat.N_TRIPLES):
        for quad in list(inner.quads_for_pattern(triple.subject, triple.predicate, triple.object)):
            inner.remove(quad)
        inner.add(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    inner.add_graph(graph)
    return store


_DUMPS: dict[int, bytes] = {}


def _real_nquads(real: OxigraphStore) -> bytes:
    if id(real) not in _DUMPS:
        buffer = io.BytesIO()
        real.dump(buffer, ox.RdfFormat.N_QUADS)
        _DUMPS[id(real)] = buffer.getvalue()
    return _DUMPS[id(real)]


def change(store: OxigraphStore, graph: str, triples: Graph | None) -> int:
    """Replace (or drop) ``graph`` the way hckg.gate.write does; returns how many nodes are in focus."""
    crossed = steps(SHAPES)
    seed(store, graph, crossed)
    if triples is None:
        store.remove_graph(graph)
    else:
        store.replace_graph(graph, triples)
    seed(store, graph, crossed)
    return widen(store, hops_needed(compiled(SHAPES)), crossed)


@pytest.fixture(scope="module")
def real_union(store: OxigraphStore) -> Graph:
    return store.as_rdflib()


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_the_focused_check_finds_every_violation_a_change_brings(fault, store: OxigraphStore,
                                                                 real_union: Graph) -> None:
    checks = compiled(SHAPES)
    unit = closure(real_union, *fault.resources)
    copy = store_with_unit(store, unit)
    before = _keys(run_checks(copy, checks, focused=False))
    faulty = Graph()
    for triple in unit:
        faulty.add(triple)
    fault.plant(faulty)
    in_focus = change(copy, UNIT, faulty)
    focused = _keys(run_checks(copy, checks, focused=True))
    clear_focus(copy)
    after = _keys(run_checks(copy, checks, focused=False))
    assert after - before <= focused <= after
    assert {(str(f), str(s)) for f, _, s in fault.expected} <= {(k[0], k[3]) for k in focused}
    assert in_focus < _nodes(copy)


def _nodes(store: OxigraphStore) -> int:
    rows = store.query("SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { { ?n ?p ?o } UNION { ?s ?p ?n } }")
    return int(next(iter(rows))["c"].value)


def test_a_new_community_named_like_an_existing_one_fails_on_both(store: OxigraphStore,
                                                                   real_union: Graph) -> None:
    existing = URIRef("https://w3id.org/hckg/id/community/rdm-centre-of-expertise")
    newcomer = URIRef("https://w3id.org/hckg/id/community/rdm-again")
    new = Graph()
    for p, o in real_union.predicate_objects(existing):
        new.add((newcomer, p, o))
    copy = store_with_unit(store, Graph())
    change(copy, UNIT, new)
    found = {(v.focus, v.shape) for v in blocking(run_checks(copy, compiled(SHAPES), focused=True))}
    unique = "https://w3id.org/hckg/shapes#Community-uniqueLabel"
    assert {(str(existing), unique), (str(newcomer), unique)} <= found


def test_dropping_the_provinces_is_caught_on_the_communities_that_lie_in_them(store: OxigraphStore) -> None:
    copy = store_with_unit(store, Graph())
    change(copy, "https://w3id.org/hckg/graph/provinces", None)
    found = blocking(run_checks(copy, compiled(SHAPES), focused=True))
    assert any(v.path == str(HCKG.province) and "community/" in v.focus for v in found)


def test_the_scratch_graph_is_gone_after_a_check(store: OxigraphStore) -> None:
    copy = store_with_unit(store, Graph())
    change(copy, UNIT, Graph())
    assert copy.graph_exists(FOCUS_GRAPH)
    clear_focus(copy)
    assert not copy.graph_exists(FOCUS_GRAPH)


def test_sparql_rule_messages_are_filled_in_and_keep_their_languages(store: OxigraphStore) -> None:
    budget = URIRef("https://w3id.org/hckg/id/budget-line/test")
    new = Graph()
    new.add((budget, RDF.type, HCKG.BudgetLine))
    new.add((budget, HCKG.periodStart, Literal("2023", datatype=rdflib.XSD.gYear)))
    new.add((budget, HCKG.periodEnd, Literal("2020", datatype=rdflib.XSD.gYear)))
    new.add((budget, RDFS.label, Literal("test", lang="nl")))
    copy = store_with_unit(store, Graph())
    change(copy, UNIT, new)
    found = [v for v in run_checks(copy, compiled(SHAPES), focused=True)
             if v.focus == str(budget) and v.path == str(HCKG.periodStart) and v.shape.endswith("periodOrder")]
    assert len(found) == 1
    assert found[0].message("en") == "The start year 2023 is after the end year 2020."
    assert found[0].message("nl") == "Het beginjaar 2023 ligt na het eindjaar 2020."


def test_compiled_checks_are_cached_per_version_of_the_shapes(tmp_path: Path) -> None:
    folder = tmp_path / "shapes"
    folder.mkdir()
    (folder / "a.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
                                  "ex:s a sh:NodeShape ; sh:targetClass ex:C ; sh:nodeKind sh:IRI .\n")
    first = compiled(folder)
    assert compiled(folder) is first
    (folder / "b.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
                                  "ex:t a sh:NodeShape ; sh:targetClass ex:D ; sh:nodeKind sh:IRI .\n")
    assert len(compiled(folder)) == len(first) + 1


def test_a_graph_with_class_axioms_counts_as_a_schema_change() -> None:
    store = OxigraphStore(None)
    axioms, plain = Graph(), Graph()
    axioms.add((URIRef("http://example.org/Lab"), RDFS.subClassOf, HCKG.Fieldlab))
    plain.add((URIRef("http://example.org/x"), RDFS.label, Literal("x", lang="nl")))
    store.replace_graph("http://example.org/g/axioms", axioms)
    store.replace_graph("http://example.org/g/plain", plain)
    assert changes_schema(store, "http://example.org/g/axioms")
    assert not changes_schema(store, "http://example.org/g/plain")


def _seeds(store: OxigraphStore) -> set[str]:
    rows = store.query(f"SELECT ?n WHERE {{ GRAPH <{FOCUS_GRAPH}> {{ ?e <{NODE}> ?n }} }}")
    return {row["n"].value for row in rows}


def test_an_object_is_seeded_only_when_an_entailment_lets_a_check_read_it() -> None:
    """Synthetic example.org terms. ex:member's super-property ex:hasMember is crossed backwards by no
    path, so a member is not in focus (it was, and brought 14,014 nodes into focus at 1M triples);
    ex:lead reaches ex:readBackwards, which is, and ex:twin has an inverse: their objects are seeds."""
    ex = rdflib.Namespace("http://example.org/")
    store = OxigraphStore(None)
    schema = Graph()
    schema.add((ex.member, RDFS.subPropertyOf, ex.hasMember))
    schema.add((ex.lead, RDFS.subPropertyOf, ex.leader))
    schema.add((ex.leader, RDFS.subPropertyOf, ex.readBackwards))
    schema.add((ex.twin, rdflib.OWL.inverseOf, ex.twinOf))
    store.replace_graph("http://example.org/g/schema", schema)
    data = Graph()
    data.add((ex.c, ex.member, ex.org))
    data.add((ex.c, ex.lead, ex.boss))
    data.add((ex.c, ex.twin, ex.other))
    store.replace_graph("http://example.org/g/data", data)
    crossed = Steps(frozenset({str(ex.member), str(ex.lead), str(ex.twin)}), frozenset({str(ex.readBackwards)}))
    seed(store, "http://example.org/g/data", crossed)
    assert _seeds(store) == {str(ex.c), str(ex.boss), str(ex.other), "http://example.org/g/data"}


def test_a_new_community_does_not_bring_the_communities_that_share_its_lead_institution_into_focus(
        store: OxigraphStore) -> None:
    """The focus grows with the change, not with the store: no check reads from a lead institution,
    so the other communities it leads stay out of focus. (The newcomer is synthetic, in an in-memory
    copy only.)"""
    row = next(iter(store.query("SELECT ?org (COUNT(?c) AS ?n) WHERE { ?c <https://w3id.org/hckg/def#leadInstitution> "
                                "?org } GROUP BY ?org ORDER BY DESC(?n) LIMIT 1")))
    org = row["org"].value
    assert int(row["n"].value) > 1
    new = Graph()
    newcomer = URIRef("https://w3id.org/hckg/id/community/synthetic-test-newcomer")
    new.add((newcomer, RDF.type, HCKG.Fieldlab))
    new.add((newcomer, RDFS.label, Literal("Synthetic test newcomer", lang="nl")))
    new.add((newcomer, HCKG.leadInstitution, URIRef(org)))
    copy = store_with_unit(store, Graph())
    change(copy, UNIT, new)
    focus = _seeds(copy)
    assert str(newcomer) in focus
    assert org not in focus
    assert not any("/community/" in n for n in focus - {str(newcomer)})
