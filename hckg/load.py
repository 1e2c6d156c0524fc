"""Load one file into the store through the validation gate, or drop a graph: copy on write.

A load maps the file, validates it together with the ontology and everything the store already
holds, and only then writes it. The write goes into a copy of the store (a RocksDB checkpoint:
hard links, cheap) that replaces the current store in one atomic step, so a rejected load, a crash
or a SIGKILL halfway leaves the store exactly as it was, and readers never see a half-written graph.
"""

from __future__ import annotations

import getpass
import shutil
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import rdflib
from rdflib import Literal
from rdflib.namespace import DCTERMS

from .config import Settings
from .errors import HckgError, SourceError
from .infer import INFERRED_GRAPH, materialise, provenance_record
from .ingest import RDF_SUFFIXES, MappedSource, Source, map_source, provenance
from .iris import GRAPH, HCKG, META_GRAPH, ONTOLOGY_GRAPH, slugify
from .lookup import Lookup
from .store import OxigraphStore, fresh_store_dir, open_store, swap_in
from .tables import new_graph
from .validate import ValidationFailed, Violation, check, load_shapes


class GraphRefused(HckgError):
    """A load or drop that would touch a graph it may not touch; the store is unchanged."""


@dataclass(frozen=True)
class LoadReport:
    graph: str
    triples: int
    replaced: bool


def protected(graph: str) -> bool:
    """The ontology, provenance and inferred graphs change only through `hckg build` and the gate."""
    return graph in (str(META_GRAPH), str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH)) or graph.startswith(
        str(ONTOLOGY_GRAPH) + "/")


def default_graph(path: Path) -> str:
    return str(GRAPH["loads/" + slugify(path.stem)])


def _mapped(path: Path, graph: str, store: OxigraphStore, exclude: str) -> tuple[MappedSource, rdflib.Graph]:
    if path.suffix != ".csv" and path.suffix not in RDF_SUFFIXES:
        raise SourceError(path, f"unsupported file type {path.suffix!r}; expected .csv or one of {', '.join(RDF_SUFFIXES)}")
    kept = [g.iri for g in store.graphs() if g.iri not in (exclude, str(META_GRAPH), str(INFERRED_GRAPH))]
    existing = store.as_rdflib(kept)
    lookup = Lookup.from_graph(existing)
    return map_source(Source(path, rdflib.URIRef(graph), str(path)), lookup), existing


def _refuse_ontology_terms(mapped: MappedSource) -> None:
    touched = sorted({str(s) for s in mapped.triples.subjects() if str(s).startswith(str(HCKG))})
    if touched:
        raise GraphRefused(f"{mapped.source.path}: statements about ontology terms ({', '.join(touched[:5])}); "
                           "the ontology changes only through ontology/ and `hckg build`; store unchanged")


def validate_file(settings: Settings, path: Path, graph: str | None = None) -> tuple[MappedSource, list[Violation]]:
    """Map ``path`` and check it with the store's content; returns the mapped source and violations."""
    return _check_file(settings, open_store(settings.store_path), path, graph or default_graph(path))


def _check_file(settings: Settings, store: OxigraphStore, path: Path,
                target: str) -> tuple[MappedSource, list[Violation]]:
    mapped, existing = _mapped(path, target, store, exclude=target)
    _refuse_ontology_terms(mapped)
    ontology = store.as_rdflib([str(ONTOLOGY_GRAPH)])
    origins = {str(s): (str(path), line) for s, line in getattr(mapped.triples, "lines", {}).items()}
    violations = check(existing + mapped.triples, load_shapes(settings.shapes_dir), ontology, origins)
    return mapped, violations


def load_file(settings: Settings, path: Path, graph: str | None = None, replace: bool = False) -> LoadReport:
    """Validate ``path`` and write it as one named graph; raises and leaves the store as it was."""
    target = graph or default_graph(path)
    if protected(target):
        raise GraphRefused(f"{target} is written only by `hckg build`; store unchanged")
    store = open_store(settings.store_path)
    exists = any(g.iri == target for g in store.graphs())
    if exists and not replace:
        raise GraphRefused(f"graph {target} already exists; use --replace to replace it; store unchanged")
    mapped, violations = _check_file(settings, store, path, target)
    if violations:
        raise ValidationFailed(str(path), violations)
    meta = store.as_rdflib([str(META_GRAPH)])
    _forget(meta, target)
    record = provenance(mapped, datetime.now(timezone.utc))
    record.add((mapped.source.graph, DCTERMS.creator, Literal(f"{getpass.getuser()}@{socket.gethostname()}")))

    def change(copy: OxigraphStore) -> None:
        copy.replace_graph(target, mapped.triples)
        _refresh_meta(copy, meta + record)

    _copy_on_write(settings, store, change)
    return LoadReport(target, len(mapped.triples), exists)


def drop_graph(settings: Settings, graph: str) -> None:
    """Remove one named graph and its provenance record; raises for protected or unknown graphs."""
    if protected(graph):
        raise GraphRefused(f"{graph} is written only by `hckg build`; store unchanged")
    store = open_store(settings.store_path)
    if not any(g.iri == graph for g in store.graphs()):
        raise GraphRefused(f"no graph {graph} in the store; `hckg graphs` lists them")
    meta = store.as_rdflib([str(META_GRAPH)])
    _forget(meta, graph)

    def change(copy: OxigraphStore) -> None:
        copy.remove_graph(graph)
        _refresh_meta(copy, meta)

    _copy_on_write(settings, store, change)


def _refresh_meta(copy: OxigraphStore, meta: rdflib.Graph) -> None:
    """Recompute the inferred graph after a change and store the provenance records."""
    _forget(meta, str(INFERRED_GRAPH))
    meta += provenance_record(copy, materialise(copy))
    copy.replace_graph(str(META_GRAPH), meta)


def _forget(meta: rdflib.Graph, graph: str) -> None:
    node = rdflib.URIRef(graph)
    activity = rdflib.URIRef(graph + "#load")
    meta.remove((node, None, None))
    meta.remove((activity, None, None))


def _copy_on_write(settings: Settings, store: OxigraphStore, change: Callable[[OxigraphStore], None]) -> None:
    fresh = fresh_store_dir(settings.store_path)
    shutil.rmtree(fresh)  # backup wants to create the directory itself
    try:
        store.backup(fresh)
        copy = OxigraphStore(fresh, writable=True)
        change(copy)
        copy.close()
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    swap_in(fresh, settings.store_path)
