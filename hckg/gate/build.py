"""Rebuild the store from ``ontology/`` and ``data/``: build aside, then swap in one step.

A failure anywhere (unreadable file, unmappable row, a SHACL violation) leaves the previous store
untouched: the new store is written into a fresh directory, checked there by the gate, and only
replaces the old one when it is complete and conforms.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable


from ..config import Settings
from ..errors import BuildFailed, HckgError
from .engines import engine
from .lock import write_lock
from .infer import materialise, provenance_record
from ..ingest.sources import MappedSource, discover, map_source, provenance
from ..iris import META_GRAPH
from ..ingest.lookup import Lookup
from ..store.oxigraph import OxigraphStore, fresh_store_dir, remove_copy, swap_in
from ..store.open import endpoint_of, is_remote
from ..store.base import StoreCopy
from ..store.remote import RemoteStore
from ..ingest.tables import new_graph
from .rules import Written, check_rules
from .validate import ValidationFailed

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


def _origins(mapped: list[MappedSource]) -> dict[str, tuple[str, int | None]]:
    origins: dict[str, tuple[str, int | None]] = {}
    for item in mapped:
        for subject, line in getattr(item.triples, "lines", {}).items():
            origins.setdefault(str(subject), (item.source.label, line))
    return origins


def _write_all(settings: Settings, store: StoreCopy, mapped: list[MappedSource], progress: Progress | None,
               verb: str) -> None:
    """Every source as its named graph, then provenance and entailments, then the gate: the same steps
    on a fresh embedded store and on a remote engine's staging graphs; raises ValidationFailed."""
    meta = new_graph()
    at = datetime.now(timezone.utc)
    for done, item in enumerate(mapped, start=1):
        store.replace_graph(str(item.source.graph), item.triples)
        meta += provenance(item, at)
        if progress:
            progress(f"{verb} {item.source.label}", done, len(mapped))
    meta += provenance_record(store, materialise(store))
    store.replace_graph(str(META_GRAPH), meta)
    engine(settings).check_built(settings, store, _origins(mapped))
    data = [Written(str(item.source.graph), item.source.label, _origins([item]), item.source.path)
            for item in mapped if not item.source.label.startswith("ontology/")]
    violations = check_rules(store, data, settings.extra_namespaces)
    if violations:
        raise ValidationFailed("data/", violations)


def build(settings: Settings, progress: Progress | None = None) -> BuildReport:
    """Build a new store from the sources and swap it in; raises BuildFailed, store unchanged."""
    started = time.perf_counter()
    try:
        mapped = map_all(settings, progress)
        engine(settings).check_sources(settings, mapped, _origins(mapped))
    except HckgError as err:
        raise BuildFailed(err) from err
    with write_lock(settings):  # a load swapped in during the build would undo it, or the build the load
        if is_remote(settings):
            return _build_remote(settings, mapped, progress, started)
        return _build_local(settings, mapped, progress, started)


def _build_local(settings: Settings, mapped: list[MappedSource], progress: Progress | None,
                 started: float) -> BuildReport:
    fresh = fresh_store_dir(settings.store_path)
    try:
        store = OxigraphStore(fresh, writable=True)
        _write_all(settings, store, mapped, progress, "stored")
        triples = sum(g.triples for g in store.graphs())
        graphs = len(store.graphs())
        store.compact()
        store.close()
    except ValidationFailed as err:
        remove_copy(fresh)
        raise BuildFailed(err) from err
    except BaseException:
        remove_copy(fresh)
        raise
    swap_in(fresh, settings.store_path)
    return BuildReport(settings.store_path, graphs, triples, time.perf_counter() - started)


def _build_remote(settings: Settings, mapped: list[MappedSource], progress: Progress | None,
                  started: float) -> BuildReport:
    """The same build on a remote engine: every graph under a temporary name, gated there, then all
    swapped in with one update request (the old graphs dropped in it); on failure nothing changes."""
    staged = RemoteStore(endpoint_of(settings)).staged(keep_live=False)
    try:
        _write_all(settings, staged, mapped, progress, "staged")
        infos = staged.graphs()
        staged.commit()
    except ValidationFailed as err:
        raise BuildFailed(err) from err
    finally:
        staged.discard()  # after a commit only the scratch graph is left to drop
    return BuildReport(settings.store_path, len(infos), sum(g.triples for g in infos), time.perf_counter() - started)


def _newest_source(folders: list[Path]) -> float:
    times = [p.stat().st_mtime for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()]
    times += [folder.stat().st_mtime for folder in folders if folder.is_dir()]
    return max(times, default=0.0)


def store_is_stale(store_path: Path, sources: list[Path]) -> bool:
    """True when there is no built store, or a file in ``sources`` changed after the last build.

    The build time is when the ``store_path`` link was swapped in (its own mtime, not its target's:
    reading a store does not touch the link).
    """
    if not (store_path / "CURRENT").exists():
        return True
    built = store_path.lstat().st_mtime
    return _newest_source(sources) > built
