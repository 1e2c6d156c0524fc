"""An RDF file cut into N-Triples requests a remote engine can take in parallel.

One Graph Store POST of a million triples keeps the engine's parser on one thread and the client idle
while it waits; several smaller requests overlap the client's serialising with the engine's parsing
and let the engine use more than one core. A blank node's label only means something within one
request, so every triple that names a blank node goes into one last request of its own: the same
label, the same node, as with a single upload.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

CHUNK_TRIPLES = 100_000
"""Triples per request: at 1M, ten requests (measured on Virtuoso 7.2, bench/virtuoso_load.py)."""


@dataclass(frozen=True)
class Chunk:
    """One request's N-Triples, and whether it holds the file's blank-node triples (sent alone, last)."""

    data: bytes
    triples: int
    blank_nodes: bool = False


def _has_blank_node(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def ntriples_chunks(triples: Iterable[ox.Triple], chunk_triples: int = CHUNK_TRIPLES) -> Iterator[Chunk]:
    """``triples`` as N-Triples chunks of at most ``chunk_triples`` triples without blank nodes, then,
    if there are any, one chunk of every triple with a blank node (however many: they must stay together)."""
    if chunk_triples < 1:
        raise ValueError(f"chunk_triples must be at least 1, not {chunk_triples}")
    batch: list[ox.Triple] = []
    blank: list[ox.Triple] = []
    for triple in triples:
        if _has_blank_node(triple):
            blank.append(triple)
            continue
        batch.append(triple)
        if len(batch) == chunk_triples:
            yield Chunk(ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES), len(batch))
            batch = []
    if batch:
        yield Chunk(ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES), len(batch))
    if blank:
        yield Chunk(ox.serialize(blank, format=ox.RdfFormat.N_TRIPLES), len(blank), blank_nodes=True)


def file_chunks(path: Path, fmt: ox.RdfFormat, base_iri: str, chunk_triples: int = CHUNK_TRIPLES) -> Iterator[Chunk]:
    """The triples of an RDF file as ``ntriples_chunks`` yields them, read lazily by pyoxigraph.

    Each chunk is parsed and serialised inside pyoxigraph (no Python code per triple: at 1M, testing every
    triple for blank nodes in Python took 22 of the 50 s this function took). Only a chunk whose text holds
    ``_:`` is split into lines, and lines with ``_:`` (a blank node, or a literal that happens to hold
    those two characters: harmless) are held back for the last chunk."""
    if chunk_triples < 1:
        raise ValueError(f"chunk_triples must be at least 1, not {chunk_triples}")
    quads = iter(ox.parse(path=str(path), format=fmt, base_iri=base_iri))
    blank: list[bytes] = []
    while True:
        # default-graph quads in N-Quads are N-Triples lines
        data = ox.serialize(islice(quads, chunk_triples), format=ox.RdfFormat.N_QUADS)
        if not data:
            break
        if b"_:" in data:
            lines = data.splitlines(keepends=True)
            kept = [line for line in lines if b"_:" not in line]
            blank.extend(line for line in lines if b"_:" in line)
            if kept:
                yield Chunk(b"".join(kept), len(kept))
        else:
            yield Chunk(data, data.count(b"\n"))
    if blank:
        yield Chunk(b"".join(blank), len(blank), blank_nodes=True)
