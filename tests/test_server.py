"""The SPARQL 1.1 Protocol at /sparql, tested with real clients against a running server."""

from __future__ import annotations

import csv
import io
import json
import threading
import time

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from helpers import select
from server_helpers import ROW_CAP, TIMEOUT_S, WRITE_TOKEN

PROVINCES = """PREFIX hckg: <https://w3id.org/hckg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?p ?label WHERE { ?p a hckg:Province ; rdfs:label ?label . FILTER(LANG(?label) = "nl") } ORDER BY ?label"""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def expected_provinces(store) -> list[str]:
    return [row["label"] for row in select(store, PROVINCES)]


def wrapper(server, fmt) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_reads_json_results(server, expected_provinces):
    client = wrapper(server, JSON)
    client.setQuery(PROVINCES)
    result = client.query().convert()
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == expected_provinces
    assert len(expected_provinces) == 12


def test_sparqlwrapper_reads_xml_results_over_post(server, expected_provinces):
    client = wrapper(server, XML)
    client.setMethod("POST")
    client.setQuery(PROVINCES)
    document = client.query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == expected_provinces


def test_sparqlwrapper_reads_csv_results(server, expected_provinces):
    client = wrapper(server, CSV)
    client.setQuery(PROVINCES)
    rows = list(csv.reader(io.StringIO(client.query().convert().decode("utf-8"))))
    assert rows[0] == ["p", "label"] and [r[1] for r in rows[1:]] == expected_provinces


def test_sparqlwrapper_reads_a_construct_as_turtle(server):
    client = wrapper(server, TURTLE)
    client.setQuery("CONSTRUCT { ?p a <https://w3id.org/hckg/def#Province> } "
                    "WHERE { ?p a <https://w3id.org/hckg/def#Province> }")
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 12


def test_rdflib_sparqlstore_queries_the_endpoint(server, expected_provinces):
    graph = rdflib.Graph(SPARQLStore(server.url + "/sparql", returnFormat="json"))
    labels = [str(row.label) for row in graph.query(PROVINCES)]
    assert labels == expected_provinces
    assert graph.query("ASK { ?s a <https://w3id.org/hckg/def#Province> }").askAnswer is True


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("application/sparql-results+json", None, "application/sparql-results+json"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        ("text/html", "csv", "text/csv"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ],
)
def test_results_come_in_the_format_asked_for_by_accept_or_format(http, accept, fmt, media):
    params = {"query": "SELECT ?s WHERE { ?s a <https://w3id.org/hckg/def#Province> } LIMIT 2"}
    if fmt:
        params["format"] = fmt
    response = http.get("/sparql", params=params, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media


def test_a_query_sent_as_the_post_body_is_answered(http):
    response = http.post("/sparql", content="ASK { ?s a <https://w3id.org/hckg/def#Province> }",
                         headers={"Content-Type": "application/sparql-query", "Accept": "application/json"})
    assert response.json()["boolean"] is True


def test_default_graph_uri_narrows_the_dataset(http):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    provinces = http.get("/sparql", params={"query": query,
                                            "default-graph-uri": "https://w3id.org/hckg/graph/provinces"})
    nothing = http.get("/sparql", params={"query": query, "named-graph-uri": "https://w3id.org/hckg/graph/provinces"})
    assert int(provinces.json()["results"]["bindings"][0]["n"]["value"]) == 174
    assert int(nothing.json()["results"]["bindings"][0]["n"]["value"]) == 0


def test_without_a_query_the_endpoint_describes_itself(http):
    response = http.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = graph.value(predicate=rdflib.RDF.type, object=sd.Service)
    assert graph.value(service, sd.endpoint) == rdflib.URIRef(str(http.base_url) + "/sparql")
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph


def test_reads_are_open_to_other_origins(http):
    response = http.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = http.options("/sparql", headers={"Origin": "https://yasgui.example",
                                                 "Access-Control-Request-Method": "POST",
                                                 "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200


def test_every_answer_carries_the_data_version(http, store):
    from hckg_web.runtime.live import data_version

    for response in (http.get("/sparql", params={"query": "ASK {}"}), http.get("/api/queries"),
                     http.get("/sparql", params={"query": "SELEC"})):
        assert response.headers["x-hckg-data-version"] == data_version(store)


def test_a_syntax_error_is_a_400_with_the_json_error_shape(http):
    response = http.get("/sparql", params={"query": "SELEC ?s"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "BadQuery" and error["message"].startswith("SPARQL error:")


def test_a_long_answer_is_capped_and_flagged_in_header_and_body(http):
    response = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"})
    body = response.json()
    assert response.headers["x-hckg-truncated"] == "true" and body["truncated"] is True
    assert len(body["results"]["bindings"]) == ROW_CAP
    short = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"})
    assert short.headers["x-hckg-truncated"] == "false" and "truncated" not in short.json()


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("POST", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        ("POST", {"content": "DROP ALL", "headers": {"Content-Type": "application/sparql-update"}}),
        ("PUT", {"params": {"graph": "urn:x"}, "content": "<urn:a> <urn:b> <urn:c> .",
                 "headers": {"Content-Type": "application/n-triples"}}),
        ("DELETE", {"params": {"graph": "https://w3id.org/hckg/graph/provinces"}}),
    ],
)
def test_writes_without_the_token_are_refused(http, store, method, kwargs):
    path = "/rdf-graphs" if method in ("PUT", "DELETE") else "/sparql"
    before = store.graphs()
    for headers in ({}, {"Authorization": "Bearer wrong-token"}):
        merged = {**kwargs, "headers": {**kwargs.get("headers", {}), **headers}}
        response = http.request(method, path, **merged)
        assert response.status_code == 403 and response.json()["error"]["type"] == "Refused"
    assert http.get("/sparql", params={"query": "ASK { GRAPH <urn:x> { ?s ?p ?o } }"}).json()["boolean"] is False
    assert store.graphs() == before


def test_drop_all_with_the_token_means_the_data_graphs_and_the_shapes_refuse_it(http):
    """DROP ALL leaves the ontology (hckg build writes it), so the check sees every rule of the data broken."""
    before = http.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"]
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    response = http.post("/sparql", data={"update": "DROP ALL"}, headers=auth)
    message = response.json()["error"]["message"]
    assert response.status_code == 400 and "violation(s) of the shapes" in message and "leadTopsector" in message
    named = http.post("/sparql", data={"update": "DROP GRAPH <https://w3id.org/hckg/graph/ontology>"}, headers=auth)
    assert named.status_code == 400 and "graph/ontology" in named.json()["error"]["message"]
    assert http.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"] == before


def test_the_graph_store_protocol_reads_one_named_graph(http):
    response = http.get("/rdf-graphs", params={"graph": "https://w3id.org/hckg/graph/provinces"},
                        headers={"Accept": "application/n-triples"})
    assert len(rdflib.Graph().parse(data=response.text, format="nt")) == 174
    assert http.get("/rdf-graphs", params={"graph": "urn:none"}).status_code == 404


def test_service_is_refused(http):
    response = http.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 403 and "HCKG_ALLOW_SERVICE" in response.json()["error"]["message"]


def test_a_runaway_query_gets_503_at_the_limit_while_a_simple_query_still_succeeds(server):
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        response = httpx.get(server.url + "/sparql", params={"query": RUNAWAY}, timeout=30)
        outcome.update(status=response.status_code, seconds=time.monotonic() - started, body=response.json())

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    simple = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s a <https://w3id.org/hckg/def#Province> }"},
                       timeout=5)
    thread.join()
    assert simple.status_code == 200 and simple.json()["boolean"] is True
    assert outcome["status"] == 503 and outcome["seconds"] < TIMEOUT_S + 1
    assert "time limit of 2 s" in outcome["body"]["error"]["message"]  # type: ignore[index]
    # The killed worker is replaced: the server keeps answering.
    for _ in range(3):
        assert httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200
