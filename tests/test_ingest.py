"""Sources are discovered in dependency order and named after their path."""

from __future__ import annotations

from pathlib import Path

import pytest

from hckg.config import PROJECT_ROOT
from hckg.errors import SourceError
from hckg.ingest.sources import discover, graph_name, parse_rdf


def test_sources_load_ontology_first_then_tables_in_dependency_order():
    labels = [s.label for s in discover(PROJECT_ROOT / "data", PROJECT_ROOT / "ontology")]
    assert labels == [
        "ontology/hckg.ttl",
        "data/provinces.csv",
        "data/topsectors.csv",
        "data/key_technologies.csv",
        "data/organisations.csv",
        "data/roadmap/impact_domains.csv",
        "data/missions.csv",
        "data/roadmap/actions.csv",
        "data/roadmap/glossary.csv",
        "data/learning_communities.csv",
        "data/people.csv",
        "data/community_bases.csv",
        "data/roadmap/roadmap.ttl",
    ]


@pytest.mark.parametrize(
    ("path", "name"),
    [("learning_communities.csv", "learning-communities"), ("roadmap/impact_domains.csv", "roadmap/impact-domains"),
     ("Nieuwe Fieldlabs (2024).ttl", "nieuwe-fieldlabs-2024")],
)
def test_graph_names_come_from_the_file_path(path, name):
    root = Path("/data")
    assert graph_name(root / path, root) == name


def test_an_unknown_file_type_in_data_is_refused(tmp_path):
    (tmp_path / "notes.xlsx").write_bytes(b"PK")
    with pytest.raises(SourceError, match="unsupported file type '.xlsx'"):
        discover(tmp_path, PROJECT_ROOT / "ontology")


def test_a_json_ld_file_parses(tmp_path):
    path = tmp_path / "x.jsonld"
    path.write_text('{"@id": "http://e/a", "http://e/p": "v"}', encoding="utf-8")
    assert len(parse_rdf(path)) == 1


@pytest.mark.parametrize(
    "document",
    [
        '{"@context": "https://schema.org/", "@id": "http://e/a", "name": "x"}',
        '{"@context": ["https://example.org/ctx.jsonld", {"x": "http://e/x"}], "@id": "http://e/a", "x": "1"}',
        '{"@context": {"@import": "https://example.org/ctx.jsonld"}, "@id": "http://e/a"}',
        '[{"@context": "https://schema.org/", "@id": "http://e/a"}]',
    ],
)
def test_a_json_ld_file_with_a_remote_context_is_refused_without_fetching_it(tmp_path, document, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("parsing tried to use the network")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    path = tmp_path / "remote.jsonld"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(SourceError, match="remote JSON-LD context .* is not fetched"):
        parse_rdf(path)


def test_a_json_ld_file_with_an_inline_context_parses(tmp_path):
    path = tmp_path / "inline.jsonld"
    path.write_text('{"@context": {"name": "http://schema.org/name"}, "@id": "http://e/a", "name": "x"}', encoding="utf-8")
    assert len(parse_rdf(path)) == 1
