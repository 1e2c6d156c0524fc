"""A resource's statements both ways, with labels and the provenance of the graphs that say them."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hckg.reports.describe import UnknownResource, describe, ontology_terms

UTRECHT = "https://w3id.org/hckg/id/province/PV26"
PROVINCE = "https://w3id.org/hckg/def#province"


def test_a_province_is_described_with_its_labels_and_what_points_to_it(store):
    found = describe(store, UTRECHT)
    assert found.label("nl") == "Utrecht"
    assert {l.graph for l in found.outgoing} >= {"https://w3id.org/hckg/graph/provinces"}
    pointing = {l.other.value for l in found.incoming if l.property.value == PROVINCE}
    assert "https://w3id.org/hckg/id/community/centre-of-expertise-smart-sustainable-cities" in pointing
    assert [r.source_file for r in found.graphs if r.iri.endswith("/provinces")] == ["data/provinces.csv"]


def test_the_triples_of_a_description_are_distinct_and_point_both_ways(store):
    triples = describe(store, UTRECHT).triples()
    assert len(triples) == len(set(triples))
    node = ox.NamedNode(UTRECHT)
    assert any(t.subject == node for t in triples) and any(t.object == node for t in triples)


def test_an_iri_nobody_mentions_is_unknown(store):
    with pytest.raises(UnknownResource) as err:
        describe(store, "https://w3id.org/hckg/id/province/PV99")
    assert err.value.http_status == 404


def test_the_ontology_terms_are_hckg_classes_first(store):
    terms = ontology_terms(store)
    assert all(t.iri.startswith("https://w3id.org/hckg/def#") for t in terms)
    kinds = [t.kind for t in terms]
    assert kinds == sorted(kinds, key=["Class", "ObjectProperty", "DatatypeProperty"].index)
    province = next(t for t in terms if t.local_name == "Province")
    assert province.label_nl == "Provincie" and "https://w3id.org/hckg/def#Region" in province.parents
