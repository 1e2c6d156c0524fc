"""`hckg load` and `hckg drop`: through the gate, copy on write, nothing ever lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hckg.errors import HckgError, SourceError
from hckg.gate.write import GraphRefused, drop_graph, load_file
from hckg.reports.provenance import graph_records
from hckg.gate.infer import materialise
from hckg.store.oxigraph import OxigraphStore, open_store
from helpers import select, sorted_nquads

HEADER = "name,type,lead_institution,partners,city,province,topsectors,societal_challenge,start_year,website,source_url\n"
ROW = "Proeftuin Noord,Fieldlab,,,Groningen,Groningen,Energie,Energietransitie,2021,,https://example.org/proeftuin\n"


@pytest.fixture
def built(private):
    """A private copy of the built store (tests/conftest.py), which the test may change."""
    return private


def csv_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "new_fieldlabs.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_a_good_csv_is_written_as_one_named_graph_with_provenance(built, tmp_path):
    report = load_file(built, csv_file(tmp_path, ROW))
    assert report.graph == "https://w3id.org/hckg/graph/loads/new-fieldlabs"
    store = open_store(built.store_path)
    rows = select(store, """PREFIX hckg: <https://w3id.org/hckg/def#>
        SELECT ?p WHERE { GRAPH <https://w3id.org/hckg/graph/loads/new-fieldlabs> {
          <https://w3id.org/hckg/id/community/proeftuin-noord> hckg:province ?p } }""")
    assert rows == [{"p": "https://w3id.org/hckg/id/province/PV20"}]
    record = next(r for r in graph_records(store) if r.iri == report.graph)
    assert record.source_file.endswith("new_fieldlabs.csv") and record.kind == "RealData"


def test_a_csv_load_reads_the_table_once(built, tmp_path, monkeypatch):
    """The store look-up's hints and the mapping share one read of the table (it was read twice)."""
    import hckg.gate.write
    import hckg.ingest.tables

    reads = []
    original = hckg.ingest.tables.read_rows

    def counted(path):
        reads.append(path)
        return original(path)

    monkeypatch.setattr(hckg.ingest.tables, "read_rows", counted)
    monkeypatch.setattr(hckg.gate.write, "read_rows", counted)
    load_file(built, csv_file(tmp_path, ROW))
    assert len(reads) == 1
    rows = select(open_store(built.store_path), """SELECT ?p WHERE { GRAPH <https://w3id.org/hckg/graph/loads/new-fieldlabs> {
          <https://w3id.org/hckg/id/community/proeftuin-noord> <https://w3id.org/hckg/def#province> ?p } }""")
    assert rows == [{"p": "https://w3id.org/hckg/id/province/PV20"}]


def test_a_load_marked_synthetic_is_labelled_synthetic_and_passes_the_gate(built, tmp_path):
    """Test or demo files loaded with --synthetic must never pass for real data."""
    report = load_file(built, csv_file(tmp_path, ROW), synthetic=True)
    record = next(r for r in graph_records(open_store(built.store_path)) if r.iri == report.graph)
    assert record.kind == "SyntheticData"


def test_entailments_of_a_synthetic_graph_are_labelled_synthetic_until_it_is_dropped(built, tmp_path):
    def inferred_kind() -> str:
        rows = select(open_store(built.store_path), """SELECT ?kind WHERE { GRAPH <https://w3id.org/hckg/graph/meta> {
            <https://w3id.org/hckg/graph/inferred> <https://w3id.org/hckg/def#provenanceKind> ?kind } }""")
        return " ".join(row["kind"].rsplit("#", 1)[-1] for row in rows)

    assert inferred_kind() == "RealData"
    report = load_file(built, csv_file(tmp_path, ROW), synthetic=True)
    assert inferred_kind() == "SyntheticData"
    drop_graph(built, report.graph)
    assert inferred_kind() == "RealData"


def test_hckg_load_synthetic_from_the_command_line(built, tmp_path):
    from typer.testing import CliRunner

    from hckg.cli.app import app

    env = {"HCKG_STORE": str(built.store_path), "HCKG_SHAPES": str(built.shapes_dir), "COLUMNS": "250"}
    result = CliRunner().invoke(app, ["load", "--synthetic", str(csv_file(tmp_path, ROW))], env=env)
    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(app, ["graphs"], env=env)
    line = next(x for x in listed.stdout.splitlines() if "loads/new-fieldlabs" in x)
    assert "SyntheticData" in line


def test_the_new_community_changes_the_headline_answer(built, tmp_path):
    from hckg.queries.running import run_saved
    from hckg.formats import json_rows

    def lacking() -> list[str]:
        answer = run_saved(open_store(built.store_path), built.queries_dir, "regions-lacking-community",
                           {"challenge": ["Energietransitie"], "type": ["Fieldlab"]})
        return [r["regionLabel"] for r in json_rows(answer)]

    assert "Groningen" in lacking()
    load_file(built, csv_file(tmp_path, ROW))
    assert "Groningen" not in lacking()


@pytest.mark.parametrize(
    "bad_row",
    [ROW.replace("Groningen,Energie", "Atlantis,Energie"), ROW.replace("Fieldlab", ""), ROW.replace("2021", "year")],
)
def test_a_rejected_load_leaves_the_store_byte_identical(built, tmp_path, bad_row):
    before = sorted_nquads(built.store_path)
    with pytest.raises(SourceError):
        load_file(built, csv_file(tmp_path, ROW.replace("Noord", "Zuid"), bad_row))
    assert sorted_nquads(built.store_path) == before


def test_an_existing_graph_is_replaced_only_when_asked(built, tmp_path):
    path = csv_file(tmp_path, ROW)
    load_file(built, path)
    with pytest.raises(GraphRefused, match="use --replace"):
        load_file(built, path)
    path.write_text(HEADER + ROW.replace("Proeftuin Noord", "Proeftuin Oost"), encoding="utf-8")
    assert load_file(built, path, replace=True).replaced
    names = select(open_store(built.store_path), """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?n WHERE { GRAPH <https://w3id.org/hckg/graph/loads/new-fieldlabs> { ?c a ?t ; rdfs:label ?n } }""")
    assert names == [{"n": "Proeftuin Oost"}]


@pytest.mark.parametrize("graph", ["https://w3id.org/hckg/graph/ontology", "https://w3id.org/hckg/graph/meta"])
def test_loads_may_not_write_the_ontology_or_meta_graph(built, tmp_path, graph):
    before = sorted_nquads(built.store_path)
    with pytest.raises(GraphRefused, match="only by `hckg build`"):
        load_file(built, csv_file(tmp_path, ROW), graph=graph, replace=True)
    assert sorted_nquads(built.store_path) == before


def test_a_turtle_file_redefining_ontology_terms_is_refused(built, tmp_path):
    path = tmp_path / "sneaky.ttl"
    path.write_text("@prefix hckg: <https://w3id.org/hckg/def#> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    "hckg:Province rdfs:subClassOf hckg:LearningCommunity .\n", encoding="utf-8")
    before = sorted_nquads(built.store_path)
    with pytest.raises(GraphRefused, match="statements about ontology terms"):
        load_file(built, path)
    assert sorted_nquads(built.store_path) == before


def test_drop_removes_the_graph_its_provenance_and_its_entailments(built, tmp_path):
    before = sorted_nquads(built.store_path, ignore_timestamps=True)
    report = load_file(built, csv_file(tmp_path, ROW))
    assert sorted_nquads(built.store_path, ignore_timestamps=True) != before
    drop_graph(built, report.graph)
    assert sorted_nquads(built.store_path, ignore_timestamps=True) == before


def test_drop_refuses_unknown_and_protected_graphs(built):
    with pytest.raises(GraphRefused, match="no graph"):
        drop_graph(built, "https://w3id.org/hckg/graph/nothing")
    with pytest.raises(GraphRefused):
        drop_graph(built, "https://w3id.org/hckg/graph/ontology")


@pytest.mark.slow
def test_a_load_killed_halfway_leaves_the_previous_store(built, tmp_path):
    """SIGKILL during a large load: the store opens cleanly with exactly the previous contents."""
    before = sorted_nquads(built.store_path)
    big = tmp_path / "synthetic-big.nt"
    with big.open("w", encoding="utf-8") as f:  # synthetic test data, never in data/
        for i in range(300_000):
            f.write(f'<https://w3id.org/hckg/id/synthetic/s{i}> <http://www.w3.org/2000/01/rdf-schema#label> "s{i}"@nl .\n')
    env = {**os.environ, "HCKG_STORE": str(built.store_path), "HCKG_DATA": str(built.data_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "hckg.cli", "load", str(big)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.0)
    assert proc.poll() is None, "the load finished before it could be killed; make the file larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert sorted_nquads(built.store_path) == before


def community_turtle(path: Path, count: int, bad: bool = False) -> Path:
    """Synthetic Fieldlabs (example.org sources), one with two types when ``bad``."""
    lines = ["@prefix hckg: <https://w3id.org/hckg/def#> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix dcterms: <http://purl.org/dc/terms/> .", "@prefix id: <https://w3id.org/hckg/id/community/> ."]
    for n in range(count):
        types = "hckg:Fieldlab , hckg:Skillslab" if bad and n == count - 1 else "hckg:Fieldlab"
        lines.append(f'id:synthetic-lab-{n} a {types} ; rdfs:label "Synthetisch lab {n}"@nl ; '
                     f"dcterms:source <https://example.org/synthetic-lab/{n}> .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _graph_triples(store_path: Path, graph: str) -> set[str]:
    import pyoxigraph as ox

    store = open_store(store_path)
    return {str(q.triple) for q in store._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


@pytest.mark.slow
def test_a_large_turtle_file_is_bulk_loaded_as_rdflib_reads_it_and_checked_in_full(built, tmp_path, monkeypatch):
    import pyoxigraph as ox
    import rdflib

    import hckg.gate.engines

    stored = len(list(open_store(built.store_path).quads()))
    path = community_turtle(tmp_path / "labs.ttl", stored // 20)  # 3 triples each: over a tenth of the store
    monkeypatch.setattr(hckg.gate.engines, "seed", lambda *a: pytest.fail("a large graph is checked in full, not seeded"))
    report = load_file(built, path)
    expected = {str(ox.Triple(*(ox.NamedNode(str(t)) if isinstance(t, rdflib.URIRef) else
                                ox.Literal(str(t), language=t.language) for t in triple)))
                for triple in rdflib.Graph().parse(path)}
    assert report.triples == len(expected) == 3 * (stored // 20)
    assert _graph_triples(built.store_path, report.graph) == expected


@pytest.mark.slow
def test_a_violation_in_a_large_turtle_file_refuses_it_and_leaves_the_store(built, tmp_path):
    from hckg.gate.validate import ValidationFailed

    stored = len(list(open_store(built.store_path).quads()))
    before = sorted_nquads(built.store_path)
    with pytest.raises(ValidationFailed, match="synthetic-lab"):
        load_file(built, community_turtle(tmp_path / "labs.ttl", stored // 20, bad=True))
    assert sorted_nquads(built.store_path) == before


def test_a_small_file_is_still_checked_by_focus(built, tmp_path, monkeypatch):
    import hckg.gate.engines

    calls = []
    real = hckg.gate.engines.seed
    monkeypatch.setattr(hckg.gate.engines, "seed", lambda *a: calls.append(1) or real(*a))
    load_file(built, community_turtle(tmp_path / "labs.ttl", 2))
    assert calls


def test_a_syntax_error_names_file_and_line(built, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text('<https://example.org/a> <https://example.org/p> "x" .\n<https://example.org/b> <https://example.org/p> .\n',
                    encoding="utf-8")
    with pytest.raises(SourceError, match=r"broken\.ttl:2: cannot parse as turtle"):
        load_file(built, path)


def test_blank_nodes_of_two_loaded_files_stay_apart(built, tmp_path):
    import pyoxigraph as ox

    graphs = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.nt"
        path.write_text('_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Document> .\n'
                        '_:b1 <http://purl.org/dc/terms/description> "synthetic" .\n', encoding="utf-8")
        graphs.append(load_file(built, path).graph)
    store = open_store(built.store_path)
    subjects = [{q.subject for q in store._store.quads_for_pattern(None, None, None, ox.NamedNode(g))} for g in graphs]
    assert all(len(s) == 1 and isinstance(next(iter(s)), ox.BlankNode) for s in subjects)
    assert subjects[0] != subjects[1]


def test_a_small_load_adds_exactly_the_entailments_a_rebuild_would_hold(built, tmp_path, monkeypatch):
    import hckg.gate.infer as infer
    premises: list[list[str]] = []
    real = infer._from
    monkeypatch.setattr(infer, "_from", lambda rule, graphs, *more: premises.append(list(graphs)) or real(rule, graphs, *more))
    report = load_file(built, csv_file(tmp_path, ROW))
    assert premises[0] == [report.graph]  # the local path: only the new graph's consequences
    loaded = open_store(built.store_path)
    inferred = select(loaded, "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/hckg/graph/inferred> { ?s ?p ?o } } ORDER BY ?s ?p ?o")
    loaded.close()
    copy = tmp_path / "recomputed"
    OxigraphStore(built.store_path).backup(copy)
    recomputed = OxigraphStore(copy, writable=True)
    monkeypatch.setattr(infer, "_from", real)
    materialise(recomputed)
    assert select(recomputed, "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/hckg/graph/inferred> { ?s ?p ?o } } ORDER BY ?s ?p ?o") == inferred
    assert any(row["s"].endswith("proeftuin-noord") and row["o"].endswith("#LearningCommunity") for row in inferred)


def test_a_replaced_graph_keeps_exactly_the_entailments_and_count_a_rebuild_would_hold(built, tmp_path, monkeypatch):
    """A replace of a small graph retracts what rested on the old content (hckg.gate.infer._retract) instead
    of recomputing, and the provenance record's count of the inferred graph is the graph's real size."""
    import hckg.gate.infer as infer
    path = csv_file(tmp_path, ROW)
    load_file(built, path)
    premises: list[list[str]] = []
    real = infer._from
    monkeypatch.setattr(infer, "_from", lambda rule, graphs, *more: premises.append(list(graphs)) or real(rule, graphs, *more))
    path.write_text(HEADER + ROW.replace("Proeftuin Noord", "Proeftuin Oost"), encoding="utf-8")
    report = load_file(built, path, replace=True)
    assert premises and all(report.graph in p or p == ["urn:hckg:infer-delta"] for p in premises)  # no recompute
    query = "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/hckg/graph/inferred> { ?s ?p ?o } } ORDER BY ?s ?p ?o"
    loaded = open_store(built.store_path)
    inferred = select(loaded, query)
    recorded = select(loaded, """SELECT ?n WHERE { GRAPH <https://w3id.org/hckg/graph/meta> {
        <https://w3id.org/hckg/graph/inferred> <http://rdfs.org/ns/void#triples> ?n } }""")
    loaded.close()
    assert recorded == [{"n": str(len(inferred))}]
    assert not any("proeftuin-noord" in row["s"] for row in inferred)
    assert any(row["s"].endswith("proeftuin-oost") and row["o"].endswith("#LearningCommunity") for row in inferred)
    copy = tmp_path / "recomputed"
    OxigraphStore(built.store_path).backup(copy)
    recomputed = OxigraphStore(copy, writable=True)
    monkeypatch.setattr(infer, "_from", real)
    materialise(recomputed)
    assert select(recomputed, query) == inferred
