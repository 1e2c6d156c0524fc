"""The inferred graph: OWL RL entailments materialised so queries need no reasoner."""

from __future__ import annotations

from register import communities

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from hckg.gate.infer import INFERRED_GRAPH, materialise
from hckg.store.oxigraph import OxigraphStore
from helpers import select

E = rdflib.Namespace("http://example.org/")


def test_a_query_for_learning_community_finds_every_type_of_community(store):
    rows = select(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/hckg/def#LearningCommunity> }")
    assert rows == [{"n": str(len(communities()))}]


def test_partners_are_members_through_the_subproperty(store):
    rows = select(store, """SELECT ?o WHERE {
        <https://w3id.org/hckg/id/community/centre-of-expertise-biobased-economy-coe-bbe> <http://www.w3.org/ns/org#hasMember> ?o
      } ORDER BY ?o""")
    assert rows == [{"o": "https://w3id.org/hckg/id/organisation/avans-hogeschool"},
                    {"o": "https://w3id.org/hckg/id/organisation/hz-university-of-applied-sciences"}]


def test_inferred_triples_live_only_in_their_own_graph(store):
    rows = select(store, """SELECT (COUNT(*) AS ?n) WHERE {
        GRAPH <https://w3id.org/hckg/graph/inferred> { ?s ?p ?o }
        GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/hckg/graph/inferred>) }""")
    assert rows == [{"n": "0"}]


def graph(*triples) -> rdflib.Graph:
    g = rdflib.Graph()
    for t in triples:
        g.add(t)
    return g


def test_inverse_and_transitive_properties_are_materialised_and_recomputed(tmp_path):
    store = OxigraphStore(tmp_path / "db", writable=True)
    store.replace_graph("http://example.org/g/onto", graph(
        (E.partOf, RDF.type, OWL.TransitiveProperty), (E.partOf, OWL.inverseOf, E.hasPart),
        (E.Town, RDFS.subClassOf, E.Place)))
    store.replace_graph("http://example.org/g/data", graph(
        (E.delft, E.partOf, E.zuidHolland), (E.zuidHolland, E.partOf, E.nl), (E.delft, RDF.type, E.Town)))
    assert materialise(store) == 5
    inferred = {tuple(str(t) for t in triple) for triple in store.as_rdflib([str(INFERRED_GRAPH)])}
    assert inferred == {
        (str(E.delft), str(E.partOf), str(E.nl)),
        (str(E.zuidHolland), str(E.hasPart), str(E.delft)),
        (str(E.nl), str(E.hasPart), str(E.zuidHolland)),
        (str(E.nl), str(E.hasPart), str(E.delft)),
        (str(E.delft), str(RDF.type), str(E.Place)),
    }
    store.replace_graph("http://example.org/g/data", graph((E.delft, E.partOf, E.zuidHolland)))
    assert materialise(store) == 1  # stale entailments are gone: only zuidHolland hasPart delft


SCHEMA = graph(
    (E.partOf, RDF.type, OWL.TransitiveProperty), (E.partOf, OWL.inverseOf, E.hasPart),
    (E.Town, RDFS.subClassOf, E.Place), (E.Place, RDFS.subClassOf, E.Thing),
    (E.capitalOf, RDFS.subPropertyOf, E.partOf))


def inferred_of(store: OxigraphStore) -> set[tuple[str, ...]]:
    """The inferred graph, blank nodes by their store label (they must stay the store's own nodes)."""
    return {tuple(term.value if isinstance(term, ox.NamedNode) else str(term) for term in quad.triple)
            for quad in store.quads() if quad.graph_name == ox.NamedNode(str(INFERRED_GRAPH))}


def stores_with(tmp_path, base: rdflib.Graph, added: rdflib.Graph) -> tuple[OxigraphStore, OxigraphStore]:
    """One store where ``added`` joins an up-to-date inferred graph (materialise(added=...)), and one
    recomputed from scratch after the same writes; the two inferred graphs must be equal."""
    local = OxigraphStore(tmp_path / "local", writable=True)
    local.replace_graph("http://example.org/g/onto", SCHEMA)
    local.replace_graph("http://example.org/g/base", base)
    materialise(local)
    local.replace_graph("http://example.org/g/added", added)
    full = OxigraphStore(tmp_path / "full", writable=True)
    for quad in local.quads():
        if quad.graph_name != ox.NamedNode(str(INFERRED_GRAPH)):
            full.add_ntriples(quad.graph_name.value, (str(quad.triple) + " .\n").encode())
    return local, full


@pytest.fixture
def calls(monkeypatch) -> list[list[str]]:
    """The premise graphs of every rule query ``materialise`` builds, to tell the local path from a recompute."""
    import hckg.gate.infer as infer
    seen: list[list[str]] = []
    real = infer._from
    monkeypatch.setattr(infer, "_from", lambda rule, premises, *more: seen.append(list(premises)) or real(rule, premises, *more))
    return seen


def big_base() -> rdflib.Graph:
    """Enough unrelated triples that a small added graph counts as local (infer.LOCAL_SHARE)."""
    g = graph((E.delft, E.partOf, E.zuidHolland), (E.delft, RDF.type, E.Town))
    for n in range(40):
        g.add((E[f"farm{n}"], E.label, rdflib.Literal(f"farm {n}")))
    return g


def test_an_added_graph_gets_exactly_the_entailments_a_full_recompute_gives(tmp_path, calls):
    village = rdflib.BNode()
    added = graph(
        (E.zuidHolland, E.capitalOf, E.nl),  # chains across graphs: delft partOf zh (base) + zh partOf nl
        (E.delft, RDF.type, E.Place),  # asserted now, inferred before: it leaves the inferred graph
        (village, RDF.type, E.Town), (village, E.partOf, E.delft))  # a blank node keeps its identity
    local, full = stores_with(tmp_path, big_base(), added)
    before = inferred_of(local)
    assert (str(E.delft), str(RDF.type), str(E.Place)) in before
    calls.clear()
    local_count = materialise(local, added="http://example.org/g/added", known_size=local.graph_size(str(INFERRED_GRAPH)))
    assert calls[0] == ["http://example.org/g/added"]  # the local path, not a recompute
    assert local_count == materialise(full) == local.graph_size(str(INFERRED_GRAPH))
    assert inferred_of(local) == inferred_of(full)
    assert (str(E.delft), str(RDF.type), str(E.Place)) not in inferred_of(local)
    assert (str(E.delft), str(E.partOf), str(E.nl)) in inferred_of(local)
    assert select(local, """SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g/added> { ?v a <http://example.org/Town> }
        GRAPH <https://w3id.org/hckg/graph/inferred> { <http://example.org/nl> <http://example.org/hasPart> ?v } }""") == [{"n": "1"}]
    assert not local.graph_exists("urn:hckg:infer-delta")


def test_an_added_graph_with_class_axioms_recomputes_everything(tmp_path, calls):
    added = graph((E.Place, RDFS.subClassOf, E.Region))  # old data gets new types: no local change
    local, full = stores_with(tmp_path, big_base(), added)
    calls.clear()
    assert materialise(local, added="http://example.org/g/added") == materialise(full)
    assert "http://example.org/g/base" in calls[0]
    assert inferred_of(local) == inferred_of(full)
    assert (str(E.delft), str(RDF.type), str(E.Region)) in inferred_of(local)


@pytest.mark.slow
def test_a_large_added_graph_is_recomputed_with_the_rest(tmp_path, calls):
    added = graph(*((E[f"town{n}"], RDF.type, E.Town) for n in range(60)))
    local, full = stores_with(tmp_path, big_base(), added)
    calls.clear()
    assert materialise(local, added="http://example.org/g/added") == materialise(full) == 123  # 60 towns and delft, each a Place and a Thing; zh hasPart delft
    assert "http://example.org/g/base" in calls[0]
    assert inferred_of(local) == inferred_of(full)


def test_blank_nodes_of_the_store_stay_themselves_in_the_inferred_graph(tmp_path):
    store = OxigraphStore(tmp_path / "db", writable=True)
    store.replace_graph("http://example.org/g/onto", SCHEMA)
    node = rdflib.BNode()
    store.replace_graph("http://example.org/g/data", graph((node, RDF.type, E.Town), (node, E.label, rdflib.Literal("x"))))
    materialise(store)
    rows = select(store, """SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g/data> { ?b <http://example.org/label> "x" }
        GRAPH <https://w3id.org/hckg/graph/inferred> { ?b a <http://example.org/Place>, <http://example.org/Thing> } }""")
    assert rows == [{"n": "1"}]


def test_rules_that_feed_each_other_across_rounds_reach_the_fixpoint(tmp_path):
    """A statement by a subproperty of rdf:type feeds the (closed) subclass rule; an inverse feeds the
    (closed) subproperty rule a round later: skipping a closed rule must never lose these."""
    store = OxigraphStore(tmp_path / "db", writable=True)
    store.replace_graph("http://example.org/g/onto", graph(
        (E.kind, RDFS.subPropertyOf, RDF.type), (E.Town, RDFS.subClassOf, E.Place),
        (E.capitalOf, RDFS.subPropertyOf, E.partOf), (E.partOf, OWL.inverseOf, E.hasPart),
        (E.hasPart, RDFS.subPropertyOf, E.contains)))
    store.replace_graph("http://example.org/g/data", graph((E.delft, E.kind, E.Town), (E.hague, E.capitalOf, E.zh)))
    materialise(store)
    inferred = inferred_of(store)
    assert {(str(E.delft), str(RDF.type), str(E.Town)), (str(E.delft), str(RDF.type), str(E.Place)),
            (str(E.hague), str(E.partOf), str(E.zh)), (str(E.zh), str(E.hasPart), str(E.hague)),
            (str(E.zh), str(E.contains), str(E.hague))} == inferred


def test_a_closed_rule_is_fed_only_by_the_other_rules_findings_with_its_premise_predicate(tmp_path):
    from hckg.gate.infer import _fed, rules

    def found(name: str, data: bytes):
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    subclass = next(r for r in rules() if r.name == "infer-subclass.rq")
    assert subclass.closed and subclass.predicates == (str(RDF.type),)
    own = found("own.nt", b'<http://example.org/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/P> .\n')
    other = found("other.nt", b'<http://example.org/x> <http://example.org/partOf> <http://example.org/y> .\n')
    empty = found("empty.nt", b"")
    assert not _fed(subclass, {"infer-subclass.rq": own, "infer-subproperty.rq": other})
    assert _fed(subclass, {"infer-subclass.rq": empty, "infer-subproperty.rq": own})
    inverse = next(r for r in rules() if r.name == "infer-inverse.rq")
    assert not inverse.closed and _fed(inverse, {"infer-inverse.rq": other})
    assert not _fed(inverse, {"infer-inverse.rq": empty})


def replaced_stores(tmp_path, old: rdflib.Graph, new: rdflib.Graph | None,
                    calls: list[list[str]]) -> tuple[OxigraphStore, OxigraphStore, list[list[str]]]:
    """A store whose graph g/old (with its entailments) is replaced by ``new`` (or dropped, None) and its
    inferred graph brought up to date by retraction (``keep_removed`` + ``materialise(removed=...)``), and
    one recomputed from scratch after the same writes; and the premises of the first's rule queries."""
    from hckg.gate.infer import keep_removed

    local = OxigraphStore(tmp_path / "local", writable=True)
    local.replace_graph("http://example.org/g/onto", SCHEMA)
    local.replace_graph("http://example.org/g/base", big_base())
    local.replace_graph("http://example.org/g/old", old)
    before = materialise(local)
    removed = keep_removed(local, "http://example.org/g/old")
    assert removed is not None
    if new is None:
        local.remove_graph("http://example.org/g/old")
    else:
        local.replace_graph("http://example.org/g/old", new)
    calls.clear()
    local_count = materialise(local, added=None if new is None else "http://example.org/g/old", removed=removed,
                              known_size=before)  # the size is then counted from what changed
    local_calls = list(calls)
    full = OxigraphStore(tmp_path / "full", writable=True)
    for quad in local.quads():
        if quad.graph_name != ox.NamedNode(str(INFERRED_GRAPH)):
            full.add_ntriples(quad.graph_name.value, (str(quad.triple) + " .\n").encode())
    assert local_count == materialise(full) == local.graph_size(str(INFERRED_GRAPH))
    return local, full, local_calls


OLD = graph(
    (E.zuidHolland, E.partOf, E.nl), (E.nl, E.partOf, E.europe),  # chains through base's delft partOf zh
    (E.delft, RDF.type, E.Place),  # asserted here, entailed by base's (delft a Town) once this goes
    (E.leiden, RDF.type, E.Town), (E.leiden, E.capitalOf, E.zuidHolland))  # subproperty, inverse, subclass


@pytest.mark.parametrize("new", [
    None,  # a drop
    graph((E.zuidHolland, E.partOf, E.nl)),  # a shorter chain
    graph((E.leiden, RDF.type, E.Place), (E.nl, E.partOf, E.europe)),  # the chain broken in the middle
    OLD,  # the same triples again
])
def test_a_replaced_or_dropped_graph_retracts_exactly_what_a_recompute_drops(tmp_path, calls, new):
    local, full, local_calls = replaced_stores(tmp_path, OLD, new, calls)
    assert inferred_of(local) == inferred_of(full)
    assert all("http://example.org/g/base" not in premises for premises in local_calls)  # no recompute
    assert any("http://example.org/g/old" in premises for premises in local_calls) == (new is not None)
    if new is None:
        assert (str(E.delft), str(RDF.type), str(E.Place)) in inferred_of(local)
        assert (str(E.delft), str(E.partOf), str(E.nl)) not in inferred_of(local)
    for scratch in ("urn:hckg:infer-removed", "urn:hckg:infer-overdeleted", "urn:hckg:infer-delta"):
        assert not local.graph_exists(scratch)


def test_a_replaced_graph_with_class_axioms_recomputes_everything(tmp_path, calls):
    local, full, local_calls = replaced_stores(tmp_path, OLD, graph((E.Place, RDFS.subClassOf, E.Region)), calls)
    assert "http://example.org/g/base" in local_calls[0]
    assert inferred_of(local) == inferred_of(full)
