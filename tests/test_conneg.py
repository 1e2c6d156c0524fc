"""Content negotiation: what real clients send, and the format they get."""

from __future__ import annotations

import pytest

from hckg_web.render.conneg import HTML, choose, formats_for, graph_offers


@pytest.mark.parametrize(
    ("accept", "fmt", "expected"),
    [
        (None, None, ("json", "ttl")),
        ("*/*", None, ("json", "ttl")),
        # SPARQLWrapper's JSON, XML, CSV and Turtle requests
        ("application/sparql-results+json,application/json,text/javascript,application/javascript", None,
         ("json", "jsonld")),
        ("application/sparql-results+xml", None, ("xml", "ttl")),
        ("text/csv", None, ("csv", "ttl")),
        ("application/turtle,text/turtle", None, ("json", "ttl")),
        ("application/rdf+xml", None, ("json", "rdfxml")),
        ("application/n-triples", None, ("json", "nt")),
        ("text/csv;q=0.5, application/sparql-results+xml", None, ("xml", "ttl")),
        ("image/png", None, (None, None)),
        ("image/png", "csv", ("csv", "ttl")),
        ("*/*", "json", ("json", "jsonld")),
        (None, "text/tab-separated-values", ("tsv", "ttl")),
    ],
)
def test_a_request_gets_the_formats_it_asks_for(accept, fmt, expected):
    assert formats_for(accept, fmt) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),  # a browser
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("text/html;q=0.1, text/turtle;q=0.9", "ttl"),
        ("text/*", "html"),
        ("application/trig", None),
    ],
)
def test_a_resource_page_negotiates_html_or_one_rdf_format(accept, expected):
    assert choose(accept, [(HTML, "html"), *graph_offers(datasets=False)]) == expected
