"""Load one file into the store through the validation gate, or drop a graph: copy on write.

A load maps the file and writes it into a copy of the store (a RocksDB checkpoint: hard links,
cheap). The gate (``hckg.gate.checks``) then checks the copy as it stands, the ontology and everything the
store already held included, but only for the resources the change touches. Only a copy that
conforms replaces the current store, in one atomic step: a rejected load, a crash or a SIGKILL
halfway leaves the store exactly as it was, and readers never see a half-written graph. Dropping a
graph goes through the same gate, since what remains may refer to what goes.
"""

from __future__ import annotations

import getpass
import hashlib
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import rdflib
from rdflib import Literal
from rdflib.namespace import DCTERMS

from ..config import Settings
from ..errors import BadQuery, SourceError
from ..formats import OX_FORMATS, RDF_SUFFIXES
from ..ingest.lookup import Lookup
from ..ingest.tables import Row, read_rows
from ..queries.updates import scope_update
from ..ingest.sources import MappedSource, ParsedFile, Source, map_source, provenance, scan_source
from ..iris import GRAPH, META_GRAPH, slugify
from ..store.base import Store, StoreCopy, copy_on_write
from ..store.open import open_configured_store
from .checks import blocking, compiled, run_checks
from .engines import engine, forget, refresh_meta
from .infer import INFERRED_GRAPH
from .lock import write_lock
from .rules import LiteralRules, Written, check_rules
from .store_lookup import StoreLookup
from .update_scope import UPDATE_SOURCE, GraphRefused, digests, protected, record, refuse, refuse_ontology_terms
from .validate import ValidationFailed, Violation


@dataclass(frozen=True)
class LoadReport:
    graph: str
    triples: int
    replaced: bool


def default_graph(path: Path) -> str:
    return str(GRAPH["loads/" + slugify(path.stem)])


HINT_MAX_CHARS = 120
"""Longer cells are descriptions, never labels to resolve: left out of the lookup's first query."""


def _lookup(store: Store, exclude: str, rows: list[Row]) -> Lookup:
    """What the CSV table's ``rows`` need to resolve their cells: the labels, types and class hierarchy of
    every graph but ``exclude`` (the graph being replaced) and the provenance and inferred graphs, asked of
    the store (``StoreLookup``, the table's cells as hints), never copied whole."""
    parts = {part.strip() for row in rows for value in row.cells.values() if value for part in [value, *value.split(";")]}
    cells = {p for p in parts if 0 < len(p) <= HINT_MAX_CHARS and not p.startswith(("http://", "https://"))
             and not p.isdigit()}  # names and codes, not descriptions, web addresses or years
    return StoreLookup(store, [exclude, str(META_GRAPH), str(INFERRED_GRAPH)], hints=cells)


def _mapped(path: Path, graph: str, store: Store, exclude: str) -> MappedSource:
    if path.suffix != ".csv" and path.suffix not in RDF_SUFFIXES:
        raise SourceError(path, f"unsupported file type {path.suffix!r}; expected .csv or one of {', '.join(RDF_SUFFIXES)}")
    source = Source(path, rdflib.URIRef(graph), str(path))
    if path.suffix != ".csv":
        return map_source(source, Lookup())
    table = read_rows(path)  # read once: for the look-up's hints and for the mapping
    return map_source(source, _lookup(store, exclude, table[1]), table)


def _mapped_for_gate(settings: Settings, path: Path, graph: str, store: Store) -> MappedSource:
    """``_mapped``, but an RDF file the embedded store's SPARQL gate will check is only scanned by
    Oxigraph here and bulk-loaded into the copy later: no rdflib graph, no N-Triples hand-over. The scan
    applies the literal rules on the way (``LiteralRules``)."""
    if engine(settings).scans_files and store.bulk_loads_files and path.suffix in OX_FORMATS:
        return scan_source(Source(path, rdflib.URIRef(graph), str(path)), on_literal=LiteralRules())
    return _mapped(path, graph, store, exclude=graph)


def _refuse_ontology_terms(label: str, triples: rdflib.Graph | ParsedFile) -> None:
    refuse_ontology_terms(label, [str(s) for s in set(triples.subjects())])


def _origins(mapped: MappedSource) -> dict[str, tuple[str, int | None]]:
    return {str(s): (str(mapped.source.path), line) for s, line in getattr(mapped.triples, "lines", {}).items()}


def validate_file(settings: Settings, path: Path, graph: str | None = None) -> tuple[MappedSource, list[Violation]]:
    """Map ``path`` and check it with the store's content; returns the mapped source and violations.

    With the SPARQL gate the file is written into a throw-away copy of the store and checked there,
    exactly as a load would check it; the store itself is never touched.
    """
    target = graph or default_graph(path)
    store = open_configured_store(settings)
    mapped = _mapped_for_gate(settings, path, target, store)
    _refuse_ontology_terms(str(mapped.source.path), mapped.triples)
    meta = _meta_with(store, mapped, target)
    return mapped, engine(settings).check_file(settings, store, target, mapped.triples, _origins(mapped), meta,
                                               label=str(path), path=path)


def _meta_with(store: Store, mapped: MappedSource, target: str, synthetic: bool = False) -> rdflib.Graph:
    """The provenance graph as it will be after ``mapped`` is written as ``target``."""
    meta = store.as_rdflib([str(META_GRAPH)])
    forget(meta, target)
    record = provenance(mapped, datetime.now(timezone.utc), synthetic)
    record.add((mapped.source.graph, DCTERMS.creator, Literal(f"{getpass.getuser()}@{socket.gethostname()}")))
    return meta + record


@dataclass
class GraphWrite:
    """One named graph to write, or with ``triples`` None to drop: its triples and what they came from.

    ``label`` names the source in messages and in the provenance record (a file path, or a command
    such as "hckg pubs link"); ``origins`` maps a subject to the file and line it came from.
    """

    graph: str
    triples: rdflib.Graph | ParsedFile | None
    label: str
    sha256: str = ""
    synthetic: bool = False
    origins: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    path: Path | None = None
    """The file the triples were read from, where a violation's line is looked up."""


def digest(data: bytes) -> str:
    """The sha256 a provenance record keeps of a source's bytes."""
    return hashlib.sha256(data).hexdigest()


def _record(write: GraphWrite, at: datetime) -> rdflib.Graph:
    assert write.triples is not None
    source = MappedSource(Source(Path(write.label), rdflib.URIRef(write.graph), write.label),
                          write.triples, write.sha256)  # type: ignore[arg-type]  # provenance reads only len()
    record = provenance(source, at, write.synthetic)
    record.add((source.source.graph, DCTERMS.creator, Literal(f"{getpass.getuser()}@{socket.gethostname()}")))
    return record


def write_graphs(settings: Settings, writes: list[GraphWrite], replace: bool = True) -> list[bool]:
    """The one write path: write (or drop) each graph of ``writes`` through the gate, all or nothing.

    Holds the store's write lock (``hckg.gate.lock``) from the first read of the store to the swap,
    so concurrent writers queue and none loses another's graph. Refuses protected graphs, a graph
    that exists when ``replace`` is false, a drop of a graph that does not exist, and statements about
    ontology terms; then changes a copy of the store, checks it (the SPARQL gate on what each graph
    touches, or pySHACL on the whole copy), and swaps it in. Raises GraphRefused or ValidationFailed
    and leaves the store as it was. Returns, per write, whether the graph existed before.
    """
    for write in writes:
        if protected(write.graph):
            raise GraphRefused(f"{write.graph} is written only by `hckg build`; store unchanged")
        if write.triples is not None:
            _refuse_ontology_terms(write.label, write.triples)
    gate = engine(settings)
    with write_lock(settings):
        store = open_configured_store(settings)
        present = set(store.graph_names())  # not graphs(): it counts every triple (1.1 s at 1M)
        existed = [w.graph in present for w in writes]
        for write, exists in zip(writes, existed):
            if write.triples is None and not exists:
                raise GraphRefused(f"no graph {write.graph} in the store; `hckg graphs` lists them")
            if write.triples is not None and exists and not replace:
                raise GraphRefused(f"graph {write.graph} already exists; use --replace to replace it; store unchanged")
        meta = store.as_rdflib([str(META_GRAPH)])
        now = datetime.now(timezone.utc)
        for write in writes:
            forget(meta, write.graph)
            if write.triples is not None:
                meta += _record(write, now)

        def change(copy: StoreCopy) -> None:
            gate.write(settings, copy, writes, meta)

        copy_on_write(store, change)
    return existed


def load_file(settings: Settings, path: Path, graph: str | None = None, replace: bool = False,
              source: str | None = None, *, synthetic: bool = False,
              progress: Callable[[str, int, int], None] | None = None) -> LoadReport:
    """Validate ``path`` and write it as one named graph; raises and leaves the store as it was.

    ``source`` names where the file came from in messages and in the graph's provenance record
    (default: the path; the Graph Store says "Graph Store PUT", since its path is a temporary file).
    Positional too, so a write worker that passes arguments by position can give it.
    ``progress(label, done, total)`` hears of each of the three steps (the CLI draws a bar with it).
    """
    step = progress or (lambda label, done, total: None)
    target = graph or default_graph(path)
    if protected(target):
        raise GraphRefused(f"{target} is written only by `hckg build`; store unchanged")
    with write_lock(settings):  # a CSV table's cells resolve against the store the write will change
        store = open_configured_store(settings)
        if not replace and store.graph_exists(target):
            raise GraphRefused(f"graph {target} already exists; use --replace to replace it; store unchanged")
        step(f"reading {path.name}", 0, 3)
        mapped = _mapped_for_gate(settings, path, target, store)
        step(f"checking and writing {len(mapped.triples)} triples", 1, 3)
        write = GraphWrite(target, mapped.triples, source or str(path), mapped.sha256, synthetic, _origins(mapped), path)
        [existed] = write_graphs(settings, [write], replace)
        step(f"loaded {path.name}", 3, 3)
    return LoadReport(target, len(mapped.triples), existed)


def drop_graph(settings: Settings, graph: str) -> None:
    """Remove one named graph and its provenance record; raises for protected or unknown graphs."""
    write_graphs(settings, [GraphWrite(graph, None, f"dropping {graph}")])


def apply_update(settings: Settings, sparql: str) -> None:
    """Run a SPARQL Update through the gate: on a copy of the store, checked, then swapped in.

    The update's scope is read from the copy (``hckg.gate.update_scope``): writing the default
    graph, a protected graph or statements about ontology terms is refused; each graph it created
    or changed gets a provenance record (source "SPARQL Update") and the closed-world rules
    (``hckg.gate.rules``); then the whole store is checked against the shapes, since an update can
    touch any graph. ``CLEAR``/``DROP`` ``ALL``/``NAMED`` mean the graphs an update may write
    (``queries.updates.scope_update``). Raises BadQuery, GraphRefused, ValidationFailed or
    WriteBusy; the store is then unchanged.
    """
    with write_lock(settings):
        _apply_update(settings, sparql)


def _apply_update(settings: Settings, sparql: str) -> None:
    store = open_configured_store(settings)
    if not store.updates_on_a_copy:
        raise GraphRefused("SPARQL Update through HCKG needs the embedded store (it is checked on a copy); on a "
                           "remote engine use `hckg load`/`hckg drop`, or the engine's own update endpoint; "
                           "store unchanged")
    meta = store.as_rdflib([str(META_GRAPH)])
    scoped = scope_update(sparql, [g for g in store.graph_names() if not protected(g)])

    def change(copy: StoreCopy) -> None:
        before = digests(copy)
        try:
            copy.update(scoped)
        except (SyntaxError, ValueError, OSError, RuntimeError) as err:
            raise BadQuery(f"SPARQL Update refused: {err}") from err
        scope = refuse(copy, before, digests(copy))
        written = [Written(graph, UPDATE_SOURCE, {}) for graph in scope.changed]
        violations = check_rules(copy, written, settings.extra_namespaces)  # cheap: before inference and shapes
        if violations:
            raise ValidationFailed(UPDATE_SOURCE, violations)
        record(meta, copy, scope, sparql, datetime.now(timezone.utc), f"{getpass.getuser()}@{socket.gethostname()}")
        refresh_meta(copy, meta)
        violations = blocking(run_checks(copy, compiled(settings.shapes_dir), focused=False))
        if violations:
            raise ValidationFailed(UPDATE_SOURCE, violations)

    copy_on_write(store, change)
