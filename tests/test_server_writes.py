"""Writes through the server: only with the token, only through the validation gate, seen at once by readers."""

from __future__ import annotations

import httpx
import pytest

from hckg.gate.build import build
from server_helpers import WRITE_TOKEN, start, stop

pytestmark = pytest.mark.slow  # each test starts its own server process

HEADER = "name,type,lead_institution,partners,city,province,topsectors,societal_challenge,start_year,website,source_url\n"
ROW = "Proeftuin Noord,Fieldlab,,,Groningen,Groningen,Energie,Energietransitie,2021,,https://example.org/proeftuin\n"
BAD = "Proeftuin Zuid,Fieldlab,,,Atlantis,Atlantis,Energie,Energietransitie,2021,,https://example.org/zuid\n"
GRAPH = "https://w3id.org/hckg/graph/loads/proeftuin"
WHERE = ("SELECT ?p WHERE { <https://w3id.org/hckg/id/community/proeftuin-noord> "
         "<https://w3id.org/hckg/def#province> ?p }")
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}


@pytest.fixture
def private_server(data_copy):
    """A server over a private copy of the store, which these tests change."""
    build(data_copy)
    running = start(str(data_copy.store_path))
    yield running
    stop(running)


def provinces(client: httpx.Client) -> list[str]:
    rows = client.get("/sparql", params={"query": WHERE}).json()["results"]["bindings"]
    return [r["p"]["value"] for r in rows]


def test_a_graph_put_with_the_token_goes_through_the_gate_and_is_served_at_once(private_server):
    with httpx.Client(base_url=private_server.url, timeout=60) as client:
        before = client.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"]
        assert provinces(client) == []  # asked before the write: the answer cache must not serve it after
        refused = client.put("/rdf-graphs", params={"graph": GRAPH}, content=HEADER + BAD,
                             headers={**AUTH, "Content-Type": "text/csv"})
        assert refused.status_code == 400 and "Atlantis" in refused.json()["error"]["message"]
        assert client.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"] == before

        created = client.put("/rdf-graphs", params={"graph": GRAPH}, content=HEADER + ROW,
                             headers={**AUTH, "Content-Type": "text/csv"})
        assert created.status_code == 201
        assert provinces(client) == ["https://w3id.org/hckg/id/province/PV20"]
        source = ("SELECT ?f WHERE { GRAPH <https://w3id.org/hckg/graph/meta> { "
                  f"<{GRAPH}> <https://w3id.org/hckg/def#sourceFile> ?f }} }}")
        rows = client.get("/sparql", params={"query": source}).json()["results"]["bindings"]
        assert [r["f"]["value"] for r in rows] == ["Graph Store PUT"]  # not the upload's temporary path
        assert client.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"] != before

        assert client.delete("/rdf-graphs", params={"graph": GRAPH}, headers=AUTH).status_code == 204
        assert provinces(client) == []


NEW_URL = ("PREFIX schema: <http://schema.org/> INSERT DATA { GRAPH <https://w3id.org/hckg/graph/loads/edits> { "
           "<https://w3id.org/hckg/id/community/proeftuin-noord> schema:url <https://example.org/proeftuin> } }")
BAD_YEAR = ("INSERT DATA { GRAPH <https://w3id.org/hckg/graph/loads/edits> { "
            "<https://w3id.org/hckg/id/community/proeftuin-noord> <https://w3id.org/hckg/def#startYear> "
            "\"3020\"^^<http://www.w3.org/2001/XMLSchema#gYear> } }")
INTO_ONTOLOGY = ("INSERT DATA { GRAPH <https://w3id.org/hckg/graph/ontology> { "
                 "<https://w3id.org/hckg/def#Fieldlab> <http://www.w3.org/2000/01/rdf-schema#comment> \"x\" } }")
URL_OF = "SELECT ?u WHERE { <https://w3id.org/hckg/id/community/proeftuin-noord> <http://schema.org/url> ?u }"


def test_a_sparql_update_with_the_token_goes_through_the_gate(private_server):
    with httpx.Client(base_url=private_server.url, timeout=60) as client:
        client.put("/rdf-graphs", params={"graph": GRAPH}, content=HEADER + ROW,
                   headers={**AUTH, "Content-Type": "text/csv"}).raise_for_status()
        assert client.post("/sparql", data={"update": NEW_URL}).status_code == 403
        before = client.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"]
        for refused in (BAD_YEAR, INTO_ONTOLOGY):
            answer = client.post("/sparql", content=refused,
                                 headers={**AUTH, "Content-Type": "application/sparql-update"})
            assert answer.status_code == 400, answer.text
            assert client.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"] == before
        assert "3020" in client.post("/sparql", content=BAD_YEAR, headers={
            **AUTH, "Content-Type": "application/sparql-update"}).json()["error"]["message"]
        done = client.post("/sparql", data={"update": NEW_URL}, headers=AUTH)
        assert done.status_code == 204, done.text
        rows = client.get("/sparql", params={"query": URL_OF}).json()["results"]["bindings"]
        assert [r["u"]["value"] for r in rows] == ["https://example.org/proeftuin"]
