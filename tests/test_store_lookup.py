"""The store-backed lookup gives the answers a copy of the kept graphs in rdflib gave, and nothing from
the graphs it must leave out (the graph being replaced, the provenance and inferred graphs)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from hckg.gate.store_lookup import StoreLookup
from hckg.ingest.lookup import COMMUNITY_TYPES, Lookup
from hckg.iris import HCKG, META_GRAPH, ONTOLOGY_GRAPH
from hckg.gate.infer import INFERRED_GRAPH
from hckg.store.oxigraph import OxigraphStore

ORG = "https://w3id.org/hckg/id/organisation/"
NWO, HAN, OLD, META_ONLY = (URIRef(ORG + k) for k in ("nwo", "han", "old-name", "meta-only"))
FRL = URIRef("https://w3id.org/hckg/id/province/PV21")
DATA = "https://w3id.org/hckg/graph/test-data"
REPLACED = "https://w3id.org/hckg/graph/loads/being-replaced"


def _graphs() -> dict[str, rdflib.Graph]:
    ontology, data, replaced, inferred, meta = (rdflib.Graph() for _ in range(5))
    for sub, sup in ((HCKG.Funder, HCKG.Organisation), (HCKG.HboInstitution, HCKG.EducationInstitution),
                     (HCKG.EducationInstitution, HCKG.Organisation), (HCKG.Fieldlab, HCKG.LearningCommunity)):
        ontology.add((sub, RDFS.subClassOf, sup))
    ontology.add((HCKG.Fieldlab, SKOS.notation, Literal("FL")))
    ontology.add((HCKG.Fieldlab, RDFS.label, Literal("Fieldlab", lang="nl")))
    data.add((NWO, RDF.type, HCKG.Funder))
    data.add((NWO, SKOS.altLabel, Literal("NWO", lang="nl")))
    data.add((HAN, RDF.type, HCKG.HboInstitution))
    data.add((HAN, RDFS.label, Literal("Hogeschool van Arnhem en Nijmegen", lang="nl")))
    data.add((HAN, SKOS.altLabel, Literal("HAN")))
    data.add((FRL, RDF.type, HCKG.Province))
    data.add((FRL, SKOS.prefLabel, Literal("Fryslân", lang="nl")))
    data.add((rdflib.BNode(), RDF.type, HCKG.Province))  # a blank node is never a member
    # The graph a load replaces: its resource, and a label it gives a kept resource, must not resolve ...
    replaced.add((OLD, RDF.type, HCKG.Funder))
    replaced.add((OLD, RDFS.label, Literal("Oude naam", lang="nl")))
    replaced.add((NWO, RDFS.label, Literal("Vervallen naam", lang="nl")))
    # ... nor what the inferred graph entailed from it, nor the provenance graph.
    inferred.add((OLD, RDF.type, HCKG.Organisation))
    inferred.add((NWO, RDF.type, HCKG.Organisation))
    meta.add((META_ONLY, RDF.type, HCKG.Organisation))
    meta.add((META_ONLY, RDFS.label, Literal("Alleen in meta")))
    return {str(ONTOLOGY_GRAPH): ontology, DATA: data, REPLACED: replaced, str(INFERRED_GRAPH): inferred,
            str(META_GRAPH): meta}


@pytest.fixture(scope="module")
def both() -> tuple[StoreLookup, Lookup]:
    """The store-backed lookup and the old one (a copy of the kept graphs), over the same graphs."""
    graphs = _graphs()
    store = OxigraphStore(None)
    for iri, graph in graphs.items():
        store._store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri))
                            for t in ox.parse(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES))
    kept = rdflib.Graph()
    for iri in (str(ONTOLOGY_GRAPH), DATA):
        kept += graphs[iri]
    return StoreLookup(store, [REPLACED, str(META_GRAPH), str(INFERRED_GRAPH)]), Lookup.from_graph(kept)


@pytest.mark.parametrize(("cls", "text"), [
    (HCKG.Organisation, "nwo"), (HCKG.Funder, "NWO"), (HCKG.Organisation, "han"),
    (HCKG.EducationInstitution, "hogeschool van  arnhem en nijmegen"), (HCKG.Funder, "HAN"),
    (HCKG.Province, "fryslan"), (HCKG.Province, "NWO"), (COMMUNITY_TYPES, "fl"), (COMMUNITY_TYPES, "FIELDLAB"),
    (HCKG.Organisation, "Oude naam"), (HCKG.Organisation, "Vervallen naam"), (HCKG.Organisation, "Alleen in meta"),
])
def test_resolve_answers_as_a_copy_of_the_kept_graphs_did(both, cls, text):
    store_lookup, copy = both
    assert store_lookup.resolve(cls, text) == copy.resolve(cls, text)


def test_resolve_finds_by_any_label_under_any_superclass(both):
    store_lookup, _ = both
    assert store_lookup.resolve(HCKG.Organisation, "  Hogeschool van Arnhem en NIJMEGEN ") == {HAN}
    assert store_lookup.resolve(HCKG.Province, "Fryslan") == {FRL}
    assert store_lookup.resolve(COMMUNITY_TYPES, "fl") == {HCKG.Fieldlab}


def test_nothing_resolves_from_the_replaced_inferred_or_provenance_graphs(both):
    store_lookup, _ = both
    assert store_lookup.resolve(HCKG.Organisation, "oude naam") == set()
    assert store_lookup.resolve(HCKG.Organisation, "vervallen naam") == set()
    assert store_lookup.resolve(HCKG.Organisation, "alleen in meta") == set()
    assert not store_lookup.has_member(HCKG.Organisation, OLD)
    assert not store_lookup.has_member(HCKG.Organisation, META_ONLY)


@pytest.mark.parametrize("cls", [HCKG.Organisation, HCKG.Funder, HCKG.EducationInstitution, HCKG.Province,
                                 HCKG.LearningCommunity, COMMUNITY_TYPES])
def test_members_and_labels_are_those_of_the_kept_graphs(both, cls):
    store_lookup, copy = both
    assert store_lookup.members(cls) == copy.members(cls)
    assert store_lookup.labels(cls) == copy.labels(cls)


@pytest.mark.parametrize(("cls", "iri", "expected"), [
    (HCKG.Organisation, NWO, True), (HCKG.Organisation, HAN, True), (HCKG.Funder, HAN, False),
    (HCKG.Province, FRL, True), (HCKG.Organisation, OLD, False), (HCKG.Province, URIRef(ORG + "nowhere"), False),
])
def test_has_member_asks_about_one_iri(cls, iri, expected):
    graphs = _graphs()
    store = OxigraphStore(None)
    for name, graph in graphs.items():
        store._store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
                            for t in ox.parse(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES))
    fresh = StoreLookup(store, [REPLACED, str(META_GRAPH), str(INFERRED_GRAPH)])
    assert fresh.has_member(cls, iri) is expected
    assert cls not in fresh._store_members  # answered without reading every member of the class


def test_a_mapped_graph_added_to_it_answers_too(both):
    store_lookup, _ = both
    added = rdflib.Graph()
    new = URIRef(ORG + "new-one")
    added.add((new, RDF.type, HCKG.Funder))
    added.add((new, RDFS.label, Literal("Nieuwe financier", lang="nl")))
    store_lookup.add_graph(added)
    assert store_lookup.resolve(HCKG.Organisation, "nieuwe financier") == {new}
    assert store_lookup.has_member(HCKG.Organisation, new)


def test_a_label_written_as_the_cell_wins_over_one_that_differs_in_case_only():
    store = OxigraphStore(None)
    exact, loose = URIRef(ORG + "abc"), URIRef(ORG + "abc-2")
    g = rdflib.Graph()
    g.add((exact, RDF.type, HCKG.Organisation))
    g.add((exact, RDFS.label, Literal("ABC Groep", lang="nl")))
    g.add((loose, RDF.type, HCKG.Organisation))
    g.add((loose, RDFS.label, Literal("Abc groep", lang="nl")))
    store._store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(DATA))
                        for t in ox.parse(g.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES))
    lookup = StoreLookup(store, [str(META_GRAPH), str(INFERRED_GRAPH)], hints=["ABC Groep", "Abc groep"])
    assert lookup.resolve(HCKG.Organisation, "ABC Groep") == {exact}
    assert lookup.resolve(HCKG.Organisation, " Abc   groep ") == {loose}
    assert HCKG.Organisation not in lookup._candidates  # index look-ups only, so far
    assert lookup.resolve(HCKG.Organisation, "abc groep") == {exact, loose}  # no exact match: both, ambiguous
    assert HCKG.Organisation in lookup._candidates  # only that last one read the class's labels
