"""The Store interface: every method the write path, inference, queries and reports call on a store.

Two implementations: the embedded Oxigraph store on disk (``hckg.store.oxigraph``) and a remote
SPARQL 1.1 engine (``hckg.store.remote``). A write never changes a store in place: ``staged()`` gives
a ``StoreCopy`` (a checkpoint of the embedded store, or temporary graphs on the remote engine) that
the gate writes and checks, and then commits (one atomic swap) or discards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterator, Protocol, Union

import pyoxigraph as ox
import rdflib

from ..formats import QueryAnswer

DATASET_FORMATS = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)
"""Formats that keep named graphs; JSON-LD could, but most JSON-LD readers expect one graph."""

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal]

# The store's own SPARQL, written once for both engines.
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
"""Every named graph with its triple count."""
UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
"""The union of the named graphs."""


def union_of(graphs: list[str] | None, where: str = "") -> str:
    """A CONSTRUCT of the union of ``graphs`` (default: every named graph), ``where`` added to its pattern."""
    if graphs is None and not where:
        return UNION
    values = "" if graphs is None else f"VALUES ?g {{ {' '.join(f'<{g}>' for g in graphs)} }} "
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {values}GRAPH ?g {{ ?s ?p ?o }}{' ' + where if where else ''} }}"


def holds_at_least(store: Store, triples: int) -> bool:
    """Whether the store's named graphs hold at least ``triples`` triples, reading no more than that many:
    the write path compares a small change with the store's size, and counting a 1M store takes 0.4 s."""
    if triples <= 0:
        return True
    answer = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} "
                         f"LIMIT {int(triples)} }} }}")
    return int(next(iter(answer))["n"].value) >= triples  # type: ignore[index,arg-type,call-overload]


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def pattern_predicate(pattern: str) -> str | None:
    """The predicate IRI of a triple pattern ``s p o``; None for a variable (or a prefixed name: not resolved)."""
    word = pattern.split()[1]
    return RDF_TYPE if word == "a" else word[1:-1] if word.startswith("<") else None


@dataclass(frozen=True)
class InferenceRule:
    """One inference rule file (``queries/internal/infer-*.rq``), split by ``hckg.gate.infer.rules``.

    Here, below the gate, because an engine may run the rules itself (``Store.materialise_rules``: the remote
    store turns them into INSERTs) and must read the same parts the gate reads, not parse the files again."""

    name: str
    template: str
    body: str
    premises: tuple[str, ...]
    prologue: str
    closed: bool
    """``#+ closed: true``: what the rule entails is never a premise for something new by the same rule."""

    @property
    def predicates(self) -> tuple[str | None, ...]:
        """Each premise's predicate IRI, None where it is a variable."""
        return tuple(pattern_predicate(premise) for premise in self.premises)

    @property
    def produces(self) -> str | None:
        """The predicate of what the rule entails (its template's), None when it varies."""
        return pattern_predicate(self.template)


@dataclass(frozen=True)
class GraphInfo:
    """A named graph and how many triples it holds."""

    iri: str
    triples: int


class Store(Protocol):
    """What HCKG reads from a quad store; the embedded and remote stores both provide it."""

    bulk_loads_files: bool
    """True when a copy can bulk-load an RDF file from this machine's disk (the embedded store): a
    load then only scans the file instead of parsing it into rdflib."""
    updates_on_a_copy: bool
    """True when a SPARQL Update can be run on a copy and checked before the swap (the embedded store)."""

    def query(self, sparql: str) -> QueryAnswer:
        """Run a SPARQL query with the union of named graphs as default graph."""

    def graphs(self) -> list[GraphInfo]:
        """The named graphs with their sizes, sorted by IRI."""

    def graph_names(self) -> list[str]:
        """The named graphs without their sizes (cheaper than ``graphs``), sorted."""

    def graph_exists(self, graph: str) -> bool:
        """True when ``graph`` is a named graph of the store."""

    def as_rdflib(self, graphs: list[str] | None = None) -> rdflib.Graph:
        """The union of ``graphs`` (default: every named graph) as an rdflib graph."""

    def construct_rdflib(self, sparql: str) -> rdflib.Graph:
        """The triples of a CONSTRUCT over the union graph, as an rdflib graph."""

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the store's named graphs."""

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Every quad (TriG, N-Quads) or the union of all graphs (the other formats)."""

    def staged(self, keep_live: bool = True) -> StoreCopy:
        """A copy to write; ``keep_live=False`` starts from an empty store (a build)."""

    def close(self) -> None:
        """Release the store (flush a writable one)."""


class StoreCopy(Store, Protocol):
    """A store being written by the gate: the writes, and what the gate and inference measure."""

    path: Path | None
    """Folder of the copy on disk (inference keeps its round files beside it), None when remote."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update."""

    def replace_graph(self, graph: str, triples: rdflib.Graph) -> None:
        """Replace the content of one named graph."""

    def remove_graph(self, graph: str) -> None:
        """Remove one named graph."""

    def bulk_load_graph(self, graph: str, path: Path, fmt: ox.RdfFormat, base_iri: str) -> None:
        """Replace ``graph`` with the triples of an RDF file (only where ``bulk_loads_files``)."""

    def add_ntriples(self, graph: str, data: bytes) -> None:
        """Add N-Triples ``data`` to ``graph``, which exists afterwards even if empty."""

    def add_ntriples_file(self, graph: str, path: Path) -> None:
        """Add the N-Triples file ``path`` to ``graph``, which exists afterwards even if empty."""

    def construct_to_file(self, sparql: str, path: Path) -> int:
        """Write a CONSTRUCT's triples to ``path`` as N-Triples; returns the file's size in bytes."""

    def triple_count(self) -> int:
        """Triples in every graph."""

    def graph_size(self, graph: str) -> int:
        """Triples in one graph."""

    def fingerprint(self, graph: str) -> str:
        """A hash of one graph's content, to tell whether a change touched it."""

    def materialise_rules(self, rules: tuple[InferenceRule, ...], graph: str, max_rounds: int) -> int | None:
        """Run inference rules inside the engine into ``graph``; None when the engine leaves it to
        ``hckg.gate.infer``'s own semi-naive evaluation (the embedded store)."""

    def commit(self) -> None:
        """Make the copy the store, in one atomic step."""

    def discard(self) -> None:
        """Throw the copy away (after a commit: only what is left to clean up)."""


def copy_on_write(store: Store, change: Callable[[StoreCopy], None], keep: bool = True) -> None:
    """Apply ``change`` to a copy of the store (``Store.staged``), then swap the copy in (or throw it away).

    The embedded store's copy is a checkpoint beside it, swapped in by one rename; a remote engine's is a
    staged write (``hckg.store.remote.StagedStore``) whose swap is one update request.
    """
    copy = store.staged()
    try:
        change(copy)
        if keep:
            copy.commit()
    finally:
        copy.discard()  # after a commit: only what is left to clean up (a remote engine's scratch graph)
