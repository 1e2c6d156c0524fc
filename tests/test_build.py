"""`hckg build`: a real store from the real data, swapped in whole or not at all."""

from __future__ import annotations

from register import communities

import pytest

from hckg.gate.build import build
from hckg.errors import BuildFailed
from hckg.store.oxigraph import open_store
from helpers import select, sorted_nquads

SOURCES = {
    "ontology": "ontology/hckg.ttl",
    "provinces": "data/provinces.csv",
    "topsectors": "data/topsectors.csv",
    "key-technologies": "data/key_technologies.csv",
    "missions": "data/missions.csv",
    "organisations": "data/organisations.csv",
    "learning-communities": "data/learning_communities.csv",
    "people": "data/people.csv",
    "community-bases": "data/community_bases.csv",
    "roadmap/impact-domains": "data/roadmap/impact_domains.csv",
    "roadmap/actions": "data/roadmap/actions.csv",
    "roadmap/glossary": "data/roadmap/glossary.csv",
    "roadmap/roadmap": "data/roadmap/roadmap.ttl",
}


def test_every_source_file_becomes_one_named_graph_with_provenance(store):
    rows = select(store, """
        PREFIX hckg: <https://w3id.org/hckg/def#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?g ?file ?sha ?kind ?at WHERE {
          GRAPH <https://w3id.org/hckg/graph/meta> {
            ?g hckg:sourceFile ?file ; hckg:sha256 ?sha ; hckg:provenanceKind ?kind ; prov:generatedAtTime ?at .
          }
        }""")
    found = {r["g"].removeprefix("https://w3id.org/hckg/graph/"): r["file"] for r in rows}
    assert found == SOURCES
    assert all(len(r["sha"]) == 64 for r in rows)
    assert {r["kind"] for r in rows} == {"https://w3id.org/hckg/def#RealData"}


def test_the_store_has_the_twelve_provinces_by_cbs_code(store):
    rows = select(store, """
        PREFIX hckg: <https://w3id.org/hckg/def#>
        SELECT ?code WHERE { ?p a hckg:Province ; hckg:cbsCode ?code } ORDER BY ?code""")
    assert [r["code"] for r in rows] == [f"PV{n}" for n in range(20, 32)]


def test_every_learning_community_row_is_in_the_store_with_a_source(store):
    rows = select(store, """
        PREFIX hckg: <https://w3id.org/hckg/def#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT (COUNT(DISTINCT ?c) AS ?n) (COUNT(DISTINCT ?unsourced) AS ?bad) WHERE {
          ?c a ?type . ?type rdfs:subClassOf hckg:LearningCommunity .
          OPTIONAL { ?unsourced a ?type . FILTER NOT EXISTS { ?unsourced dcterms:source ?s } }
        }""")
    assert rows == [{"n": str(len(communities())), "bad": "0"}]


def test_a_broken_data_file_leaves_the_previous_store_untouched(data_copy):
    build(data_copy)
    before = sorted_nquads(data_copy.store_path)
    csv_path = data_copy.data_dir / "learning_communities.csv"
    text = csv_path.read_text(encoding="utf-8")
    csv_path.write_text(text + "Broken Lab,Fieldlab,,,,Atlantis,,,,,https://example.org,,,,,\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as err:
        build(data_copy)
    assert f"learning_communities.csv:{len(text.splitlines()) + 1}:" in str(err.value)
    assert "unknown province 'Atlantis'" in str(err.value)
    assert "previous store is unchanged" in str(err.value)
    assert sorted_nquads(data_copy.store_path) == before
    leftovers = [p.name for p in data_copy.store_path.parent.iterdir() if p.name not in ("store", "store.lock")]  # the write lock stays
    assert len(leftovers) == 1  # the current build directory, no half-built one


def test_a_turtle_syntax_error_names_the_file_and_line(data_copy):
    (data_copy.data_dir / "extra.ttl").write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b .\n",
                                                  encoding="utf-8")
    with pytest.raises(BuildFailed, match=r"extra.ttl:3: cannot parse as turtle"):
        build(data_copy)


def test_a_rebuild_replaces_the_store_and_removes_the_old_build(data_copy):
    build(data_copy)
    first = data_copy.store_path.resolve()
    build(data_copy)
    assert data_copy.store_path.resolve() != first
    assert not first.exists()
    assert open_store(data_copy.store_path).graphs()


def test_a_build_compacts_the_store_before_it_is_swapped_in(data_copy, monkeypatch):
    """A compacted store has fewer files for every read to go through (docs/benchmarks-issue16.md)."""
    from hckg.store.oxigraph import OxigraphStore
    compacted = []
    real = OxigraphStore.compact
    monkeypatch.setattr(OxigraphStore, "compact", lambda self: (compacted.append(self.path), real(self)))
    build(data_copy)
    assert compacted and compacted[0] == data_copy.store_path.resolve()
