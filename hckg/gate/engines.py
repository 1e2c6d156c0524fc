"""The gate's two validation engines, chosen once from ``HCKG_GATE`` (``engine``).

- ``sparql`` (the default): the shapes compiled to SPARQL (``hckg.gate.shacl_sparql``) run in the
  store's copy on what a change touches (``hckg.gate.checks``), exact against pySHACL.
- ``pyshacl``: the reference engine, the whole store in rdflib through pySHACL (slow).

The write path (``hckg.gate.write``) and ``hckg build`` ask the chosen engine to check; neither tests
the setting itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, Sequence

import rdflib
from rdflib.namespace import VOID

from ..config import Settings
from ..errors import HckgError
from ..ingest.sources import MappedSource, ParsedFile, base_iri, ox_format
from ..iris import HCKG, META_GRAPH, ONTOLOGY_GRAPH
from ..store.base import Store, StoreCopy, copy_on_write, holds_at_least
from .checks import blocking, changes_schema, clear_focus, compiled, hops_needed, run_checks, seed, steps, widen
from .infer import INFERRED_GRAPH, LOCAL_SHARE, derived_from, keep_removed, materialise, provenance_record
from .rules import Written, check_rules, scanned_literals
from .validate import ValidationFailed, Violation, check, load_shapes

Origins = dict[str, tuple[str, int | None]]
"""Subject IRI -> (file or record, line) it came from, for messages."""


class Write(Protocol):
    """What an engine reads of one write (``hckg.gate.write.GraphWrite``)."""

    graph: str
    triples: rdflib.Graph | ParsedFile | None
    label: str
    origins: Origins
    path: Path | None


class Engine(Protocol):
    name: str
    scans_files: bool
    """True when the engine checks inside the store's copy, so an RDF file may be bulk-loaded there
    unparsed; pySHACL needs every triple in rdflib."""

    def check_sources(self, settings: Settings, mapped: list[MappedSource], origins: Origins) -> None:
        """Check a build's mapped sources before they are written; raises ValidationFailed."""

    def check_built(self, settings: Settings, store: StoreCopy, origins: Origins) -> None:
        """Check a build's new store before it is swapped in; raises ValidationFailed."""

    def write(self, settings: Settings, copy: StoreCopy, writes: Sequence[Write], meta: rdflib.Graph) -> None:
        """Write ``writes`` into ``copy`` (provenance ``meta``, entailments) and check; raises ValidationFailed."""

    def check_file(self, settings: Settings, store: Store, target: str, triples: rdflib.Graph | ParsedFile,
                   origins: Origins, meta: rdflib.Graph, label: str = "", path: Path | None = None) -> list[Violation]:
        """The violations writing ``triples`` (from ``path``, named ``label`` in messages) as ``target``
        would cause; the store is not changed."""


FULL_CHECK_SHARE = LOCAL_SHARE
"""A graph with more than 1/FULL_CHECK_SHARE of the store's triples is checked in full: marking its
nodes one by one in the scratch graph costs more than checking every target. The same share as inference's
``LOCAL_SHARE``: a graph checked in full is one inference recomputes everything for (``write_and_check``)."""


class SparqlEngine:
    """The shapes compiled to SPARQL, run in the store's copy on what each change touches."""

    name = "sparql"
    scans_files = True

    def check_sources(self, settings: Settings, mapped: list[MappedSource], origins: Origins) -> None:
        """Nothing before writing: the written store is checked whole (``check_built``)."""

    def check_built(self, settings: Settings, store: StoreCopy, origins: Origins) -> None:
        violations = blocking(run_checks(store, compiled(settings.shapes_dir), focused=False, origins=origins))
        if violations:
            raise ValidationFailed("data/", violations)

    def write(self, settings: Settings, copy: StoreCopy, writes: Sequence[Write], meta: rdflib.Graph) -> None:
        for write in writes:
            violations = write_and_check(settings, copy, write.graph, write.triples, write.origins, meta,
                                         written=_written(write))
            if violations:
                raise ValidationFailed(_what(write), violations)

    def check_file(self, settings: Settings, store: Store, target: str, triples: rdflib.Graph | ParsedFile,
                   origins: Origins, meta: rdflib.Graph, label: str = "", path: Path | None = None) -> list[Violation]:
        """Written into a throw-away copy of the store and checked there, exactly as a load would check it."""
        found: list[Violation] = []
        written = Written(target, label or target, origins, path, scanned_literals(triples))

        def change(copy: StoreCopy) -> None:
            found.extend(write_and_check(settings, copy, target, triples, origins, meta, written=written))

        copy_on_write(store, change, keep=False)
        return found


class PyshaclEngine:
    """The reference engine: the whole store in rdflib, through pySHACL (slow, exact)."""

    name = "pyshacl"
    scans_files = False

    def check_sources(self, settings: Settings, mapped: list[MappedSource], origins: Origins) -> None:
        """pySHACL over all mapped data with the ontology."""
        ontology = rdflib.Graph()
        data = rdflib.Graph()
        for item in mapped:
            if item.source.label.startswith("ontology/"):
                ontology += item.triples
            else:
                data += item.triples
        violations = check(data, load_shapes(settings.shapes_dir), ontology, origins)
        if violations:
            raise ValidationFailed("data/", violations)

    def check_built(self, settings: Settings, store: StoreCopy, origins: Origins) -> None:
        """Nothing after writing: the sources were checked before (``check_sources``)."""

    def write(self, settings: Settings, copy: StoreCopy, writes: Sequence[Write], meta: rdflib.Graph) -> None:
        """Write every graph, then check the whole copy."""
        for write in writes:
            if write.triples is None:
                copy.remove_graph(write.graph)
            elif isinstance(write.triples, ParsedFile):
                copy.bulk_load_graph(write.graph, write.triples.path, ox_format(write.triples.path),
                                     base_iri(write.triples.path))
            else:
                copy.replace_graph(write.graph, write.triples)
        violations = check_rules(copy, [_written(w) for w in writes if w.triples is not None], settings.extra_namespaces)
        if violations:  # the rules first: cheap, and hostile data is refused before pySHACL reads it
            raise ValidationFailed(", ".join(_what(w) for w in writes), violations)
        refresh_meta(copy, meta)
        kept = [g.iri for g in copy.graphs() if g.iri not in (str(META_GRAPH), str(INFERRED_GRAPH))]
        origins = {k: v for write in writes for k, v in write.origins.items()}
        violations = check(copy.as_rdflib(kept), load_shapes(settings.shapes_dir), copy.as_rdflib([str(ONTOLOGY_GRAPH)]),
                           origins)
        if violations:
            raise ValidationFailed(", ".join(_what(w) for w in writes), violations)

    def check_file(self, settings: Settings, store: Store, target: str, triples: rdflib.Graph | ParsedFile,
                   origins: Origins, meta: rdflib.Graph, label: str = "", path: Path | None = None) -> list[Violation]:
        """The whole store (without ``target``) and the file in rdflib; the closed-world rules in a
        throw-away copy of the store with the file written into it."""
        kept = [g.iri for g in store.graphs() if g.iri not in (target, str(META_GRAPH), str(INFERRED_GRAPH))]
        existing = store.as_rdflib(kept)
        ontology = store.as_rdflib([str(ONTOLOGY_GRAPH)])
        assert isinstance(triples, rdflib.Graph)  # scans_files is False: the file was parsed
        found = check(existing + triples, load_shapes(settings.shapes_dir), ontology, origins)

        def change(copy: StoreCopy) -> None:
            copy.replace_graph(target, triples)
            found.extend(check_rules(copy, [Written(target, label or target, origins, path)], settings.extra_namespaces))

        copy_on_write(store, change, keep=False)
        return found


ENGINES: dict[str, Engine] = {"sparql": SparqlEngine(), "pyshacl": PyshaclEngine()}


def engine(settings: Settings) -> Engine:
    """The engine ``HCKG_GATE`` names; HckgError for another name."""
    try:
        return ENGINES[settings.gate]
    except KeyError:
        raise HckgError(f"HCKG_GATE={settings.gate!r}: use one of {', '.join(ENGINES)}") from None


def _what(write: Write) -> str:
    return f"dropping {write.graph}" if write.triples is None else write.label


def _written(write: Write) -> Written:
    return Written(write.graph, write.label, write.origins, write.path, scanned_literals(write.triples))


def write_and_check(settings: Settings, copy: StoreCopy, target: str,
                    triples: rdflib.Graph | ParsedFile | None, origins: dict[str, tuple[str, int | None]],
                    meta: rdflib.Graph | None = None, written: Written | None = None) -> list[Violation]:
    """Replace (or, with ``triples`` None, remove) ``target`` in the copy and check what it touches:
    the shapes, and for a written graph the closed-world rules (``hckg.gate.rules``; ``written``
    names its source in messages).

    A large new graph (``FULL_CHECK_SHARE``) is checked in full instead of node by node.
    """
    checks, crossed = compiled(settings.shapes_dir), steps(settings.shapes_dir)
    # len * SHARE > store + len, asked without counting the whole store
    full = triples is not None and not holds_at_least(copy, len(triples) * (FULL_CHECK_SHARE - 1))
    schema = full or changes_schema(copy, target)
    added = triples is not None and not copy.graph_exists(target)
    removed = keep_removed(copy, target) if meta is not None and not full else None
    if not full:
        seed(copy, target, crossed)
    if triples is None:
        copy.remove_graph(target)
    elif isinstance(triples, ParsedFile):
        copy.bulk_load_graph(target, triples.path, ox_format(triples.path), base_iri(triples.path))
    else:
        copy.replace_graph(target, triples)
    if triples is not None:
        # The rules first, on the graph as written: cheap, and a hostile graph (100k nested blank
        # nodes, foreign terms) is refused before inference and the shapes spend seconds on it.
        broken = check_rules(copy, [written or Written(target, target, origins)], settings.extra_namespaces)
        if broken:
            clear_focus(copy)
            return broken
    if meta is not None:
        # a replaced graph counts as added only when what it held was kept for retraction; else: recompute.
        # A graph checked in full is large beside the store: inference would count it (0.5-1.7 s at 1M) only
        # to find it too large to infer on its own (LOCAL_SHARE is FULL_CHECK_SHARE), so it recomputes at once.
        local = triples is not None and (added or removed) and not full
        refresh_meta(copy, meta, added=target if local else None, removed=removed)
    schema = schema or changes_schema(copy, target)
    if not full:
        seed(copy, target, crossed)
        widen(copy, hops_needed(checks), crossed)
    try:
        return blocking(run_checks(copy, checks, focused=not schema, origins=origins))
    finally:
        clear_focus(copy)


def refresh_meta(copy: StoreCopy, meta: rdflib.Graph, added: str | None = None, removed: str | None = None) -> None:
    """Bring the inferred graph up to date after a change (only ``added``'s consequences, less those of
    what ``removed`` held: ``hckg.gate.infer.materialise``) and store the provenance records."""
    recorded = meta.value(rdflib.URIRef(str(INFERRED_GRAPH)), VOID.triples)
    forget(meta, str(INFERRED_GRAPH))
    triples = materialise(copy, added=added, removed=removed,
                          known_size=int(recorded) if isinstance(recorded, rdflib.Literal) else None)
    synthetic = any((rdflib.URIRef(g), HCKG.provenanceKind, HCKG.SyntheticData) in meta for g in derived_from(copy))
    meta += provenance_record(copy, triples, synthetic=synthetic)
    copy.replace_graph(str(META_GRAPH), meta)


def forget(meta: rdflib.Graph, graph: str) -> None:
    """Remove the provenance record of ``graph`` (and of its load activity) from ``meta``."""
    node = rdflib.URIRef(graph)
    activity = rdflib.URIRef(graph + "#load")
    meta.remove((node, None, None))
    meta.remove((activity, None, None))
