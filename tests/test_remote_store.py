"""The remote store on real engines: `hckg build`, `load`, `drop`, `export` and the server, unchanged.

Each engine here is a real server: Oxigraph's own (``oxigraph serve``, started by
``remote_helpers``), and Virtuoso when ``make test-virtuoso`` started one. The files loaded are
synthetic (example.org sources, ``id/community/synthetic-*`` keys) and exist only in this module.
"""

from __future__ import annotations

import csv
import json
import io
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from hckg.store.open import open_configured_store
from hckg.cli.app import app
from hckg.config import Settings
from hckg.formats import json_rows
from hckg.queries.running import run_saved
from hckg.errors import HckgError
from hckg.iris import META_GRAPH
from hckg.gate.checks import _proved, compiled, run_checks, runnable
from hckg.gate.write import GraphRefused, apply_update
from hckg.store.remote import STAGING, EndpointError, RemoteStore, _clean_results, duration_text
from remote_helpers import VIRTUOSO_PORT, Engine, free_port, start_oxigraph, stop, virtuoso

pytestmark = pytest.mark.slow  # an Oxigraph server process per session, the data built into it

runner = CliRunner()
LOADS = "https://w3id.org/hckg/graph/loads/"
QUERIES = Settings().queries_dir
PREFIXES = """@prefix hckg: <https://w3id.org/hckg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://w3id.org/hckg/id/community/> .
# Synthetic test record: not a real community; the source is an example.org address.
"""


def community(key: str, label: str) -> str:
    return PREFIXES + f'id:{key} a hckg:Fieldlab ; rdfs:label "{label}"@nl ; dcterms:source <https://example.org/{key}> .\n'


WRITABLE = ["oxigraph-server"] + ([pytest.param("virtuoso", marks=pytest.mark.virtuoso)] if VIRTUOSO_PORT else [])


@pytest.fixture(scope="module", params=WRITABLE)
def engine(request, tmp_path_factory, settings):  # type: ignore[no-untyped-def]
    """An engine this module may write: a private Oxigraph server, or the Virtuoso of `make test-virtuoso`
    (its graphs are rebuilt by the first test, and every later test puts back what it changed)."""
    if request.param == "virtuoso":
        yield virtuoso(settings)
        return
    running = start_oxigraph(tmp_path_factory.mktemp("oxigraph-writes"), settings)
    try:
        yield running
    finally:
        stop(running)


def hckg(engine: Engine, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=engine.env())


def said(result) -> str:  # type: ignore[no-untyped-def]
    """What a failed command printed and raised, for the assertion's message (an exit code alone says nothing)."""
    return f"{result.output}\n{result.exception!r}"


def every_quad(engine: Engine) -> list[str]:
    """Every quad on the engine, staging and scratch graphs included (no dataset named)."""
    store = RemoteStore(open_configured_store(engine.settings).endpoint)  # type: ignore[union-attr]
    rows = store._ask_engine("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", None, None)
    return sorted(f"{r['s']} {r['p']} {r['o']} {r['g']}" for r in rows)  # type: ignore[index,union-attr]


def counts(store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {g.iri: g.triples for g in store.graphs()}


def test_build_through_the_cli_writes_the_graphs_the_embedded_build_writes(engine, store):
    result = hckg(engine, "build")
    assert result.exit_code == 0, result.output
    expected = counts(store)
    assert f"built {engine.settings.endpoint}: {sum(expected.values())} triples in {len(expected)} graphs" in result.stderr
    assert counts(open_configured_store(engine.settings)) == expected


def test_export_keeps_every_graph_as_the_embedded_store_has_it(engine, store):
    result = hckg(engine, "export", "--format", "nq")
    assert result.exit_code == 0, result.output
    remote = rdflib.Dataset()
    remote.parse(data=result.stdout_bytes, format="nquads")
    embedded = rdflib.Dataset()
    buffer = io.BytesIO()
    store.dump(buffer, ox.RdfFormat.N_QUADS)
    embedded.parse(data=buffer.getvalue(), format="nquads")
    names = sorted(str(g.identifier) for g in embedded.graphs() if len(g))
    assert sorted(str(g.identifier) for g in remote.graphs() if len(g)) == names
    for name in names:
        if name == str(META_GRAPH):
            continue  # load times differ between the two builds
        assert isomorphic(remote.graph(rdflib.URIRef(name)), embedded.graph(rdflib.URIRef(name))), name


def test_a_rejected_load_leaves_every_quad_on_the_engine_as_it_was(engine, tmp_path):
    bad = tmp_path / "no-dutch-label.ttl"
    bad.write_text(community("synthetic-lab", "Lab").replace('"Lab"@nl', '"Lab"@en'), encoding="utf-8")
    before = every_quad(engine)
    result = hckg(engine, "load", str(bad))
    assert result.exit_code == 1
    assert "rdf-schema#label" in result.stdout and "nothing written" in result.stderr
    after = every_quad(engine)
    assert after == before
    assert not [q for q in after if STAGING in q]


def test_a_replacement_is_checked_against_the_store_without_the_graph_it_replaces(engine, tmp_path):
    first, second, third = (tmp_path / f"{name}.ttl" for name in ("first", "second", "third"))
    first.write_text(community("synthetic-a", "Synthetisch Lab"), encoding="utf-8")
    second.write_text(community("synthetic-b", "Synthetisch Lab"), encoding="utf-8")
    third.write_text(community("synthetic-c", "Synthetisch Lab"), encoding="utf-8")
    graph = LOADS + "synthetic"
    assert hckg(engine, "load", str(first), "--graph", graph).exit_code == 0
    # Same label as the graph it replaces: the old graph is not part of what the gate checks.
    replaced = hckg(engine, "load", str(second), "--graph", graph, "--replace")
    assert replaced.exit_code == 0, replaced.output
    # Same label as a community in another graph: refused (two communities may not share a label).
    refused = hckg(engine, "load", str(third), "--graph", LOADS + "synthetic-other")
    assert refused.exit_code == 1 and "synthetic-c" in refused.stdout
    labels = hckg(engine, "sparql", "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> "
                  '"Synthetisch Lab"@nl }', "--format", "csv")
    assert labels.stdout.splitlines() == ["c", "https://w3id.org/hckg/id/community/synthetic-b"]
    dropped = hckg(engine, "drop", graph)
    assert dropped.exit_code == 0, dropped.output
    store = open_configured_store(engine.settings)
    assert graph not in counts(store)
    assert not hckg(engine, "sparql", f"ASK {{ <{graph}> ?p ?o }}", "--format", "csv").stdout.strip().endswith("true")


def lacking(store, challenge: str, type_: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The headline answer's province labels on ``store``."""
    answer = run_saved(store, QUERIES, "regions-lacking-community", {"challenge": [challenge], "type": [type_]})
    return [row["regionLabel"] for row in json_rows(answer)]  # type: ignore[arg-type]


def test_the_headline_query_runs_unchanged_through_the_cli(engine, store):
    result = hckg(engine, "query", "regions-lacking-community", "-p", "challenge=Gezondheid & Zorg", "-p", "type=CoE",
                  "-f", "csv")
    assert result.exit_code == 0, result.output
    answer = [r[1] for r in list(csv.reader(io.StringIO(result.stdout)))[1:]]
    assert answer == lacking(store, "Gezondheid & Zorg", "CoE") and answer


def test_the_ontology_graph_cannot_be_dropped_on_a_remote_store(engine):
    result = hckg(engine, "drop", "https://w3id.org/hckg/graph/ontology")
    assert result.exit_code == 1 and "written only by `hckg build`" in result.stderr


def test_a_sparql_update_through_hckg_is_refused_on_a_remote_store(engine):
    with pytest.raises(GraphRefused, match="needs the embedded store"):
        apply_update(engine.settings, "INSERT DATA { <urn:x> <urn:y> <urn:z> }")


def test_the_server_answers_from_the_remote_store(engine, store):
    from fastapi.testclient import TestClient

    from hckg_web import create_app

    with TestClient(create_app(engine.settings)) as client:
        response = client.get("/api/queries/regions-lacking-community.csv", params={"challenge": "Veiligheid", "type": "CIV"})
        assert response.status_code == 200, response.text
        answer = [r[1] for r in list(csv.reader(io.StringIO(response.text)))[1:]]
        assert answer == lacking(store, "Veiligheid", "CIV") and answer
        count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                           headers={"Accept": "application/sparql-results+json"})
        assert count.json()["results"]["bindings"][0]["n"]["value"] == str(sum(counts(store).values()))
        assert response.headers["X-HCKG-Data-Version"] == count.headers["X-HCKG-Data-Version"]


def test_graph_names_are_pointed_at_staging_only_inside_graph_patterns(engine):
    staged = open_configured_store(engine.settings).staged()  # type: ignore[union-attr]
    try:
        graph = "https://w3id.org/hckg/graph/provinces"
        staged.remove_graph(graph)
        text = staged._rewrite(f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} BIND(<{graph}> AS ?n) }}")
        assert text.count(f"<{graph}>") == 1 and f"BIND(<{graph}> AS ?n)" in text
        assert f"GRAPH <{STAGING}" in text
    finally:
        staged.discard()


def test_an_unreachable_endpoint_is_named_and_the_password_is_not(settings):
    port = free_port()
    env = {"HCKG_ENDPOINT": f"http://127.0.0.1:{port}/query", "HCKG_ENDPOINT_USER": "reader",
           "HCKG_ENDPOINT_PASSWORD": "not-this-secret"}
    result = runner.invoke(app, ["graphs"], env=env)
    assert result.exit_code == 1
    assert f"http://127.0.0.1:{port}/query" in result.stderr and "not-this-secret" not in result.output


def test_an_unknown_authentication_scheme_is_refused_by_name(settings):
    with pytest.raises(HckgError, match="HCKG_ENDPOINT_AUTH"):
        open_configured_store(replace(settings, endpoint="http://127.0.0.1:1/query", endpoint_auth="kerberos"))


def test_an_endpoint_error_names_the_endpoint():
    assert issubclass(EndpointError, HckgError) and EndpointError.http_status == 502


def test_publications_import_suggest_and_accept_on_a_remote_store(engine):
    """`hckg pubs` writes through the same staged gate as `hckg load` (synthetic records, dropped after)."""
    records = Path(__file__).parent / "pubs_eval" / "eval-csl.json"
    graph = "https://w3id.org/hckg/graph/pubs/eval-csl"
    imported = hckg(engine, "pubs", "import", str(records), "--synthetic")
    assert imported.exit_code == 0, said(imported)
    written = hckg(engine, "pubs", "suggest", "--write", "--format", "csv")
    assert written.exit_code == 0, said(written)
    links = hckg(engine, "pubs", "links", "--status", "suggested", "--format", "json")
    assert links.exit_code == 0, said(links)
    first = json.loads(links.stdout)[0]["iri"]
    accepting = hckg(engine, "pubs", "accept", first)
    assert accepting.exit_code == 0, said(accepting)
    accepted_links = hckg(engine, "pubs", "links", "--status", "accepted", "--format", "json")
    assert accepted_links.exit_code == 0, said(accepted_links)
    accepted = json.loads(accepted_links.stdout)
    assert [link["iri"] for link in accepted] == [first]
    for written_graph in ("https://w3id.org/hckg/graph/pubs/links", graph):
        dropped = hckg(engine, "drop", written_graph)
        assert dropped.exit_code == 0, said(dropped)
    assert not [q for q in every_quad(engine) if STAGING in q]


def test_an_update_whose_comments_name_select_is_sent_as_an_update(monkeypatch):
    """SPARQLWrapper guesses the request's kind from the text and misses every second line of a comment block:
    the subclass rule's comment naming SELECT made an inference INSERT go out as `query=` (no engine needed)."""
    from hckg.store.remote import Endpoint
    sent = []
    store = RemoteStore(Endpoint("http://127.0.0.1:9/query", "http://127.0.0.1:9/update"))
    monkeypatch.setattr(RemoteStore, "_send", lambda self, wrapper, url: sent.append(wrapper) or (b"", ""))
    text = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n# one\n# two: SELECT * keeps it valid\n"
            "# three\nINSERT { GRAPH <urn:g> { ?s a ?c } } WHERE { ?s a ?c }")
    store._post_update(text)
    assert sent and sent[0].isSparqlUpdateRequest()


def test_every_form_of_every_gate_check_runs_on_the_engine(engine):
    """Each compiled check, row by row and in its whole-store form, is a query the engine can run: Virtuoso
    7.2.5 refused the whole form of hs:Community-type (``!(!(?q IN (14 IRIs)))``) with ``SQ200: Stack
    Overflow``, which refused every load of a file with 5,000 communities or more."""
    store = open_configured_store(engine.settings)
    failed = []
    for check in compiled(engine.settings.shapes_dir):
        for whole in (False, True) if check.whole else (False,):
            try:
                store.query(runnable(store, check, focused=False, whole=whole))
            except HckgError as err:
                failed.append(f"{check.shape} {check.component} whole={whole}: {str(err)[:300]}")
        if check.proof:  # two counts equal exactly when the whole form finds nothing (no candidate either)
            try:
                proved = _proved(store, check, {})
                rows = list(store.query(runnable(store, check, focused=False, whole=True)))  # type: ignore[arg-type]
            except HckgError as err:
                failed.append(f"{check.shape} {check.component} proof: {str(err)[:300]}")
            else:
                if proved != (not rows):
                    failed.append(f"{check.shape} {check.component}: proved {proved} with {len(rows)} rows")
    assert failed == []


TYPED = "https://w3id.org/hckg/id/community/synthetic-typed-"


def _found_in_discarded_write(engine, name: str, graph: rdflib.Graph, checks: list, whole: bool) -> list:
    """What ``checks`` find with ``graph`` staged as the load ``name`` on the engine; the write is then discarded,
    so the planted faults never reach the engine's store."""
    staged = open_configured_store(engine.settings).staged()
    try:
        staged.replace_graph(LOADS + name, graph)
        return run_checks(staged, checks, focused=False, whole=whole)
    finally:
        staged.discard()


@pytest.mark.parametrize("whole", [False, True], ids=["row-by-row", "whole-store"])
def test_the_community_type_check_finds_no_type_and_two_types_on_the_engine(engine, whole):
    """hs:Community-type's planted faults (none of the fourteen types; two of them), in a staged write that
    is discarded: both forms of the check find both, as on the embedded store (tests/test_shacl_sparql.py)."""
    graph = rdflib.Graph().parse(data=PREFIXES + f"""
        <{TYPED}none> a hckg:LearningCommunity ; rdfs:label "Synthetisch zonder type"@nl ;
            dcterms:source <https://example.org/none> .
        <{TYPED}two> a hckg:Fieldlab , hckg:CentreOfExpertise ; rdfs:label "Synthetisch twee types"@nl ;
            dcterms:source <https://example.org/two> .
        <{TYPED}one> a hckg:Fieldlab ; rdfs:label "Synthetisch een type"@nl ; dcterms:source <https://example.org/one> .
        """, format="turtle")
    checks = [c for c in compiled(engine.settings.shapes_dir) if c.shape.endswith("#Community-type")]
    assert {c.component for c in checks} == {"QualifiedMinCountConstraintComponent",
                                              "QualifiedMaxCountConstraintComponent"}
    found = _found_in_discarded_write(engine, "synthetic-typed", graph, checks, whole)
    assert sorted((v.focus, v.shape.rsplit("#", 1)[1]) for v in found) == [
        (TYPED + "none", "Community-type"), (TYPED + "two", "Community-type")]


NAMED = "https://w3id.org/hckg/id/organisation/synthetic-named-"


@pytest.mark.parametrize("whole", [False, True], ids=["row-by-row", "whole-store"])
def test_a_partner_that_is_no_organisation_and_a_shared_name_are_found_on_the_engine(engine, whole):
    """Planted in a staged write that is discarded: a community whose partner is a province (hs:Community-partner,
    proved by counting first on a remote store, then listed) and two organisations that share an abbreviation
    (hs:Organisation-uniqueName, whose whole form groups label and altLabel values): both forms find them all."""
    graph = rdflib.Graph().parse(data=PREFIXES + f"""
        <{TYPED}partnered> a hckg:Fieldlab ; rdfs:label "Synthetisch met provincie als partner"@nl ;
            dcterms:source <https://example.org/partnered> ; hckg:partner <https://w3id.org/hckg/id/province/PV20> .
        <{NAMED}a> a hckg:Company ; rdfs:label "Synthetisch bedrijf A"@nl ; skos:altLabel "SYNTH"@nl ;
            dcterms:source <https://example.org/a> .
        <{NAMED}b> a hckg:Company ; rdfs:label "Synthetisch bedrijf B"@nl ; skos:altLabel "SYNTH"@nl ;
            dcterms:source <https://example.org/b> .
        """, format="turtle")
    checks = [c for c in compiled(engine.settings.shapes_dir)
              if c.shape.endswith(("#Community-partner", "#Organisation-uniqueName"))]
    if not open_configured_store(engine.settings).graph_exists("https://w3id.org/hckg/graph/ontology"):
        built = hckg(engine, "build")  # run alone (-k), the engine is still empty: hckg:Company needs the ontology
        assert built.exit_code == 0, said(built)
    found = _found_in_discarded_write(engine, "synthetic-planted", graph, checks, whole)
    assert sorted((v.focus, v.shape.rsplit("#", 1)[1]) for v in found) == [
        (TYPED + "partnered", "Community-partner"), (NAMED + "a", "Organisation-uniqueName"),
        (NAMED + "b", "Organisation-uniqueName")]


XSD_NS = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(("value", "datatype", "text"), [
    ("48", "duration", "P4Y"), ("18", "yearMonthDuration", "P1Y6M"), ("-48", "duration", "-P4Y"),
    ("0.0", "yearMonthDuration", "P0M"), ("0.0", "duration", "PT0S"), ("129600.0", "duration", "P1DT12H"),
    ("93784.5", "duration", "P1DT2H3M4.5S"), ("-7200.0", "dayTimeDuration", "-PT2H"), ("1.5", "dayTimeDuration", "PT1.5S"),
    ("P1Y2M3DT4H", "duration", "P1Y2M3DT4H"), ("PT0S", "dayTimeDuration", "PT0S")])
def test_a_duration_virtuoso_answers_as_a_number_reads_as_oxigraph_writes_it(value, datatype, text):
    """Virtuoso 7.2's SELECT answers give "P4Y"^^xsd:duration as "48" (months) and day-time durations in
    seconds; each is read back as the canonical text Oxigraph answers (every value above as Virtuoso gave it
    for the duration Oxigraph writes as ``text``, 2026-12-03)."""
    assert duration_text(value, XSD_NS + datatype) == text
    if not value.startswith(("P", "-P")):
        stored = ox.Literal(text, datatype=ox.NamedNode(XSD_NS + datatype))
        assert next(iter(ox.Store().query(f"SELECT ?d WHERE {{ BIND({stored} AS ?d) }}")))["d"].value == text


def test_virtuoso_durations_in_an_answer_are_read_as_durations():
    answer = {"head": {"vars": ["d", "n"]}, "results": {"bindings": [{
        "d": {"type": "typed-literal", "datatype": XSD_NS + "duration", "value": "48"},
        "n": {"type": "typed-literal", "datatype": XSD_NS + "integer", "value": "48"}}]}}
    rows = ox.parse_query_results(_clean_results(json.dumps(answer).encode()), format=ox.QueryResultsFormat.JSON)
    row = next(iter(rows))
    assert (row["d"].value, row["n"].value) == ("P4Y", "48")


def test_an_update_with_select_in_its_comments_is_sent_as_an_update(engine):
    """SPARQLWrapper drops only every other line of a comment block, then guesses the form from the first
    keyword it sees: a "SELECT" there (infer-subclass.rq's comment) sent a rule's INSERT as `query=`, and
    Oxigraph server refused every build ("The URL query parameter update must be set")."""
    store = RemoteStore(open_configured_store(engine.settings).endpoint)  # type: ignore[union-attr]
    graph = "urn:hckg:test:comment-update"
    store._post_update(f"# one\n# SELECT * in a comment\n# three\n# SELECT again\n"
                       f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:s> <urn:x:p> \"synthetic\" }} }}")
    try:
        rows = store._ask_engine(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", None, [graph])
        assert [r["o"].value for r in rows] == ["synthetic"]  # type: ignore[index,union-attr]
    finally:
        store._post_update(f"DROP SILENT GRAPH <{graph}>")


@pytest.mark.parametrize(("text", "form"), [
    ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n# one\n# INSERT the rows\n# three\n# DELETE them\n"
     "SELECT ?s WHERE { ?s ?p ?o }", "SELECT"),
    ("# DELETE\n# x\n# INSERT\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("BASE <urn:x:> PREFIX : <urn:y#>\n# INSERT DATA\nASK { ?s ?p ?o }", "ASK"),
    ("# INSERT\n# two\ndescribe <urn:x:a>", "DESCRIBE")])
def test_a_query_whose_comments_name_insert_or_delete_is_sent_as_that_query(monkeypatch, text, form):
    """SPARQLWrapper guesses the form from the text and skips only every second comment line: a query whose
    comments name INSERT or DELETE could go out as an update. The store reads the form itself (no engine)."""
    from hckg.store.remote import Endpoint, query_form
    sent = []
    answers = {"CONSTRUCT": b"", "DESCRIBE": b"", "ASK": b'{"head": {}, "boolean": true}'}
    store = RemoteStore(Endpoint("http://127.0.0.1:9/query", "http://127.0.0.1:9/update"))
    monkeypatch.setattr(RemoteStore, "_send", lambda self, wrapper, url: sent.append(wrapper) or (
        answers.get(form, b'{"head": {"vars": []}, "results": {"bindings": []}}'),
        "application/n-triples" if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"))
    store._ask_engine(text, None, None)
    assert query_form(text) == form
    assert sent[0].queryType == form and not sent[0].isSparqlUpdateRequest()


def test_a_graph_answer_is_asked_for_as_n_triples(monkeypatch):
    """Virtuoso 7.2.5 writes "1.000"^^xsd:decimal as a bare `1` in Turtle, an integer when read back; in
    N-Triples it keeps the datatype (no engine: the request is checked)."""
    from hckg.store.remote import Endpoint
    sent = []
    store = RemoteStore(Endpoint("http://127.0.0.1:9/query"))
    monkeypatch.setattr(RemoteStore, "_send", lambda self, wrapper, url: sent.append(wrapper) or (
        b'<urn:x:a> <urn:x:p> "1"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n', "application/n-triples"))
    [triple] = list(store._ask_engine("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", None, None))
    assert sent[0].customHttpHeaders.get("Accept") == "application/n-triples" and sent[0].onlyConneg
    assert triple.object.datatype.value == XSD_NS + "decimal"


def test_an_integral_decimal_keeps_its_datatype_when_read_back_from_the_engine(engine):
    """`hckg pubs accept` reads the links graph and writes it again: on Virtuoso a trust of "1.000"^^xsd:decimal
    came back as an integer through Turtle and the gate refused the write (sh:datatype xsd:decimal)."""
    store = RemoteStore(open_configured_store(engine.settings).endpoint)  # type: ignore[union-attr]
    graph = "urn:hckg:test:decimal"
    store._post_update(f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:s> <urn:x:p> "1.000"^^<{XSD_NS}decimal> }} }}')
    try:
        read = store._ask_engine(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", None, [graph])
        assert [t.object.datatype.value for t in read] == [XSD_NS + "decimal"]  # type: ignore[union-attr]
    finally:
        store._post_update(f"DROP SILENT GRAPH <{graph}>")
