"""The web pages: home with counts and search, a form per saved query with its answer, the SPARQL editor."""

from __future__ import annotations

from register import provinces_lacking

import re

from server_helpers import http, server  # noqa: F401 (fixtures)

LACKING = provinces_lacking("Gezondheid & Zorg", ["CoE"])


def cells(page: str, column: int) -> list[str]:
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>", 1)[1])
    return [re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", row)[column]).replace(" @nl", "") for row in rows]


def test_the_home_page_shows_counts_search_and_every_saved_query(http, store):  # noqa: F811
    from hckg.stats import summarise

    page = http.get("/").text
    assert f"{summarise(store).triples} triples" in page
    assert '<form action="/search"' in page
    assert 'href="/queries/regions-lacking-community"' in page


def test_the_search_box_finds_a_province_without_its_accent(http):  # noqa: F811
    page = http.get("/search", params={"text": "fryslan"}).text
    assert 'href="/id/province/PV21"' in page and "Fryslân" in page


def test_a_saved_query_page_has_a_form_with_the_enumerated_values_by_label(http):  # noqa: F811
    page = http.get("/queries/regions-lacking-community").text
    assert '<select id="challenge" name="challenge">' in page
    assert ">Gezondheid &amp; Zorg</option>" in page and ">Centre of Expertise</option>" in page
    assert "<h2>Answer</h2>" not in page  # a required parameter: nothing runs before the form is sent


def test_submitting_the_form_shows_the_answer_with_download_links(http):  # noqa: F811
    page = http.get("/queries/regions-lacking-community",
                    params={"challenge": "https://w3id.org/hckg/id/challenge/gezondheid-zorg",
                            "type": "https://w3id.org/hckg/def#CentreOfExpertise", "involved": "", "run": "1"}).text
    assert cells(page, 1) == LACKING
    assert 'href="/api/queries/regions-lacking-community.csv?challenge=' in page


def test_a_form_without_a_required_value_shows_the_rule_broken(http):  # noqa: F811
    response = http.get("/queries/regions-lacking-community", params={"run": "1"})
    assert response.status_code == 400 and "required parameter is missing" in response.text


def test_the_editor_runs_a_query_and_shows_a_table(http):  # noqa: F811
    query = ("PREFIX hckg: <https://w3id.org/hckg/def#> SELECT ?label WHERE { ?p a hckg:Province ; "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(LANG(?label) = 'nl') } ORDER BY ?label")
    page = http.get("/editor", params={"query": query}).text
    assert "<textarea" in page and len(cells(page, 0)) == 12 and cells(page, 0)[0] == "Drenthe"
    assert "<script" not in page  # no JavaScript, nothing from a CDN


def test_a_browser_opening_the_endpoint_is_sent_to_the_editor(http):  # noqa: F811
    response = http.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 303 and response.headers["location"] == "/editor"
