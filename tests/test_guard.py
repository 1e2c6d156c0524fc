"""A public endpoint does not fetch other URLs for strangers unless configured to."""

from __future__ import annotations

import pytest

from hckg_web.guard import Refused, check_query, uses_service


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", True),
        ("select * { service silent <http://x/> { ?s ?p ?o } }", True),
        ("SELECT * {\nSERVICE ?endpoint { ?s ?p ?o } }", True),
        ("SELECT ?service { ?service ?p ?o }", False),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" }', False),
        ("SELECT * { ?s <http://x/SERVICE> ?o } # SERVICE <http://x/>", False),
        ("PREFIX service: <http://x/> SELECT * { ?s service:p ?o }", False),
    ],
)
def test_service_is_found_only_where_it_is_a_keyword(sparql, expected):
    assert uses_service(sparql) is expected


def test_service_is_refused_with_the_setting_that_allows_it_named():
    with pytest.raises(Refused) as err:
        check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=False)
    assert err.value.http_status == 403 and "HCKG_ALLOW_SERVICE" in str(err.value)
    check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=True)


# -- issue 17: LOAD and nesting, refused before any parser or fetch ---------------------------------

from hckg_web.guard import TooDeep, check_update, nesting, uses_load  # noqa: E402


@pytest.mark.parametrize(("sparql", "expected"), [
    ("LOAD <http://127.0.0.1:9/x> INTO GRAPH <http://x/g>", True),
    ("load silent <http://169.254.169.254/latest/meta-data/>", True),
    ("# LOAD\nINSERT DATA { <http://x/LOAD> <http://x/p> 'LOAD' }", False),
    ("INSERT DATA { <http://x/s> <http://x/p> hckg:LOAD }", False),
])
def test_load_is_found_only_as_a_keyword(sparql, expected):
    assert uses_load(sparql) is expected


def test_load_is_refused_unless_allowed():
    with pytest.raises(Refused, match="HCKG_ALLOW_LOAD"):
        check_update("LOAD <http://x/>", allow_service=False, allow_load=False, max_nesting=200)
    check_update("LOAD <http://x/>", allow_service=False, allow_load=True, max_nesting=200)


@pytest.mark.parametrize("sparql", [
    "ASK " + "{" * 50_000,
    "ASK { FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }",
    "ASK { FILTER(" + "!" * 20_000 + "true) }",
    "ASK { FILTER(" + "1+" * 20_000 + "1) }",
    "ASK { ?s " + "<http://p>/" * 20_000 + "<http://p> ?o }",
    "INSERT DATA { <http://x/s> <http://x/p> " + "[" * 1000 + " }",
])
def test_bombs_are_refused_before_parsing(sparql):
    with pytest.raises(TooDeep, match="HCKG_MAX_NESTING"):
        check_query(sparql, allow_service=False, max_nesting=200)


def test_brackets_in_strings_iris_and_comments_do_not_count():
    text = 'ASK { ?s <http://x/((((> "{{{{{{" } # ' + "(" * 1000
    assert nesting(text) == (1, 0)
    check_query(text, allow_service=False, max_nesting=2)
