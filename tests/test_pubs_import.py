"""hckg pubs import: one gated named graph per file, dedupe with every source kept, nothing written on refusal."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import rdflib

from hckg.errors import HckgError
from hckg.iris import GRAPH, HCKG
from hckg.pubs.importer import ImportRefused, import_files
from hckg.gate.write import GraphWrite, write_graphs
from hckg.store.oxigraph import open_store
from hckg.gate.validate import ValidationFailed

from helpers import select, sorted_nquads
from pubs_helpers import BAD, EVAL

PUBS = "PREFIX hckg: <https://w3id.org/hckg/def#> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX bibo: <http://purl.org/ontology/bibo/> "


def _count(settings, where: str) -> int:
    rows = select(open_store(settings.store_path), PUBS + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"])


def test_each_file_becomes_one_graph_with_its_provenance(pubs_settings):
    report = import_files(pubs_settings, [EVAL / "eval-csl.json", EVAL / "eval-crossref.json"], synthetic=True)
    assert [(Path(f.path).name, f.graph, f.new, f.duplicates) for f in report.files] == [
        ("eval-csl.json", str(GRAPH["pubs/eval-csl"]), 30, 0),
        ("eval-crossref.json", str(GRAPH["pubs/eval-crossref"]), 10, 0)]
    assert _count(pubs_settings, "?p a hckg:Publication") == 40
    rows = select(open_store(pubs_settings.store_path), f"""SELECT ?kind ?file WHERE {{ GRAPH <{GRAPH['meta']}> {{
        <{GRAPH['pubs/eval-csl']}> <{HCKG.provenanceKind}> ?kind ; <{HCKG.sourceFile}> ?file }} }}""")
    assert rows == [{"kind": str(HCKG.SyntheticData), "file": str(EVAL / "eval-csl.json")}]


def test_nwo_is_recognised_as_the_funder_by_its_name(pubs_settings):
    import_files(pubs_settings, [EVAL / "eval-crossref.json"], synthetic=True)
    assert _count(pubs_settings, "?p <http://schema.org/funder> <https://w3id.org/hckg/id/organisation/nwo>") == 5


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


SAME_WORK_BIB = """% SYNTHETIC
@article{a1, title = {Synthetic Work One}, author = {Testperson, Anna}, year = {2021}, doi = {10.5555/HCKG-DUP-1}}
@article{a2, title = {Synthetic Work Two: {No} DOI}, author = {Voorbeeld, Bob}, year = {2020}}
"""
SAME_WORK_RIS = """TY  - JOUR
ID  - r1
TI  - Synthetic work one
AU  - Testperson, A.
PY  - 2021
DO  - https://doi.org/10.5555/hckg-dup-1
ER  - 
TY  - JOUR
ID  - r2
TI  - synthetic work two - no DOI
AU  - Voorbeeld, B.
PY  - 2020
ER  - 
"""


def test_the_same_work_in_two_files_is_one_publication_with_both_sources(pubs_settings, tmp_path):
    bib, ris = _write(tmp_path / "a.bib", SAME_WORK_BIB), _write(tmp_path / "b.ris", SAME_WORK_RIS)
    report = import_files(pubs_settings, [bib, ris])
    assert [(f.new, f.duplicates) for f in report.files] == [(2, 0), (0, 2)]
    rows = select(open_store(pubs_settings.store_path), PUBS + """
        SELECT ?p (COUNT(DISTINCT ?t) AS ?titles) (COUNT(DISTINCT ?s) AS ?sources) (COUNT(DISTINCT ?r) AS ?records)
        WHERE { ?p a hckg:Publication ; dcterms:title ?t ; dcterms:source ?s ; hckg:sourceRecord ?r } GROUP BY ?p""")
    assert [(r["titles"], r["sources"], r["records"]) for r in rows] == [("1", "2", "2"), ("1", "2", "2")]


def test_a_work_already_in_the_store_is_recognised_in_a_later_import(pubs_settings, tmp_path):
    import_files(pubs_settings, [_write(tmp_path / "a.bib", SAME_WORK_BIB)])
    report = import_files(pubs_settings, [_write(tmp_path / "b.ris", SAME_WORK_RIS)])
    assert [(f.new, f.duplicates) for f in report.files] == [(0, 2)]
    assert _count(pubs_settings, "?p a hckg:Publication") == 2


def test_two_different_dois_stay_two_works_even_with_the_same_title(pubs_settings, tmp_path):
    text = SAME_WORK_BIB.replace("@article{a2, title = {Synthetic Work Two: {No} DOI}, author = {Voorbeeld, Bob}, year = {2020}}",
                                 "@article{a2, title = {Synthetic Work One}, author = {Testperson, Anna}, year = {2021}, doi = {10.5555/hckg-dup-2}}")
    report = import_files(pubs_settings, [_write(tmp_path / "a.bib", text)])
    assert (report.files[0].new, report.files[0].duplicates) == (2, 0)


@pytest.mark.parametrize(("name", "message"), [
    ("empty.bib", "empty.bib: empty file"),
    ("unbalanced.bib", "unbalanced.bib:8 entry 'broken2020': unbalanced braces"),
    ("no-er.ris", "no-er.ris:1: RIS record has no ER tag"),
    ("bad-doi.json", "bad-doi.json entry 'bad-doi': 'doi: see the website' is not a DOI"),
    ("duplicate-keys.bib", "duplicate-keys.bib:8 entry 'same2021': duplicate entry key"),
    ("not-json.json", "not-json.json:3: not JSON"),
])
def test_a_bad_file_is_refused_naming_file_and_entry_and_the_store_is_unchanged(pubs_settings, name, message):
    before = sorted_nquads(pubs_settings.store_path)
    with pytest.raises(ImportRefused) as err:
        import_files(pubs_settings, [BAD / name])
    assert message in str(err.value)
    assert sorted_nquads(pubs_settings.store_path) == before


def test_one_bad_file_among_good_ones_writes_nothing(pubs_settings):
    before = sorted_nquads(pubs_settings.store_path)
    with pytest.raises(ImportRefused, match="nothing imported, store unchanged"):
        import_files(pubs_settings, [EVAL / "eval-csl.json", BAD / "bad-doi.json"])
    assert sorted_nquads(pubs_settings.store_path) == before


def test_every_bad_file_and_record_is_named_at_once(pubs_settings):
    with pytest.raises(ImportRefused) as err:
        import_files(pubs_settings, [BAD / "unbalanced.bib", BAD / "no-er.ris", BAD / "empty.bib"])
    assert len(err.value.bad) == 3
    for where in ("unbalanced.bib:8 entry 'broken2020'", "no-er.ris:1", "empty.bib: empty file"):
        assert where in str(err.value)


def test_skip_bad_imports_the_good_records_and_reports_the_bad_ones(pubs_settings):
    report = import_files(pubs_settings, [BAD / "unbalanced.bib", BAD / "bad-doi.json", BAD / "no-er.ris"], skip_bad=True)
    assert [(Path(f.path).name, f.new) for f in report.files] == [("unbalanced.bib", 1), ("bad-doi.json", 1)]
    assert sorted(type(b).__name__ for b in report.bad) == ["BadRecord", "BadRecord", "BadRecord"]
    assert any("no-er.ris:1" in str(b) for b in report.bad)
    assert _count(pubs_settings, "?p a hckg:Publication") == 2


def test_html_titles_and_titles_in_any_script_import_cleanly(pubs_settings):
    import_files(pubs_settings, [BAD / "html-title.json", BAD / "scripts.bib"])
    rows = select(open_store(pubs_settings.store_path), PUBS + "SELECT ?t WHERE { ?p a hckg:Publication ; dcterms:title ?t } ORDER BY ?t")
    assert [r["t"] for r in rows] == ["Synthetic markup & entities in a title", "Συνθετική εγγραφή για κοινότητες μάθησης",
                                      "سجل اصطناعي عن مجتمعات التعلم", "学习社区与职业教育的合成记录"]


@pytest.mark.slow
def test_an_author_list_of_ten_thousand_names_imports_cleanly(pubs_settings, tmp_path):
    authors = " and ".join(f"Testperson{i:05d}, A." for i in range(10_000))
    path = _write(tmp_path / "many.bib", f"% SYNTHETIC\n@article{{big, title = {{Synthetic big team}}, author = {{{authors}}}, year = {{2022}}}}\n")
    started = time.perf_counter()
    import_files(pubs_settings, [path])
    assert _count(pubs_settings, "?p a hckg:Publication ; dcterms:creator ?a") == 10_000
    assert time.perf_counter() - started < 120  # a guard against a pathological slowdown, not a speed target


def test_importing_the_same_file_twice_needs_replace(pubs_settings):
    import_files(pubs_settings, [EVAL / "eval-crossref.json"])
    before = sorted_nquads(pubs_settings.store_path)
    with pytest.raises(HckgError, match="already exists; use --replace"):
        import_files(pubs_settings, [EVAL / "eval-crossref.json"])
    assert sorted_nquads(pubs_settings.store_path) == before
    report = import_files(pubs_settings, [EVAL / "eval-crossref.json"], replace=True)
    assert (report.files[0].new, report.files[0].duplicates) == (10, 0)
    assert _count(pubs_settings, "?p a hckg:Publication") == 10


def test_the_gate_refuses_a_publication_without_a_title_and_writes_nothing(pubs_settings):
    """The importer's checks come first, but the shapes are the rule: a graph that breaks them is refused."""
    before = sorted_nquads(pubs_settings.store_path)
    graph = rdflib.Graph()
    pub = rdflib.URIRef("https://w3id.org/hckg/id/publication/t-untitled-2020-00000000")
    graph.add((pub, rdflib.RDF.type, HCKG.Publication))
    graph.add((pub, rdflib.URIRef("http://purl.org/dc/terms/source"), rdflib.URIRef(str(GRAPH["pubs/x"]))))
    graph.add((pub, HCKG.sourceRecord, rdflib.Literal("x.bib#k")))
    with pytest.raises(ValidationFailed) as err:
        write_graphs(pubs_settings, [GraphWrite(str(GRAPH["pubs/x"]), graph, "x.bib", "0" * 64)])
    assert [v.path for v in err.value.violations] == ["http://purl.org/dc/terms/title"]
    assert sorted_nquads(pubs_settings.store_path) == before


def test_graph_names_one_file_only(pubs_settings):
    with pytest.raises(HckgError, match="--graph names one graph"):
        import_files(pubs_settings, [EVAL / "eval-csl.json", EVAL / "eval-crossref.json"], graph="https://w3id.org/hckg/graph/pubs/x")
