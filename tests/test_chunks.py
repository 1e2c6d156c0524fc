"""Cutting a file into N-Triples requests (hckg.store.chunks): every triple once, blank nodes together."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hckg.store.chunks import file_chunks, ntriples_chunks

EX = "https://example.org/"


def _triples(n: int) -> list[ox.Triple]:
    return [ox.Triple(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"value {i}", language="nl"))
            for i in range(n)]


def _parsed(data: bytes) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def test_every_triple_is_sent_once_in_chunks_of_at_most_the_given_size():
    triples = _triples(25)
    chunks = list(ntriples_chunks(triples, chunk_triples=10))
    assert [c.triples for c in chunks] == [10, 10, 5]
    sent = [t for c in chunks for t in _parsed(c.data)]
    assert sorted(map(str, sent)) == sorted(map(str, triples))
    assert all(len(_parsed(c.data)) == c.triples for c in chunks)


def test_triples_with_blank_nodes_travel_together_in_one_last_chunk():
    node = ox.BlankNode("b1")
    blank = [ox.Triple(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}address"), node) for i in range(7)]
    blank.append(ox.Triple(node, ox.NamedNode(f"{EX}city"), ox.Literal("Utrecht")))
    named = _triples(12)
    mixed = [t for pair in zip(named, blank) for t in pair] + named[len(blank):]
    chunks = list(ntriples_chunks(mixed, chunk_triples=3))
    *plain, last = chunks
    assert last.blank_nodes and last.triples == len(blank)
    assert not any(c.blank_nodes for c in plain)
    # one chunk, one blank-node label: the engine sees one node, as the file said
    objects = {t.object for t in _parsed(last.data) if t.predicate == ox.NamedNode(f"{EX}address")}
    subjects = {t.subject for t in _parsed(last.data) if t.predicate == ox.NamedNode(f"{EX}city")}
    assert len(objects) == 1 and objects == subjects
    assert sum(c.triples for c in plain) == len(named)


def test_no_triples_means_no_request():
    assert list(ntriples_chunks([], chunk_triples=5)) == []


def test_a_chunk_size_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        list(ntriples_chunks(_triples(1), chunk_triples=0))


def test_a_turtle_file_is_cut_into_ntriples_with_its_base_resolved(tmp_path):
    path = tmp_path / "small.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\n"
                    "ex:a ex:p <relative> , [ ex:q 1 ] .\n"
                    "ex:b ex:p ex:c .\n", encoding="utf-8")
    chunks = list(file_chunks(path, ox.RdfFormat.TURTLE, "https://example.org/base/", chunk_triples=1))
    assert [c.blank_nodes for c in chunks] == [False, False, True]
    assert chunks[-1].triples == 2
    text = b"".join(c.data for c in chunks).decode()
    assert "<https://example.org/base/relative>" in text
