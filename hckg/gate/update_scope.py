"""What a write may touch, and what a SPARQL Update touched: the same guard for every write.

``hckg load`` refuses protected graphs and statements about ontology terms before writing. A SPARQL
Update names its graphs inside its text (``GRAPH ?g`` may even choose them from the data), so
its scope is read from the copy after it ran: each named graph's content before and after is
compared (``digests``), and then the same guards apply to what changed (``refuse``):

- the default graph is the union of the named graphs and cannot be written: every triple belongs
  to a named graph with a provenance record;
- the ontology, provenance and inferred graphs change only through ``hckg build`` (``protected``);
- no data graph may state anything about an ontology term (``hckg:Province rdfs:label "Hacked"``).

Every graph the update created or changed then gets its provenance record (source "SPARQL Update",
time, kind, the update's sha256), as a load's graph does, and a removed graph loses its record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS

from ..errors import HckgError
from ..ingest.sources import MappedSource, ParsedFile, Source, provenance
from ..iris import HCKG, META_GRAPH, ONTOLOGY_GRAPH
from ..store.base import StoreCopy
from .engines import forget
from .infer import INFERRED_GRAPH

UPDATE_SOURCE = "SPARQL Update"
"""The source a graph written by an update records (``hckg graphs`` shows it)."""

DEFAULT = ""
"""The key of the default graph in ``digests``."""


class GraphRefused(HckgError):
    """A load, drop or update that would touch a graph it may not touch; the store is unchanged."""


def protected(graph: str) -> bool:
    """The ontology, provenance and inferred graphs change only through `hckg build` and the gate."""
    return graph in (str(META_GRAPH), str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH)) or graph.startswith(
        str(ONTOLOGY_GRAPH) + "/")


def ontology_subjects(subjects: list[str]) -> list[str]:
    """The subjects that are ontology terms (in the ``hckg:`` namespace), sorted."""
    return sorted({s for s in subjects if s.startswith(str(HCKG))})


def refuse_ontology_terms(label: str, subjects: list[str]) -> None:
    """GraphRefused when a data graph would state something about an ontology term."""
    touched = ontology_subjects(subjects)
    if touched:
        raise GraphRefused(f"{label}: statements about ontology terms ({', '.join(touched[:5])}); "
                           "the ontology changes only through ontology/ and `hckg build`; store unchanged")


Digest = tuple[int, int]


def digests(copy: StoreCopy) -> dict[str, Digest]:
    """Per graph (``DEFAULT`` for the default graph): its quad count and an order-free sum of its quads'
    hashes. Equal digests, equal content (up to a 64-bit collision); no sort, one pass."""
    found: dict[str, list[int]] = {}
    for quad in copy.quads():
        name = quad.graph_name
        key = name.value if isinstance(name, ox.NamedNode) else DEFAULT
        entry = found.setdefault(key, [0, 0])
        entry[0] += 1
        entry[1] = (entry[1] + hash((str(quad.subject), str(quad.predicate), str(quad.object)))) & (2 ** 64 - 1)
    for name in copy.graph_names():
        found.setdefault(name, [0, 0])
    return {key: (count, total) for key, (count, total) in found.items()}


@dataclass(frozen=True)
class Scope:
    """The named graphs an update created or changed, and those it removed."""

    changed: list[str]
    removed: list[str]


def scope_of(before: dict[str, Digest], after: dict[str, Digest]) -> Scope:
    changed = sorted(g for g, d in after.items() if g != DEFAULT and before.get(g) != d)
    removed = sorted(g for g in before if g != DEFAULT and g not in after)
    return Scope(changed, removed)


def refuse(copy: StoreCopy, before: dict[str, Digest], after: dict[str, Digest]) -> Scope:
    """The update's scope; GraphRefused if it wrote the default graph, a protected graph, or
    statements about ontology terms."""
    if after.get(DEFAULT, (0, 0))[0]:
        raise GraphRefused(f"{UPDATE_SOURCE}: writes {after[DEFAULT][0]} triple(s) into the default graph, which "
                           "is the union of the named graphs and read-only; put them in a named graph "
                           "(INSERT DATA { GRAPH <https://...> { ... } }); store unchanged")
    scope = scope_of(before, after)
    touched = [g for g in scope.changed + scope.removed if protected(g)]
    if touched:
        raise GraphRefused(f"{UPDATE_SOURCE}: the update changes {', '.join(touched)}, written only by "
                           "`hckg build`; store unchanged")
    for graph in scope.changed:
        answer = copy.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
                            f"FILTER(STRSTARTS(STR(?s), \"{HCKG}\")) }} LIMIT 5")
        assert isinstance(answer, ox.QuerySolutions)
        refuse_ontology_terms(f"{UPDATE_SOURCE} into <{graph}>", [row["s"].value for row in answer])  # type: ignore[union-attr]
    return scope


def record(meta: rdflib.Graph, copy: StoreCopy, scope: Scope, sparql: str, at: datetime, creator: str) -> None:
    """Bring ``meta`` up to date with ``scope``: a record for each changed graph, none for removed ones."""
    sha = hashlib.sha256(sparql.encode("utf-8")).hexdigest()
    for graph in scope.removed:
        forget(meta, graph)
    for graph in scope.changed:
        forget(meta, graph)
        node = rdflib.URIRef(graph)
        counted = ParsedFile(Path(UPDATE_SOURCE), copy.graph_size(graph), set())
        mapped = MappedSource(Source(Path(UPDATE_SOURCE), node, UPDATE_SOURCE), counted, sha)  # type: ignore[arg-type]
        meta += provenance(mapped, at)
        meta.add((node, DCTERMS.creator, rdflib.Literal(creator)))
