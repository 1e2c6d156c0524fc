"""Real SPARQL clients against the running server: SPARQLWrapper in every return format, rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

PROVINCES = "SELECT ?p WHERE { ?p a <https://w3id.org/hckg/def#Province> } ORDER BY ?p"
GRAPH = "CONSTRUCT { ?p a <https://w3id.org/hckg/def#Province> } WHERE { ?p a <https://w3id.org/hckg/def#Province> }"
PROVINCE = rdflib.URIRef("https://w3id.org/hckg/def#Province")


def wrapper(server, query: str, fmt: str) -> SPARQLWrapper:  # type: ignore[no-untyped-def]
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_reads_select_answers_in_every_results_format(server, fmt: str) -> None:
    body = wrapper(server, PROVINCES, fmt).query().convert()
    if fmt == JSON:
        rows = [b["p"]["value"] for b in body["results"]["bindings"]]  # type: ignore[index]
    elif fmt == XML:
        rows = [n.firstChild.data for n in body.getElementsByTagName("uri")]  # type: ignore[union-attr]
    else:
        text = body.decode("utf-8")  # type: ignore[union-attr]
        table = list(csv.reader(io.StringIO(text), delimiter="," if fmt == CSV else "\t"))
        rows = [r[0].strip("<>") for r in table[1:]]
    assert len(rows) == 12 and all(r.startswith("https://w3id.org/hckg/id/province/") for r in rows)


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, RDF, JSONLD, XML])
def test_sparqlwrapper_reads_construct_answers_in_every_rdf_format(server, fmt: str) -> None:
    body = wrapper(server, GRAPH, fmt).query().convert()
    if isinstance(body, bytes):
        graph = rdflib.Graph().parse(data=body, format="json-ld" if fmt == JSONLD else "turtle")
    else:
        graph = body
    assert isinstance(graph, rdflib.Graph)
    assert len(set(graph.subjects(rdflib.RDF.type, PROVINCE))) == 12


def test_sparqlwrapper_json_ld_sends_format_twice_and_is_answered(server) -> None:  # type: ignore[no-untyped-def]
    import httpx

    answer = httpx.get(server.url + "/sparql", params=[("query", GRAPH), ("format", "json-ld"),
                                                       ("format", "application/ld+json")])
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/ld+json")
    assert "Accept" in answer.headers["vary"]
    json.loads(answer.text)
    clash = httpx.get(server.url + "/sparql", params=[("query", PROVINCES), ("format", "csv"), ("format", "xml")])
    assert clash.status_code == 400 and "format" in clash.json()["error"]["message"]
    settled = httpx.get(server.url + "/sparql", params=[("query", PROVINCES), ("format", "csv"), ("format", "xml")],
                        headers={"Accept": "text/csv"})
    assert settled.status_code == 200 and settled.headers["content-type"].startswith("text/csv")


def test_rdflib_sparqlstore_queries_the_server(server) -> None:  # type: ignore[no-untyped-def]
    store = SPARQLStore(server.url + "/sparql")
    graph = rdflib.Graph(store)
    rows = list(graph.query(PROVINCES))
    assert len(rows) == 12
    assert graph.query("ASK { ?p a <https://w3id.org/hckg/def#Province> }").askAnswer is True
    assert len(set(graph.query(GRAPH).graph.subjects(rdflib.RDF.type, PROVINCE))) == 12  # type: ignore[union-attr]
    assert len(list(graph.triples((None, rdflib.RDF.type, PROVINCE)))) == 12
