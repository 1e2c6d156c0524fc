"""Linked data over HTTP: dereferencing /id and /def, dumps, and the VoID/DCAT description."""

from __future__ import annotations

import gzip
import json

import pytest
import rdflib


UTRECHT = rdflib.URIRef("https://w3id.org/hckg/id/province/PV26")


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_a_resource_dereferences_to_rdf_by_content_negotiation(http, accept, media, rdflib_format):
    response = http.get("/id/province/PV26", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]
    graph = rdflib.Graph().parse(data=response.text, format=rdflib_format)
    assert (UTRECHT, rdflib.RDFS.label, rdflib.Literal("Utrecht", lang="nl")) in graph
    # incoming links are part of the description: communities located in Utrecht
    assert any(graph.subjects(rdflib.URIRef("https://w3id.org/hckg/def#province"), UTRECHT))


def test_a_browser_gets_an_html_page_with_labels_links_and_provenance(http):
    response = http.get("/id/province/PV26", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>Utrecht</h1>" in page and "Pointing here" in page
    assert 'href="/def#Province"' in page  # data IRIs link to this server
    assert "data/provinces.csv" in page  # provenance: the source file of its graph


@pytest.mark.parametrize("accept", ["text/turtle", "text/html"])
def test_an_unknown_resource_is_a_404(http, accept):
    response = http.get("/id/province/PV99", headers={"Accept": accept})
    assert response.status_code == 404


def test_def_documents_the_ontology_and_serves_it_as_rdf(http, store):
    page = http.get("/def", headers={"Accept": "text/html"}).text
    assert 'id="Province"' in page and 'id="LearningCommunity"' in page
    turtle = http.get("/def", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    ontology = {g.iri: g.triples for g in store.graphs()}["https://w3id.org/hckg/graph/ontology"]
    assert len(graph) == ontology


@pytest.mark.parametrize(("name", "rdflib_format", "quads"),
                         [("hckg.ttl.gz", "turtle", False), ("hckg.nt.gz", "nt", False),
                          ("hckg.jsonld.gz", "json-ld", False), ("hckg.nq.gz", "nquads", True),
                          ("hckg.trig.gz", "trig", True)])
def test_each_dump_parses_back_to_the_store_content(http, store, name, rdflib_format, quads):
    response = http.get(f"/dumps/{name}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/gzip"
    assert response.headers["etag"] and response.headers["last-modified"]
    data = gzip.decompress(response.content)
    if quads:
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=rdflib_format)
        assert sum(len(g) for g in dataset.graphs() if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID) \
            == sum(g.triples for g in store.graphs())
    else:
        distinct = len({(q.subject, q.predicate, q.object) for q in store.quads()})
        assert len(rdflib.Graph().parse(data=data, format=rdflib_format)) == distinct


def test_a_dump_is_not_sent_again_when_the_etag_matches(http):
    first = http.get("/dumps/hckg.nt.gz")
    again = http.get("/dumps/hckg.nt.gz", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_an_unknown_dump_is_a_404(http):
    assert http.get("/dumps/hckg.xlsx.gz").status_code == 404


def test_the_void_document_describes_dataset_dumps_and_endpoint(http, store):
    response = http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dataset = rdflib.URIRef("https://w3id.org/hckg/dataset")
    assert int(graph.value(dataset, void.triples)) == sum(g.triples for g in store.graphs())
    assert graph.value(dataset, void.sparqlEndpoint) == rdflib.URIRef(f"{http.base_url}/sparql")
    dumps = {str(d) for d in graph.objects(dataset, void.dataDump)}
    assert f"{http.base_url}/dumps/hckg.ttl.gz" in dumps and len(dumps) == 5
    assert len(list(graph.objects(dataset, dcat.distribution))) == 6
    assert any(graph.objects(dataset, void.classPartition)) and any(graph.objects(dataset, void.propertyPartition))
    json.loads(http.get("/.well-known/void", headers={"Accept": "application/ld+json"}).text)


def test_the_served_void_document_validates_against_the_dcat_shapes(http):
    from hckg.reports.void import check_description

    response = http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert check_description(rdflib.Graph().parse(data=response.text, format="turtle")) == []
