"""Rebuild the store from ``ontology/`` and ``data/``: build aside, then swap in one step.

A failure anywhere (unreadable file, unmappable row) leaves the previous store untouched: the
new store is written into a fresh directory and only replaces the old one when it is complete.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import rdflib

from .config import Settings
from .errors import BuildFailed, HckgError
from .infer import materialise, provenance_record
from .ingest import MappedSource, discover, map_source, provenance
from .iris import META_GRAPH
from .lookup import Lookup
from .store import OxigraphStore, fresh_store_dir, swap_in
from .tables import new_graph
from .validate import ValidationFailed, check, load_shapes

Progress = Callable[[str, int, int], None]
"""Called as ``progress(label, done, total)`` after each step; the CLI draws a bar with it."""


@dataclass(frozen=True)
class BuildReport:
    store_path: Path
    graphs: int
    triples: int
    seconds: float


def map_all(settings: Settings, progress: Progress | None = None) -> list[MappedSource]:
    """Map every source in load order, in memory; nothing is written."""
    sources = discover(settings.data_dir, settings.ontology_dir)
    lookup = Lookup()
    mapped = []
    for done, source in enumerate(sources, start=1):
        mapped.append(map_source(source, lookup))
        if progress:
            progress(f"mapped {source.label}", done, len(sources))
    return mapped


def gate(settings: Settings, mapped: list[MappedSource]) -> None:
    """Validate all mapped data with the ontology against the shapes; raises ValidationFailed."""
    ontology = rdflib.Graph()
    data = rdflib.Graph()
    origins: dict[str, tuple[str, int | None]] = {}
    for item in mapped:
        if item.source.label.startswith("ontology/"):
            ontology += item.triples
            continue
        data += item.triples
        for subject, line in getattr(item.triples, "lines", {}).items():
            origins.setdefault(str(subject), (item.source.label, line))
    violations = check(data, load_shapes(settings.shapes_dir), ontology, origins)
    if violations:
        raise ValidationFailed("data/", violations)


def build(settings: Settings, progress: Progress | None = None) -> BuildReport:
    """Build a new store from the sources and swap it in; raises BuildFailed, store unchanged."""
    started = time.perf_counter()
    try:
        mapped = map_all(settings, progress)
        gate(settings, mapped)
    except HckgError as err:
        raise BuildFailed(err) from err
    fresh = fresh_store_dir(settings.store_path)
    try:
        store = OxigraphStore(fresh, writable=True)
        meta = new_graph()
        at = datetime.now(timezone.utc)
        for done, item in enumerate(mapped, start=1):
            store.replace_graph(str(item.source.graph), item.triples)
            meta += provenance(item, at)
            if progress:
                progress(f"stored {item.source.label}", done, len(mapped))
        meta += provenance_record(store, materialise(store))
        store.replace_graph(str(META_GRAPH), meta)
        triples = sum(g.triples for g in store.graphs())
        graphs = len(store.graphs())
        store.close()
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    swap_in(fresh, settings.store_path)
    return BuildReport(settings.store_path, graphs, triples, time.perf_counter() - started)
