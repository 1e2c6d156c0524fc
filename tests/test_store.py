"""The embedded store: named graphs replaced whole, union-graph queries, dumps."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
import rdflib

from hckg.errors import BadQuery, StoreMissing
from hckg.store.oxigraph import OxigraphStore, fresh_store_dir, open_store, swap_in

G = "https://w3id.org/hckg/graph/test"


def graph(*objects: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for o in objects:
        g.add((rdflib.URIRef("http://e/s"), rdflib.URIRef("http://e/p"), rdflib.Literal(o)))
    return g


@pytest.fixture
def writable(tmp_path) -> OxigraphStore:
    return OxigraphStore(tmp_path / "db", writable=True)


def values(store: OxigraphStore) -> list[str]:
    return sorted(row["o"].value for row in store.query("SELECT ?o WHERE { ?s <http://e/p> ?o }"))


def test_replacing_a_graph_removes_its_old_triples_and_keeps_other_graphs(writable):
    writable.replace_graph(G, graph("a", "b"))
    writable.replace_graph(G + "2", graph("z"))
    writable.replace_graph(G, graph("c"))
    assert values(writable) == ["c", "z"]
    assert [(g.iri, g.triples) for g in writable.graphs()] == [(G, 1), (G + "2", 1)]


def test_a_literal_with_quotes_and_newlines_survives_a_replace(writable):
    tricky = 'say "hi"\n} ; DROP ALL ; #'
    writable.replace_graph(G, graph("a"))
    writable.replace_graph(G, graph(tricky))
    assert values(writable) == [tricky]


def test_a_syntax_error_is_a_bad_query(writable):
    with pytest.raises(BadQuery, match="SPARQL error"):
        writable.query("SELECT ?s WHERE {")


def test_opening_a_store_that_was_never_built_says_so(tmp_path):
    with pytest.raises(StoreMissing, match="run `hckg build` first"):
        open_store(tmp_path / "none")


def test_trig_dump_keeps_named_graphs_and_turtle_merges_them(writable):
    writable.replace_graph(G, graph("a"))
    writable.replace_graph(G + "2", graph("a", "b"))
    trig, ttl = io.BytesIO(), io.BytesIO()
    writable.dump(trig, ox.RdfFormat.TRIG)
    writable.dump(ttl, ox.RdfFormat.TURTLE)
    assert len(list(ox.parse(trig.getvalue(), ox.RdfFormat.TRIG))) == 3
    assert len(rdflib.Graph().parse(data=ttl.getvalue(), format="turtle")) == 2


def test_swap_in_points_the_store_path_at_the_new_build_and_removes_the_old(tmp_path):
    target = tmp_path / "store"
    first = fresh_store_dir(target)
    swap_in(first, target)
    second = fresh_store_dir(target)
    swap_in(second, target)
    assert target.resolve() == second.resolve()
    assert not first.exists()
