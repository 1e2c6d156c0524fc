"""The view pages over HTTP (hckg_web/routes/views.py): /monitor, /map, /network, query views, community pages,
and volgsysteem records added through the server with the write token.

The records posted here are synthetic (tests/volgsysteem/README.md).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

from markupsafe import escape

import httpx
import pyoxigraph as ox
import pytest

from hckg.gate.build import build
from hckg_web.render.charts import query_href
from hckg.reports.caveat import caveat_for
from hckg.reports.monitor import monitor
from hckg.queries.running import run_saved
from server_helpers import WRITE_TOKEN, start, stop

RDM = "https://w3id.org/hckg/id/community/rdm-centre-of-expertise"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
SOURCE = "https://example.org/synthetic/volgsysteem/server"


def labels(store, settings, name, params, column):
    answer = run_saved(store, settings.queries_dir, name, params)
    assert isinstance(answer, ox.QuerySolutions)
    return [row[column].value for row in answer]


def svg_of(html: str, marker: str) -> ET.Element:
    start = html.index(f"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{marker}\"")
    return ET.fromstring(html[start: html.index("</svg>", start) + 6])


def test_the_monitor_page_shows_each_figure_linked_to_its_query(http, store, settings):
    page = http.get("/monitor")
    assert page.status_code == 200
    result = monitor(store, settings.queries_dir)
    total, undated = result.figure("100-extra", "all", "communities"), result.figure("100-extra", "all", "noStartYear")
    assert f"<strong id=\"communities-total\">{total}</strong>" in page.text
    assert f"<strong id=\"communities-undated\">{undated}</strong>" in page.text
    figures = re.findall(r"<a class=\"figure\" data-measure=\"([^\"]+)\" href=\"([^\"]+)\">([^<]+)</a>", page.text)
    assert len(figures) == len(result.figures)
    shown = sorted((m, unescape(href), value) for m, href, value in figures)
    assert shown == sorted((f.measure, query_href(f.query, f.params), str(f.value)) for f in result.figures)
    for section in result.sections:
        assert f"<section id=\"{section.key}\">" in page.text
    assert page.text.count("<svg") == 9  # 5 progress charts, 1 region chart, 2 CoE/CIV charts, 1 volgsysteem chart


def test_every_query_the_monitor_page_links_to_answers(http):
    page = http.get("/monitor").text
    for href in sorted(set(re.findall(r"href=\"(/queries/[^\"]+)\"", page)))[:40]:
        assert http.get(unescape(href)).status_code == 200, href


def test_the_map_counts_and_lacking_list_are_the_saved_queries_answers(http, store, settings):
    params = {"challenge": "https://w3id.org/hckg/id/challenge/veiligheid",
              "type": "https://w3id.org/hckg/def#CentrumInnovatiefVakmanschap"}
    page = http.get("/map", params=params)
    assert page.status_code == 200
    svg = svg_of(page.text, "province-map")
    tiles = {g.get("data-label"): int(g.get("data-count")) for g in svg.iter("{http://www.w3.org/2000/svg}g")
             if "province" in (g.get("class") or "").split()}
    counts = dict(zip(labels(store, settings, "communities-per-province-for-challenge",
                             {k: [v] for k, v in params.items()}, "regionLabel"),
                      map(int, labels(store, settings, "communities-per-province-for-challenge",
                                      {k: [v] for k, v in params.items()}, "communities"))))
    assert tiles == counts and len(tiles) == 12
    lacking = labels(store, settings, "regions-lacking-community", {k: [v] for k, v in params.items()}, "regionLabel")
    assert unescape(re.search(r"<span id=\"lacking\">([^<]*)</span>", page.text).group(1)) == ", ".join(lacking)
    assert sorted(k for k, v in tiles.items() if v == 0) == sorted(lacking)
    assert "Schematic tile map" in page.text and "<h2>The same as a table</h2>" in page.text
    caveat = caveat_for(store, settings.queries_dir, "regions-lacking-community", {k: [v] for k, v in params.items()})
    # Jinja2 escapes with markupsafe (&#39;, &#34;), not html.escape (&#x27;, &quot;): the pages are templates (issue 18).
    assert f"<p class=\"caveat\" id=\"caveat\">{escape(caveat.text())}</p>" in page.text


def test_the_headline_query_page_shows_the_same_caveat_as_the_cli(http, store, settings):
    params = {"challenge": "Gezondheid & Zorg", "type": "CoE", "run": "1"}
    page = http.get("/queries/regions-lacking-community", params=params)
    assert page.status_code == 200
    caveat = caveat_for(store, settings.queries_dir, "regions-lacking-community",
                        {"challenge": ["Gezondheid & Zorg"], "type": ["CoE"]})
    assert escape(caveat.text()) in page.text


def test_the_map_svg_alone_is_served_as_an_image(http):
    answer = http.get("/map.svg", params={"challenge": "Veiligheid", "type": "CoE"})
    assert answer.headers["content-type"] == "image/svg+xml"
    assert ET.fromstring(answer.text).get("class") == "province-map"


def test_an_unknown_map_type_is_a_400_naming_the_parameter(http):
    answer = http.get("/map", params={"type": "Atlantis"})
    assert answer.status_code == 400 and "parameter &#39;type&#39;" in answer.text


def test_the_network_page_draws_the_community_its_partners_and_lists_them(http, store, settings):
    page = http.get("/network", params={"community": RDM})
    assert page.status_code == 200
    svg = svg_of(page.text, "network")
    roles = {g.get("data-iri"): g.get("data-role") for g in svg.iter("{http://www.w3.org/2000/svg}g")
             if g.get("class") == "node"}
    partners = run_saved(store, settings.queries_dir, "partners-of-community", {"community": [RDM]})
    expected = {row["organisation"].value: row["role"].value for row in partners}
    assert {iri: role for iri, role in roles.items() if role in ("leadInstitution", "partner")} == {
        iri: "leadInstitution" if role == "lead institution" else "partner" for iri, role in expected.items()}
    assert roles[RDM] == "focus"
    assert http.get("/network", params={"community": RDM}).text == page.text  # deterministic layout


def test_the_network_page_of_an_unknown_community_is_a_404_with_a_picker(http):
    answer = http.get("/network", params={"community": "https://w3id.org/hckg/id/community/atlantis"})
    assert answer.status_code == 404 and "<select id=\"community\"" in answer.text


def test_a_query_page_with_a_view_hint_draws_its_answer(http):
    page = http.get("/queries/communities-per-topsector").text
    assert "<h2>View: bar</h2>" in page
    assert "<h2>View: network</h2>" in http.get("/queries/partners-of-community",
                                                 params={"community": RDM, "run": "1"}).text
    assert "<h2>View:" not in http.get("/queries/challenges-table").text


def test_a_community_page_links_to_its_network_and_says_it_has_no_record(http):
    page = http.get("/id/community/rdm-centre-of-expertise", headers={"Accept": "text/html"}).text
    assert "No volgsysteem record for this community." in page and "/network?community=" in page


@pytest.fixture
def private_server(data_copy):
    """A server over a private copy of the store, which these tests change."""
    build(data_copy)
    running = start(str(data_copy.store_path))
    yield running
    stop(running)


def test_a_volgsysteem_record_posted_with_the_token_goes_through_the_gate_and_shows_up(private_server):
    fields = {"community": "RDM Centre of Expertise", "status": "lopend", "date": "2023-05-01", "source": SOURCE,
              "bottleneck": "Synthetisch knelpunt", "result": "Synthetisch resultaat"}
    with httpx.Client(base_url=private_server.url, timeout=60) as client:
        assert client.post("/volgsysteem", data=fields).status_code == 403
        before = client.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"]
        bad = client.post("/volgsysteem", data={**fields, "status": "fantastisch"}, headers=AUTH)
        assert bad.status_code == 400 and bad.json()["error"]["parameter"] == "status"
        assert client.get("/sparql", params={"query": "ASK {}"}).headers["x-hckg-data-version"] == before

        created = client.post("/volgsysteem", json=fields, headers=AUTH)
        assert created.status_code == 201, created.text
        assert created.json()["graph"] == "https://w3id.org/hckg/graph/volgsysteem/rdm-centre-of-expertise/2023-05-01"
        page = client.get("/id/community/rdm-centre-of-expertise", headers={"Accept": "text/html"}).text
        assert "Volgsysteem (1 record(s), newest first)" in page
        assert "<span class=\"status\">Lopend</span>" in page and "Synthetisch knelpunt" in page
        monitor_page = client.get("/monitor").text
        total = int(re.search(r"<strong id=\"communities-total\">(\d+)</strong>", monitor_page).group(1))
        assert f"1 of {total} learning communities have a volgsysteem record." in monitor_page
        bars = {g.get("data-label"): g.get("data-value") for g in svg_of(monitor_page, "chart\" id=\"chart-volgsysteem")
                .iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "bar"}
        assert bars == {"In voorbereiding": "0", "Gestart": "0", "Lopend": "1", "Geborgd": "0", "Gestopt": "0",
                        "no record": str(total - 1)}
        again = client.post("/volgsysteem", json=fields, headers=AUTH)
        assert again.status_code == 400 and again.json()["error"]["type"] == "GraphRefused"
        replaced = client.post("/volgsysteem", json={**fields, "status": "geborgd", "replace": "true"}, headers=AUTH)
        assert replaced.status_code == 200 and replaced.json()["replaced"] is True
