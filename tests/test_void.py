"""The dataset and endpoint descriptions are generated from the store."""

from __future__ import annotations

import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from hckg.void import DATASET, SD, Site, service_description, void_description

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
