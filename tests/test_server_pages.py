"""The web pages: home with counts and search, a form per saved query with its answer, the SPARQL editor."""

from __future__ import annotations

import csv
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from register import provinces_lacking


LACKING = provinces_lacking("Gezondheid & Zorg", ["CoE"])


def cells(page: str, column: int) -> list[str]:
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>", 1)[1])
    return [re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", row)[column]).replace(" @nl", "") for row in rows]


def selected(page: str, name: str) -> list[str]:
    block = re.search(rf'<select id="{name}" name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [unescape(v) for v in re.findall(r'<option value="([^"]*)" selected>', block)]


def test_the_home_page_shows_counts_search_and_every_saved_query(http, store):
    from hckg.reports.stats import summarise

    page = http.get("/").text
    assert f"{summarise(store).triples} triples" in page
    assert '<form action="/search"' in page
    assert 'href="/queries/regions-lacking-community"' in page


def test_the_search_box_finds_a_province_without_its_accent(http):
    page = http.get("/search", params={"text": "fryslan"}).text
    assert 'href="/id/province/PV21"' in page and "Fryslân" in page


def test_a_saved_query_page_has_a_form_with_the_enumerated_values_by_label(http):
    page = http.get("/queries/regions-lacking-community").text
    assert '<select id="challenge" name="challenge">' in page
    assert ">Gezondheid &amp; Zorg</option>" in page and ">Centre of Expertise</option>" in page
    assert "<h2>Answer</h2>" not in page  # a required parameter: nothing runs before the form is sent


def test_submitting_the_form_shows_the_answer_with_download_links(http):
    page = http.get("/queries/regions-lacking-community",
                    params={"challenge": "https://w3id.org/hckg/id/challenge/gezondheid-zorg",
                            "type": "https://w3id.org/hckg/def#CentreOfExpertise", "involved": "", "run": "1"}).text
    assert cells(page, 1) == LACKING
    assert 'href="/api/queries/regions-lacking-community.csv?challenge=' in page


def test_a_form_without_a_required_value_shows_the_rule_broken(http):
    response = http.get("/queries/regions-lacking-community", params={"run": "1"})
    assert response.status_code == 400 and "required parameter is missing" in response.text


def test_the_plain_editor_runs_a_query_and_shows_a_table_without_javascript(http):
    """/editor?plain=1 is the no-JavaScript fallback of YASGUI (issue 18): the server runs the query."""
    query = ("PREFIX hckg: <https://w3id.org/hckg/def#> SELECT ?label WHERE { ?p a hckg:Province ; "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(LANG(?label) = 'nl') } ORDER BY ?label")
    page = http.get("/editor", params={"query": query, "plain": "1"}).text
    assert "<textarea" in page and len(cells(page, 0)) == 12 and cells(page, 0)[0] == "Drenthe"
    # Before issue 18 the page had no script at all; now the only one is the local column-sort script.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/sortable.js" defer>']


def test_the_editor_is_yasgui_served_from_the_server_with_its_endpoint_prefixes_and_examples(http, settings):
    from hckg.iris import PREFIXES
    from hckg.queries.catalog import load_catalog

    page = http.get("/editor").text
    sources = re.findall(r"<script src=\"([^\"]+)\"", page)
    assert sources == ["/static/sortable.js", "/static/vendor/yasgui/yasgui.min.js", "/static/yasr-chart.js",
                       "/static/editor.js"]
    assert all(http.get(src).status_code == 200 for src in sources)
    assert http.get("/static/vendor/yasgui/yasgui.min.css").status_code == 200
    config = json.loads(unescape(re.search(r'<script type="application/json" id="hckg-editor-config">(.*?)</script>',
                                           page, re.S).group(1)))
    assert config["endpoint"] == str(http.base_url).rstrip("/") + "/sparql" and config["prefixes"] == PREFIXES
    assert "https://w3id.org/hckg/def#LearningCommunity" in config["classes"]
    examples = re.findall(r'data-example="([^"]+)"', page)
    assert examples == list(load_catalog(settings.queries_dir))
    assert "<noscript><form method=\"get\" action=\"/editor\">" in page  # the fallback without JavaScript


def test_the_api_docs_are_swagger_ui_served_from_the_server(http):
    page = http.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "/static/vendor/swagger-ui/swagger-ui.css" in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert http.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_a_query_page_shows_its_sparql_parameters_by_label_editor_link_and_downloads(http):
    page = http.get("/queries/regions-lacking-community",
                    params={"challenge": "Gezondheid & Zorg", "type": "CoE", "run": "1"}).text
    sparql = unescape(re.search(r'<pre class="sparql" id="sparql">(.*?)</pre>', page, re.S).group(1))
    assert "hckg:societalChallenge <https://w3id.org/hckg/id/challenge/gezondheid-zorg>" in sparql
    shown = {k: unescape(v) for k, v in re.findall(r'<dd data-parameter="([^"]+)">([^<]*)</dd>', page)}
    assert shown == {"challenge": "Gezondheid & Zorg", "type": "Centre of Expertise", "involved": "false"}
    editor = unescape(re.search(r'<a class="open-in-editor" href="([^"]+)"', page).group(1))
    assert editor.startswith("/editor?") and parse_qs(urlsplit(editor).query)["query"] == [sparql]
    downloads = [unescape(h) for h in re.findall(r'<a href="(/api/queries/regions-lacking-community\.[a-z]+\?[^"]*)"', page)]
    assert [urlsplit(d).path.rsplit(".", 1)[1] for d in downloads] == ["csv", "json", "tsv"]
    assert [row[1] for row in csv.reader(http.get(downloads[0]).text.splitlines()[1:])] == LACKING


def test_a_construct_query_page_offers_turtle_and_json_ld(http):
    page = http.get("/queries/province-subgraph", params={"province": "https://w3id.org/hckg/id/province/PV21", "run": "1"})
    assert re.findall(r'<a href="/api/queries/province-subgraph\.([a-z]+)\?', page.text) == ["ttl", "jsonld", "nt"]


def test_answer_tables_show_labels_linked_to_the_iri_pages(http):
    page = http.get("/queries/regions-lacking-community",
                    params={"challenge": "Gezondheid & Zorg", "type": "CoE", "run": "1"}).text
    links = re.findall(r'<td><a href="(/id/province/PV\d+)" title="[^"]+">([^<]+)</a></td>', page)
    assert [unescape(name) for _, name in links] == LACKING
    assert '<table class="sortable answer">' in page


@pytest.mark.parametrize("given", [
    {"challenge": "Gezondheid & Zorg", "type": "CoE"},
    {"challenge": "https://w3id.org/hckg/id/challenge/gezondheid-zorg", "type": "https://w3id.org/hckg/def#CentreOfExpertise"},
])
def test_a_shared_query_link_preselects_the_values_of_its_answer(http, given):
    """Issue 18: with labels in the URL the form preselected other values than the answer shown."""
    page = http.get("/queries/regions-lacking-community", params={**given, "run": "1"}).text
    assert selected(page, "challenge") == ["https://w3id.org/hckg/id/challenge/gezondheid-zorg"]
    assert selected(page, "type") == ["https://w3id.org/hckg/def#CentreOfExpertise"]
    assert cells(page, 1) == LACKING


def test_a_form_with_an_unknown_value_shows_that_value_not_another_one(http):
    response = http.get("/queries/regions-lacking-community", params={"challenge": "Atlantis", "run": "1"})
    assert response.status_code == 400 and "unknown value" in unescape(response.text)
    assert selected(response.text, "challenge") == ["Atlantis"]
    assert '<option value="Atlantis" selected>Atlantis (not a valid value)</option>' in response.text


def test_a_shared_map_link_preselects_the_values_it_was_drawn_with(http):
    """Issue 18: /map?challenge=<label> drew that challenge but preselected the first one."""
    page = http.get("/map", params={"challenge": "Veiligheid", "type": "CoE"}).text
    assert selected(page, "challenge") == ["https://w3id.org/hckg/id/challenge/veiligheid"]
    assert selected(page, "type") == ["https://w3id.org/hckg/def#CentreOfExpertise"]


def test_a_browser_opening_the_endpoint_is_sent_to_the_editor(http):
    response = http.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 303 and response.headers["location"] == "/editor"
