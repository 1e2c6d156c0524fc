"""Request lines no route can take are refused with 400/414 before routing (issue 17)."""

from __future__ import annotations

import pytest

from hckg.errors import BadParameter
from hckg_web.clean_requests import BadRequest, TooLong, check_request_line, iri_parameter


@pytest.mark.parametrize(("path", "query"), [
    (b"/id/province/PV20%00x", b""),
    (b"/id/province/%ff%fe", b""),
    (b"/api/queries/label-search.csv%00", b""),
    (b"/id/x%0d%0aSet-Cookie:%20a=b", b""),
    (b"/sparql", b"query=ASK%20%7B%7D%00"),
    (b"/sparql", b"query=%c3%28"),
    (b"/sparql", b"%ff=1"),
    (b"/api/queries/label-search", b"text=a%01b"),
])
def test_bad_bytes_are_refused(path, query):
    with pytest.raises(BadRequest):
        check_request_line(path, query)


def test_good_request_lines_pass():
    check_request_line(b"/id/province/Frysl%C3%A2n", b"query=SELECT%20*%0A%7B%7D&format=json&text=a+b")


def test_oversized_query_string_is_414():
    with pytest.raises(TooLong) as caught:
        check_request_line(b"/sparql", b"query=" + b"x" * 1_000_001)
    assert caught.value.http_status == 414


@pytest.mark.parametrize("value", ["a b <c>", "no-scheme", "http://x/>", "http://[::1", "urn:x\x00"])
def test_bad_iri_parameters_name_the_parameter(value):
    with pytest.raises(BadParameter) as caught:
        iri_parameter("graph", value)
    assert caught.value.name == "graph" and caught.value.http_status == 400
