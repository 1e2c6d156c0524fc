"""The caveat printed beside a "regions lacking" answer (hckg/reports/caveat.py), on the real data."""

from __future__ import annotations

import pytest

from hckg.reports.caveat import caveat_for

from helpers import select

HCKG = "https://w3id.org/hckg/def#"


def counted_in_python(store, type_iri: str, challenge_iri: str) -> tuple[int, int, int, int, int]:
    """The caveat's five counts from plain triples, with the headline's rule applied in Python."""
    rows = select(store, f"""SELECT ?c ?p ?ch ?ts WHERE {{
        ?c a <{type_iri}> .
        OPTIONAL {{ ?c <{HCKG}province> ?p }} OPTIONAL {{ ?c <{HCKG}societalChallenge> ?ch }}
        OPTIONAL {{ ?c <{HCKG}topsector> ?ts }} }}""")
    leads = {r["ts"] for r in select(store, f"SELECT ?ts WHERE {{ <{challenge_iri}> <{HCKG}leadTopsector> ?ts }}")}
    communities = {r["c"] for r in rows}
    placed = {r["c"] for r in rows if r.get("p")}
    serving = {r["c"] for r in rows if r.get("ch") == challenge_iri or r.get("ts") in leads}
    attributed = {r["c"] for r in rows if r.get("ch") or r.get("ts")}
    return (len(communities), len(communities - placed), len(serving), len(serving - placed),
            len(communities - attributed))


@pytest.mark.parametrize(("type_code", "type_iri"), [("CoE", HCKG + "CentreOfExpertise"),
                                                     ("CIV", HCKG + "CentrumInnovatiefVakmanschap")])
def test_the_caveat_counts_what_the_store_holds_for_the_type_and_challenge(store, settings, type_code, type_iri):
    challenge = "https://w3id.org/hckg/id/challenge/gezondheid-zorg"
    found = caveat_for(store, settings.queries_dir, "regions-lacking-community",
                       {"challenge": ["Gezondheid & Zorg"], "type": [type_code]})
    assert found is not None
    assert (found.communities, found.without_province, found.serving, found.serving_without_province,
            found.without_challenge_or_topsector) == counted_in_python(store, type_iri, challenge)


def test_a_query_without_a_caveat_has_none(store, settings):
    assert caveat_for(store, settings.queries_dir, "communities-per-topsector", {}) is None
