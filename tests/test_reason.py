"""`hckg reason`: the ontology plus the real data are consistent under HermiT."""

from __future__ import annotations

import shutil

import pytest
import rdflib
from rdflib.namespace import RDF

from hckg.iris import HCKG
from hckg.reports.reason import Inconsistent, ReasonerUnavailable, reason

pytestmark = pytest.mark.slow  # HermiT (Java, through owlready2)

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT runs on Java and `java` is not on PATH")
META = "https://w3id.org/hckg/graph/meta"


def everything(store) -> rdflib.Graph:
    return store.as_rdflib([g.iri for g in store.graphs() if g.iri != META])


@needs_java
def test_the_ontology_plus_the_real_data_is_consistent(store):
    report = reason(everything(store))
    assert report.unsatisfiable == []
    assert report.triples > 5000


@needs_java
def test_a_language_tagged_source_row_contradicts_its_string_range(store):
    """Regression: sourceRow/trekkerText were written @nl although their range is xsd:string."""
    graph = everything(store)
    graph.add((rdflib.URIRef("https://w3id.org/hckg/id/action/x"), HCKG.sourceRow, rdflib.Literal("x", lang="nl")))
    with pytest.raises(Inconsistent):
        reason(graph)


@needs_java
def test_a_resource_of_two_disjoint_classes_is_explained(store):
    graph = everything(store)
    utrecht = rdflib.URIRef("https://w3id.org/hckg/id/province/PV26")
    graph.add((utrecht, RDF.type, HCKG.CentreOfExpertise))
    with pytest.raises(Inconsistent) as err:
        reason(graph)
    assert "province/PV26> is typed" in str(err.value)
    assert "both <https://w3id.org/hckg/def#LearningCommunity> and <https://w3id.org/hckg/def#Province>" in str(err.value)
    assert "declares disjoint" in str(err.value)


def test_without_java_the_error_says_so(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReasonerUnavailable, match="Java"):
        reason(rdflib.Graph())
