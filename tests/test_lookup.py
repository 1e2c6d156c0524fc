"""Labels people type resolve to the resources they mean, and to nothing else."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from hckg.iris import HCKG
from hckg.ingest.lookup import COMMUNITY_TYPES, Lookup, normalise


@pytest.mark.parametrize(("a", "b"), [("Fryslân", "fryslan"), ("  Noord-Holland ", "noord-holland"),
                                      ("Gezondheid  &  Zorg", "GEZONDHEID & ZORG")])
def test_normalise_ignores_case_accents_and_spacing(a, b):
    assert normalise(a) == normalise(b)


def test_an_instance_is_found_under_its_class_and_superclasses():
    g = Graph()
    nwo = URIRef("https://w3id.org/hckg/id/organisation/nwo")
    g.add((HCKG.Funder, RDFS.subClassOf, HCKG.Organisation))
    g.add((nwo, RDF.type, HCKG.Funder))
    g.add((nwo, SKOS.altLabel, Literal("NWO", lang="nl")))
    lookup = Lookup.from_graph(g)
    assert lookup.resolve(HCKG.Organisation, "nwo") == {nwo}
    assert lookup.resolve(HCKG.Funder, "NWO") == {nwo}
    assert lookup.resolve(HCKG.Province, "NWO") == set()
    assert lookup.members(HCKG.Organisation) == {nwo}


def test_community_types_are_found_by_notation():
    g = Graph()
    g.add((HCKG.Fieldlab, RDFS.subClassOf, HCKG.LearningCommunity))
    g.add((HCKG.Fieldlab, SKOS.notation, Literal("Fieldlab")))
    assert Lookup.from_graph(g).resolve(COMMUNITY_TYPES, "fieldlab") == {HCKG.Fieldlab}
