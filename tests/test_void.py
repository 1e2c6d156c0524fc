"""The dataset and endpoint descriptions are generated from the store."""

from __future__ import annotations

import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from hckg.reports.void import DATASET, SD, Site, check_description, service_description, void_description

SH_NODE = rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")

SITE = Site("http://127.0.0.1:8000/")


def test_void_counts_match_the_store(store):
    graph = void_description(store, SITE)
    assert int(graph.value(DATASET, VOID.triples)) == sum(g.triples for g in store.graphs())
    partitions = {graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
                  for p in graph.objects(DATASET, VOID.classPartition)}
    assert partitions[rdflib.URIRef("https://w3id.org/hckg/def#Province")] == 12


def test_the_dataset_has_what_dcat_ap_nl_requires(store):
    graph = void_description(store, SITE)
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license, DCTERMS.identifier,
                 DCAT.contactPoint, DCTERMS.language, DCTERMS.modified):
        assert graph.value(DATASET, prop) is not None, prop
    for dist in graph.objects(DATASET, DCAT.distribution):
        assert (dist, RDF.type, DCAT.Distribution) in graph and graph.value(dist, DCAT.accessURL) is not None
        assert graph.value(dist, DCTERMS.license) is not None


def test_the_service_description_names_endpoint_and_named_graphs(store):
    graph = service_description(store, SITE)
    service = graph.value(predicate=RDF.type, object=SD.Service)
    assert graph.value(service, SD.endpoint) == rdflib.URIRef("http://127.0.0.1:8000/sparql")
    names = {str(n) for n in graph.objects(None, SD.name)}
    assert names == {g.iri for g in store.graphs()}


def test_the_void_document_conforms_to_the_dcat_shapes(store):
    assert check_description(void_description(store, SITE)) == []


def test_a_description_without_a_licence_breaks_the_dcat_shapes(store):
    graph = void_description(store, SITE)
    graph.remove((DATASET, DCTERMS.license, None))
    assert check_description(graph) == [f"{DATASET} {DCTERMS.license}: A dataset has one licence, as an IRI."]


def test_the_data_gate_does_not_read_the_dcat_shapes():
    from hckg.config import Settings
    from hckg.gate.validate import load_shapes

    shapes = load_shapes(Settings().shapes_dir)
    assert (rdflib.URIRef("https://w3id.org/hckg/shapes/dataset#Dataset"), RDF.type, SH_NODE) not in shapes
