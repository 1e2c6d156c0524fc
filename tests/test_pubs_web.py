"""The publication routes of the server: reads open, accept/reject only with the write token, through the gate."""

from __future__ import annotations

import httpx
import pytest

from hckg.pubs import profiles
from hckg.pubs.importer import import_files
from hckg.pubs.links import write_suggestions
from hckg.pubs.suggest import suggest
from hckg.store.oxigraph import open_store

from pubs_helpers import EVAL, copy_store
from server_helpers import WRITE_TOKEN, start, stop

pytestmark = pytest.mark.slow  # each test starts its own server process

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}


@pytest.fixture(scope="module")
def pubs_server(pubs_template, tmp_path_factory):
    """A server on 127.0.0.1 over a private store holding the synthetic records and their suggestions."""
    settings = copy_store(pubs_template, tmp_path_factory.mktemp("pubs-web"))
    import_files(settings, [EVAL / "eval-csl.json"], synthetic=True)
    store = open_store(settings.store_path)
    found = suggest(profiles.publications(store), profiles.communities(store), profiles.grants(store), min_trust=0.5)
    store.close()
    write_suggestions(settings, found)
    running = start(str(settings.store_path))
    yield running
    stop(running)


def test_publications_and_suggested_links_are_listed(pubs_server):
    with httpx.Client(base_url=pubs_server.url, timeout=60) as client:
        pubs = client.get("/api/publications").json()["publications"]
        assert len(pubs) == 30 and all(p["doi"].startswith("10.5555/hckg-eval-") for p in pubs)
        links = client.get("/api/links", params={"status": "suggested"}).json()["links"]
        assert links and {l["status"] for l in links} == {"suggested"}
        assert client.get("/api/links", params={"status": "maybe"}).status_code == 400


def test_accepting_needs_the_token_and_then_shows_at_once(pubs_server):
    with httpx.Client(base_url=pubs_server.url, timeout=60) as client:
        link = client.get("/api/links", params={"status": "suggested"}).json()["links"][0]
        key = link["iri"].rsplit("/", 1)[-1]
        assert client.post(f"/api/links/{key}/accept").status_code == 403
        assert client.post(f"/api/links/{key}/accept", headers={"Authorization": "Bearer wrong"}).status_code == 403
        answer = client.post(f"/api/links/{key}/accept", params={"by": "web-tester"}, headers=AUTH)
        assert answer.status_code == 200 and answer.json() == {"link": link["iri"], "status": "accepted"}
        accepted = client.get("/api/links", params={"status": "accepted"}).json()["links"]
        assert [(l["iri"], l["decided_by"]) for l in accepted] == [(link["iri"], "web-tester")]
        pub = next(p for p in client.get("/api/publications").json()["publications"] if p["iri"] == link["publication"])
        assert pub["accepted_targets"] == [link["target"]]


def test_rejecting_an_unknown_link_is_a_404_naming_it(pubs_server):
    with httpx.Client(base_url=pubs_server.url, timeout=60) as client:
        answer = client.post("/api/links/0000000000000000/reject", headers=AUTH)
        assert answer.status_code == 404 and "0000000000000000" in answer.json()["error"]["message"]
