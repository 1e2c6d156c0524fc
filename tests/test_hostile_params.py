"""Hostile parameter values: each gives a correct answer or the named error, never a SPARQL syntax
error, and the store is unchanged (issue 5; grlc pastes values unescaped, CLARIAH/grlc#101)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hckg.queries.catalog import load_catalog
from hckg.config import Settings
from hckg.errors import BadParameter, BadQuery
from hckg.ingest.lookup import normalise
from hckg.queries.running import bind, is_switch
from helpers import sorted_nquads

pytestmark = pytest.mark.slow  # every parameter of every saved query against a list of hostile values (~50 s)

BASE_VALUES = [
    '"', "'", '"""', "'''", '\\', '\\"', '"; DROP ALL; #', '} ; DROP ALL ; {', "} } ; CLEAR DEFAULT ; SELECT * { {",
    "> <", "<https://w3id.org/hckg/id/province/PV20>", "<>", "https://w3id.org/hckg/id/province/PV20> } DROP ALL {<",
    "a\nb", "a\rb", "\n} DROP ALL #", "a\x00b", "\x00", "# comment", "?s ?p ?o", "?_challenge_iri", "$x",
    "Gеzondheid & Zorg",  # Cyrillic е
    "Ｇezondheid", "ﬁeldlab", "Fieldlab\u200b", "\u202eLab", "😀", "null", "None", "undefined", "true", "TRUE",
    "false", "0", "-1", "1e309", "NaN", "", " ", "\t", "%00", "%22", "&quot;", "<script>alert(1)</script>",
    "' OR '1'='1", "UNION { ?s ?p ?o }", "FILTER(true)", "VALUES ?x { 1 }", "x" * 10_001, "x" * 100_000,
    "https://example.org/with space", "https://example.org/<tag>", "http://", "urn:x", "mailto:a@b",
    "javascript:alert(1)", "file:///etc/passwd", "../../etc/passwd", "https://w3id.org/hckg/def#Province",
    "https://w3id.org/hckg/id/challenge/gezondheid-zorg", "gezondheid-zorg", "CoE", "coe", "CIV", "Utrecht",
    "Fryslân", "fryslan", "Friesland", "PV20", "pv20", "energie",
    "Hanzehogeschool Groningen", "Duurzaam Ameland",  # labels an organisation / community parameter takes
]
# Variations make it 200+: each base value wrapped and suffixed.
VALUES = BASE_VALUES + [f" {v} " for v in BASE_VALUES] + [v + '"' for v in BASE_VALUES]
assert len(VALUES) >= 200

CATALOG = load_catalog(Settings().queries_dir)
CASES = [(q.name, p.name) for q in CATALOG.values() for p in q.parameters]


@pytest.mark.parametrize(("query_name", "param_name"), CASES)
def test_every_parameter_resists_hostile_values(store, settings, query_name, param_name):
    before = sorted_nquads(settings.store_path)
    query = CATALOG[query_name]
    param = query.parameter(param_name)
    required = {p.name: [_example(p)] for p in query.parameters if p.required and p.name != param_name}
    for value in VALUES:
        try:
            bound = bind(store, query, {**required, param_name: [value]})
        except BadParameter as err:
            assert err.name == param_name and err.rule
            continue
        term = bound.terms[param.variable]
        if param.kind == "iri":
            assert isinstance(term, ox.NamedNode)
            assert not param.enum or term.value in param.enum
        elif param.enum:  # an enumerated literal is bound as its canonical spelling
            assert isinstance(term, ox.Literal) and term.value in param.enum
            assert normalise(term.value) == normalise(value)
        else:
            assert isinstance(term, ox.Literal) and term.value == value.strip()
        try:
            answer = store.query(bound.sparql)
        except BadQuery as err:  # pragma: no cover - the failure this test exists to catch
            pytest.fail(f"{query_name} {param_name}={value!r} made a SPARQL error: {err}")
        list(answer)
    assert sorted_nquads(settings.store_path) == before


def _example(param, second: bool = False) -> str:
    if param.enum:
        return param.enum[1 if second else 0]
    return {
        "organisation": "https://w3id.org/hckg/id/organisation/hogeschool-van-amsterdam",
        "community": "https://w3id.org/hckg/id/community/rdm-centre-of-expertise",
        "resource": "https://w3id.org/hckg/id/province/PV26",
        "text": "energie",
    }.get(param.name, "x") if not second else {
        "organisation": "https://w3id.org/hckg/id/organisation/hogeschool-rotterdam",
        "community": "https://w3id.org/hckg/id/community/health-innovation-centre-of-expertise",
        "resource": "https://w3id.org/hckg/id/province/PV29",
        "text": "zorg",
    }.get(param.name, "y")


@pytest.mark.parametrize(("query_name", "param_name"), CASES)
def test_several_values_resist_hostile_ones_mixed_with_good_ones(store, settings, query_name, param_name):
    before = sorted_nquads(settings.store_path)
    query = CATALOG[query_name]
    param = query.parameter(param_name)
    required = {p.name: [_example(p)] for p in query.parameters if p.required and p.name != param_name}
    answered = 0
    for value in BASE_VALUES:
        given = [_example(param), value, _example(param, second=True)]
        try:
            bound = bind(store, query, {**required, param_name: given})
        except BadParameter as err:
            assert err.name == param_name and err.rule
            continue
        assert not is_switch(param), "a switch takes one value"
        terms = bound.values.get(param.variable) or (bound.terms[param.variable],)
        for term in terms:
            if param.kind == "iri":
                assert isinstance(term, ox.NamedNode) and (not param.enum or term.value in param.enum)
            else:
                assert isinstance(term, ox.Literal)
        try:
            list(store.query(bound.sparql))
        except BadQuery as err:  # pragma: no cover - the failure this test exists to catch
            pytest.fail(f"{query_name} {param_name}={given!r} made a SPARQL error: {err}")
        answered += 1
    assert answered == 0 if is_switch(param) else answered > 0
    assert sorted_nquads(settings.store_path) == before
