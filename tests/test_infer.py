"""The inferred graph: OWL RL entailments materialised so queries need no reasoner."""

from __future__ import annotations

import rdflib
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from hckg.infer import INFERRED_GRAPH, materialise
from hckg.store import OxigraphStore
from helpers import select

E = rdflib.Namespace("http://example.org/")


def test_a_query_for_learning_community_finds_every_type_of_community(store):
    rows = select(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/hckg/def#LearningCommunity> }")
    assert rows == [{"n": "117"}]


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
