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
