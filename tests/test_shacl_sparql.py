"""The shapes compiled to SPARQL find exactly what pySHACL (a standard engine) finds.

Compared on the real data, on every planted fault of tests/test_shapes.py, and on seeded random
mutations of real resources (wrong datatypes, lost or doubled values, foreign IRIs, swapped labels).
A result is compared as (focus node, path, value, source shape, severity).
"""

from __future__ import annotations

import random

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from hckg.config import PROJECT_ROOT
from hckg.gate.checks import run_checks
from hckg.gate.shacl_sparql import UnsupportedShape, _not, compile_shapes, path_length, path_steps, shape_depth, sparql_path
from hckg.store.oxigraph import OxigraphStore
from hckg.gate.validate import load_shapes, violations_of
from test_shapes import FAULTS, _ontology, closure

EX = Namespace("http://example.org/")
HCKG = Namespace("https://w3id.org/hckg/def#")
Key = tuple[str, "str | None", "str | None", "str | None", str]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PROJECT_ROOT / "shapes")


@pytest.fixture(scope="module")
def checks(shapes: Graph):
    return compile_shapes(shapes)


@pytest.fixture(scope="module")
def real_data(store: OxigraphStore) -> Graph:
    return store.as_rdflib()


def _keys(violations) -> set[Key]:
    return {(v.focus, v.path, v.value, v.shape, v.severity) for v in violations}


def by_pyshacl(data: Graph, shapes: Graph) -> set[Key]:
    _, report, _ = pyshacl.validate(data + _ontology(), shacl_graph=shapes, inference="none", allow_warnings=True)
    return _keys(violations_of(report, None, shapes))


def by_sparql(data: Graph, checks) -> set[Key]:
    """The gate's results, after checking that both forms of a full check give them.

    The data here is small, so the gate would pick the row-by-row form of every check by itself;
    the whole-store form (used from WHOLE_FROM targets on) is forced so that it meets pySHACL too."""
    store = OxigraphStore(None)
    store.replace_graph("http://example.org/graph/data", data)
    store.replace_graph("http://example.org/graph/ontology", _ontology())
    row_by_row = _keys(run_checks(store, checks, focused=False, whole=False))
    assert _keys(run_checks(store, checks, focused=False, whole=True)) == row_by_row
    # A remote store proves a whole-store check clean by two counts first (Check.proof): the same results.
    store.counts_before_negation = True  # type: ignore[attr-defined]
    assert _keys(run_checks(store, checks, focused=False, whole=True)) == row_by_row
    return row_by_row


def test_a_proof_by_counting_holds_exactly_when_the_whole_form_finds_nothing(real_data: Graph, checks) -> None:
    """Check.proof's two counts are equal on clean data and differ once a value lacks its class or a target its
    value (planted: a partner that is a province, a community with none of the fourteen types)."""
    from hckg.gate.checks import _proved, runnable
    store = OxigraphStore(None)
    store.replace_graph("http://example.org/graph/data", real_data)
    store.replace_graph("http://example.org/graph/ontology", _ontology())
    proved = [c for c in checks if c.proof is not None]
    assert {(c.shape.rsplit("#", 1)[-1], c.component) for c in proved} >= {
        ("Community-partner", "ClassConstraintComponent"), ("Community-type", "QualifiedMinCountConstraintComponent")}
    for planted in ("", "<https://w3id.org/hckg/id/community/rdm-coe> <https://w3id.org/hckg/def#partner> "
                        "<https://w3id.org/hckg/id/province/PV20> . <https://w3id.org/hckg/id/community/synthetic-x> a "
                        "<https://w3id.org/hckg/def#LearningCommunity> ."):
        if planted:
            store.update(f"INSERT DATA {{ GRAPH <http://example.org/graph/planted> {{ {planted} }} }}")
        for check in proved:
            clean = not list(store.query(runnable(store, check, focused=False, whole=True)))
            assert _proved(store, check, {}) == clean, (planted[:20], check.shape, check.component)
        if planted:
            assert not _proved(store, next(c for c in proved if c.shape.endswith("#Community-partner")), {})


def test_every_shape_of_the_project_compiles(checks) -> None:
    assert len(checks) > 200
    assert {c.component for c in checks} >= {
        "MinCountConstraintComponent", "MaxCountConstraintComponent", "ClassConstraintComponent",
        "DatatypeConstraintComponent", "PatternConstraintComponent", "InConstraintComponent",
        "QualifiedMinCountConstraintComponent", "QualifiedMaxCountConstraintComponent", "OrConstraintComponent",
        "SPARQLConstraintComponent", "HasValueConstraintComponent", "UniqueLangConstraintComponent",
        "DisjointConstraintComponent", "LanguageInConstraintComponent", "NodeConstraintComponent"}


def test_the_real_data_gives_the_same_results_in_both_engines(real_data: Graph, shapes: Graph, checks) -> None:
    assert by_sparql(real_data, checks) == by_pyshacl(real_data, shapes)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_a_planted_fault_gives_the_same_results_in_both_engines(fault, real_data: Graph, shapes: Graph,
                                                                checks) -> None:
    faulty = closure(real_data, *fault.resources)
    fault.plant(faulty)
    expected = by_pyshacl(faulty, shapes)
    assert by_sparql(faulty, checks) == expected
    assert {(f, s) for f, _, _, s, sev in expected if sev == "Violation"} >= {
        (str(f), str(s)) for f, _, s in fault.expected}


# --- seeded random mutations -------------------------------------------------------------------

ODD_VALUES = [Literal("abc", datatype=XSD.integer), Literal("2019"), Literal("2019", datatype=XSD.gYear),
              Literal("3020", datatype=XSD.gYear), Literal("-5", datatype=XSD.decimal), Literal("tekst", lang="nl"),
              Literal("text", lang="de"), Literal("plain"), URIRef("ftp://example.org/x"), EX.stranger,
              URIRef("https://w3id.org/hckg/id/province/PV20"), URIRef("https://w3id.org/hckg/id/topsector/lsh"),
              Literal("true", datatype=XSD.boolean)]


def mutate(data: Graph, rng: random.Random) -> Graph:
    """A copy of ``data`` with three random faults of the kinds real tables have."""
    out = Graph()
    for triple in data:
        out.add(triple)
    triples = sorted(out, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    for _ in range(3):
        s, p, o = rng.choice(triples)
        kind = rng.randrange(5)
        if kind == 0:
            out.remove((s, p, o))
        elif kind == 1:
            out.add((s, p, rng.choice(ODD_VALUES)))
        elif kind == 2:
            out.remove((s, p, o))
            out.add((s, p, rng.choice(ODD_VALUES)))
        elif kind == 3:
            other = rng.choice(triples)[0]
            out.add((other, p, o))
        else:
            out.add((s, RDF.type, rng.choice([HCKG.Fieldlab, HCKG.Province, HCKG.Organisation, HCKG.Topsector])))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_random_mutations_give_the_same_results_in_both_engines(seed: int, real_data: Graph, shapes: Graph,
                                                                checks) -> None:
    rng = random.Random(seed)
    subjects = sorted({s for s in real_data.subjects(RDF.type, None) if isinstance(s, URIRef)}, key=str)
    picked = rng.sample(subjects, 3)
    data = mutate(closure(real_data, *picked), rng)
    assert by_sparql(data, checks) == by_pyshacl(data, shapes)


# --- the compiler's pieces -----------------------------------------------------------------------


def _shapes(text: str) -> Graph:
    return Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
                              + text, format="turtle")


def test_paths_become_sparql_property_paths_with_their_length() -> None:
    g = _shapes("ex:s sh:path ( ex:a [ sh:inversePath ex:b ] [ sh:alternativePath ( ex:c ex:d ) ] ) .")
    path = g.value(EX.s, SH.path)
    assert sparql_path(g, path) == "(<http://example.org/a>/^(<http://example.org/b>)/(<http://example.org/c>|<http://example.org/d>))"
    assert path_length(g, path) == 3
    star = _shapes("ex:s sh:path [ sh:zeroOrMorePath ex:a ] .")
    assert path_length(star, star.value(EX.s, SH.path)) is None


def test_nested_shapes_count_the_triples_they_read() -> None:
    g = _shapes("ex:s sh:property [ sh:path ex:a ; sh:node [ sh:class ex:C ] ] .")
    assert shape_depth(g, EX.s) == 2


@pytest.mark.parametrize("text, says", [
    ("ex:s a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "sh:closed"),
    ("ex:s a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( [ sh:path ex:p ; sh:minCount 2 ] ) .", "minimum count"),
    ("ex:s a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:fancy 1 ] .", "fancy"),
])
def test_a_construct_the_compiler_cannot_check_is_refused_by_name(text: str, says: str) -> None:
    g = _shapes(text)
    g.add((EX.C, RDFS.label, Literal("C")))
    with pytest.raises(UnsupportedShape, match=says):
        compile_shapes(g)


def test_a_year_written_as_text_is_no_silent_pass_of_a_range_check() -> None:
    g = _shapes("ex:s a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:n ; sh:minInclusive 0 ] .")
    data = Graph()
    data.add((EX.x, RDF.type, EX.C))
    data.add((EX.x, EX.n, Literal("twelve")))
    store = OxigraphStore(None)
    store.replace_graph("http://example.org/graph/data", data)
    found = run_checks(store, compile_shapes(g), focused=False)
    assert [(v.focus, v.value) for v in found] == [(str(EX.x), "twelve")]


def test_the_gate_has_a_whole_store_form_for_the_checks_that_scan_large_targets(checks) -> None:
    with_whole = {(c.shape.rsplit("#", 1)[-1], c.component) for c in checks if c.whole is not None}
    assert {("Community-partner", "ClassConstraintComponent"), ("SourceIsWebIri", "PatternConstraintComponent"),
            ("Community-province", "MaxCountConstraintComponent"), ("HasType", "MinCountConstraintComponent"),
            ("Community-uniqueLabel", "QualifiedMaxCountConstraintComponent"),
            ("Community-type", "QualifiedMaxCountConstraintComponent")} <= with_whole
    assert all("{focus}" not in c.whole for c in checks if c.whole is not None)


@pytest.mark.parametrize("whole", [False, True])
def test_a_value_breaking_a_rule_on_a_resource_the_shape_does_not_target_is_no_violation(whole: bool) -> None:
    """The whole-store form finds candidates over every node first (synthetic example.org data)."""
    g = _shapes("ex:s a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:n ; sh:datatype ex:T ; "
                "sh:maxCount 1 ; sh:class ex:K ] ; sh:property [ sh:path ex:label ; sh:minCount 1 ] .")
    data = Graph()
    for node, kind in ((EX.target, EX.C), (EX.other, EX.D)):
        data.add((node, RDF.type, kind))
        data.add((node, EX.n, Literal("1")))
        data.add((node, EX.n, Literal("2")))
    store = OxigraphStore(None)
    store.replace_graph("http://example.org/graph/data", data)
    found = run_checks(store, compile_shapes(g), focused=False, whole=whole)
    assert {(v.focus, v.path, v.value) for v in found} == {
        (str(EX.target), str(EX.n), "1"), (str(EX.target), str(EX.n), "2"), (str(EX.target), str(EX.n), None),
        (str(EX.target), str(EX.label), None)}
    # A blank node cannot be named in a query: the gate then reads the targets instead of asking.
    store.update("INSERT DATA { GRAPH <http://example.org/graph/blank> { [] a <http://example.org/C> ; "
                 "<http://example.org/n> 1 ; <http://example.org/label> 'x' } }")
    found = run_checks(store, compile_shapes(g), focused=False, whole=whole)
    assert {(v.path, v.value) for v in found if not v.focus.startswith("http")} == {(str(EX.n), "1")}


def test_path_steps_are_collected_by_direction() -> None:
    g = _shapes("ex:s sh:path ( ex:a [ sh:inversePath ex:b ] ) . ex:t sh:targetObjectsOf ex:c .")
    crossed = path_steps(g)
    assert crossed.forward == {str(EX.a)}
    assert crossed.inverse == {str(EX.b), str(EX.c)}


def test_no_check_negates_a_negation(checks) -> None:
    """``!(!(?v IN (...)))`` made Virtuoso 7.2.5 fail with ``SQ200: Stack Overflow`` (hs:Community-type's
    whole-store form, every load of 5,000 communities or more): a conforming value is written as the test
    itself (tests/test_remote_store.py runs every form on the engines)."""
    doubled = [c.shape for c in checks for text in (c.sparql, c.whole or "", c.focused or "") if "!(!(" in text]
    assert doubled == []


@pytest.mark.parametrize(("expression", "negated"), [
    ("(!(?v IN (<a>, <b>)))", "(?v IN (<a>, <b>))"),
    ("!(?v IN (<a>))", "(?v IN (<a>))"),
    ("(!(?a) || !(?b))", "!(!(?a) || !(?b))"),
    ("!(?a) && !(?b)", "!(!(?a) && !(?b))"),
    ('(!(REGEX(?v, ")")))', '(REGEX(?v, ")"))'),
    ("!COALESCE(?v > 1, false)", "!(!COALESCE(?v > 1, false))"),
    ("false", "!(false)"),
])
def test_a_negation_is_undone_only_when_it_covers_the_whole_expression(expression: str, negated: str) -> None:
    assert _not(expression) == negated
