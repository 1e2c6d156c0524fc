"""``/quality``: the figures of ``hckg quality`` as HTML tables and, by negotiation, as CSV, JSON and DQV."""

from __future__ import annotations

import json
import re

import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from hckg.reports.quality import measure, to_csv

DQV = Namespace("http://www.w3.org/ns/dqv#")
LC = "https://w3id.org/hckg/def#LearningCommunity"


def rows_of(page: str) -> list[list[str]]:
    """Every body row of every table on the page, cells as text."""
    rows = re.findall(r"<tr>(.*?)</tr>", "".join(part.split("</tbody>")[0] for part in page.split("<tbody>")[1:]))
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", row)] for row in rows]


def test_the_page_shows_each_measure_as_a_table_row_with_the_report_s_figures(http, store):
    response = http.get("/quality")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]
    page = response.text
    report = measure(store)
    province = report.find("has-hckg-province", LC)
    expected = ["Learning community", "with hckg:province", str(province.count), str(province.total),
                f"{province.ratio * 100:.1f}%"]
    assert expected in rows_of(page)
    assert len(rows_of(page)) == len(report.measures)
    for heading in ("Completeness", "Coverage", "Sources", "Interlinking", "Provenance"):
        assert f">{heading}</h2>" in page
    for fmt in ("csv", "json", "ttl", "jsonld", "nt"):
        assert f'href="/quality?format={fmt}&amp;lang=en"' in page


def test_the_page_in_dutch_has_dutch_headings_and_metric_labels(http):
    page = http.get("/quality", params={"lang": "nl"}).text
    assert ">Volledigheid</h2>" in page and ">Dekking</h2>" in page
    assert any(row[1] == "leergemeenschappen in de provincie" for row in rows_of(page))


def test_accept_text_csv_gives_the_same_rows_as_the_command(http, store):
    response = http.get("/quality", headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "content-disposition" not in response.headers
    assert response.text == to_csv(measure(store))


def test_accept_json_gives_every_measure_with_count_total_and_ratio(http, store):
    document = json.loads(http.get("/quality", headers={"Accept": "application/json"}).text)
    report = measure(store)
    assert document["measures"] == [json.loads(json.dumps(m.as_row())) for m in report.measures]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["generated_at"])


def test_turtle_is_one_dqv_measurement_per_measure(http, store):
    response = http.get("/quality", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    report = measure(store)
    assert len(set(graph.subjects(RDF.type, DQV.QualityMeasurement))) == len(report.measures)
    province = report.find("has-hckg-province", LC)
    assert set(graph.objects(province.iri, DQV.value)) == {Literal(str(province.ratio), datatype=XSD.decimal)}
    assert (province.iri, DQV.computedOn, URIRef(LC)) in graph


def test_a_download_link_sends_the_file_as_an_attachment(http):
    for fmt, media in (("jsonld", "application/ld+json"), ("nt", "application/n-triples"), ("csv", "text/csv")):
        response = http.get("/quality", params={"format": fmt})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert response.headers["content-disposition"] == f'attachment; filename="hckg-quality.{fmt}"'
    assert rdflib.Graph().parse(data=http.get("/quality", params={"format": "jsonld"}).text, format="json-ld")


def test_an_unknown_format_or_language_is_a_400_naming_the_parameter(http):
    for params, name in (({"format": "xlsx"}, "format"), ({"lang": "de"}, "lang")):
        response = http.get("/quality", params=params)
        assert response.status_code == 400
        assert response.json()["error"]["parameter"] == name


def test_an_accept_header_it_cannot_serve_is_a_406(http):
    assert http.get("/quality", headers={"Accept": "image/png"}).status_code == 406


def test_every_page_header_links_to_the_quality_page(http):
    """Readers of a 'lacking' answer should find how complete the data is from any page."""
    assert '<a href="/quality">' in http.get("/monitor").text
