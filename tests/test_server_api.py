"""Saved queries as an HTTP API: same parameter rules as the CLI, formats by suffix or Accept, OpenAPI."""

from __future__ import annotations

from register import provinces_lacking

import csv
import io

import pytest
import rdflib

from hckg.queries.catalog import load_catalog
from hckg.config import Settings

LACKING = provinces_lacking("Gezondheid & Zorg", ["CoE"])
HEADLINE = {"challenge": "Gezondheid & Zorg", "type": "CoE"}


def test_the_headline_query_answers_as_csv_by_suffix(http):
    response = http.get("/api/queries/regions-lacking-community.csv", params=HEADLINE)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["region", "regionLabel"] and [r[1] for r in rows[1:]] == LACKING


def test_the_headline_query_answers_as_sparql_json_by_accept(http):
    response = http.get("/api/queries/regions-lacking-community", params=HEADLINE,
                        headers={"Accept": "application/sparql-results+json"})
    labels = [b["regionLabel"]["value"] for b in response.json()["results"]["bindings"]]
    assert labels == LACKING


def test_a_construct_query_answers_as_turtle_by_suffix(http):
    response = http.get("/api/queries/describe-resource.ttl",
                        params={"resource": "https://w3id.org/hckg/id/province/PV26"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/hckg/id/province/PV26"), rdflib.RDFS.label,
            rdflib.Literal("Utrecht", lang="nl")) in graph


@pytest.mark.parametrize(
    ("params", "parameter", "rule"),
    [
        ({"type": "CoE"}, "challenge", "required parameter is missing"),
        ({"challenge": "Nope"}, "challenge", "unknown value"),
        ({"challenge": "Veiligheid", "colour": "red"}, "colour", "has no such parameter"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_the_parameter_and_the_rule(http, params, parameter, rule):
    response = http.get("/api/queries/regions-lacking-community", params=params)
    error = response.json()["error"]
    assert response.status_code == 400 and error["type"] == "BadParameter"
    assert error["parameter"] == parameter and rule in error["rule"]


def test_an_unknown_saved_query_is_a_404(http):
    response = http.get("/api/queries/no-such-query")
    assert response.status_code == 404 and response.json()["error"]["type"] == "UnknownQuery"


def test_the_catalogue_lists_every_saved_query_with_its_parameters(http):
    listed = {q["name"]: q for q in http.get("/api/queries").json()}
    assert sorted(listed) == sorted(load_catalog(Settings().queries_dir))
    params = {p["name"]: p for p in listed["regions-lacking-community"]["parameters"]}
    assert params["challenge"]["required"] is True
    assert len(params["challenge"]["schema"]["enum"]) == 5


def test_openapi_documents_each_saved_query_with_its_parameters_and_enums(http):
    spec = http.get("/openapi.json").json()
    operation = spec["paths"]["/api/queries/regions-lacking-community"]["get"]
    assert operation["summary"] == load_catalog(Settings().queries_dir)["regions-lacking-community"].summary
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["type"]["schema"]["default"] == "https://w3id.org/hckg/def#CentreOfExpertise"
    assert "https://w3id.org/hckg/id/challenge/veiligheid" in params["challenge"]["schema"]["enum"]
    assert http.get("/docs").status_code == 200


def test_sparql_examples_serve_the_catalogue_as_rdf(http):
    response = http.get("/.well-known/sparql-examples", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    executables = set(graph.subjects(rdflib.RDF.type, sh.SPARQLExecutable))
    assert len(executables) == len(load_catalog(Settings().queries_dir))


def test_an_organisation_parameter_takes_a_label_over_http_and_suggests_on_a_typo(http):
    by_label = http.get("/api/queries/communities-of-organisation.json", params={"organisation": "Hanzehogeschool Groningen"})
    by_iri = http.get("/api/queries/communities-of-organisation.json",
                      params={"organisation": "https://w3id.org/hckg/id/organisation/hanzehogeschool-groningen"})
    assert by_label.status_code == 200 and by_label.json()["results"]["bindings"]
    assert by_label.json() == by_iri.json()
    typo = http.get("/api/queries/communities-of-organisation.json", params={"organisation": "Hanzehogeschol"})
    assert typo.status_code == 400 and "did you mean Hanzehogeschool Groningen" in typo.json()["error"]["message"]
    page = http.get("/queries/communities-of-organisation", params={"organisation": "Hanzehogeschool Groningen"})
    assert page.status_code == 200 and "hanzehogeschool-groningen" in page.text
