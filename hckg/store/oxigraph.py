"""The store interface and its embedded implementation (Oxigraph on disk).

All reads go through SPARQL text so every saved query also runs on a remote engine later.
Results stay pyoxigraph objects: a remote endpoint's answer parses into the same types
(``pyoxigraph.parse_query_results``), so formatting code serves both.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import shutil
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Callable, Iterator, TypeVar

import pyoxigraph as ox
import rdflib

from ..errors import BadQuery, StoreMissing
from ..formats import QueryAnswer
from ..iris import PREFIXES
from .leftovers import claim, release
from .base import DATASET_FORMATS, GRAPH_SIZES, UNION, GraphInfo, InferenceRule, union_of

log = logging.getLogger(__name__)

def to_ntriples(graph: rdflib.Graph) -> bytes:
    """N-Triples bytes of an rdflib graph: the cheapest hand-over from rdflib to Oxigraph."""
    return graph.serialize(format="nt", encoding="utf-8")


class OxigraphStore:
    """Embedded Oxigraph store on disk (the default).

    Opened read-only unless ``writable``: several readers (CLI, server workers) may then share
    one store directory while nobody writes it.
    """

    bulk_loads_files = True
    updates_on_a_copy = True

    def __init__(self, path: Path | None, writable: bool = False, link: Path | None = None) -> None:
        self.path = path
        self.link = link or path
        """The path a copy's ``commit`` swaps (``HCKG_STORE``: a symlink to ``path``)."""
        self.writable = writable or path is None
        if path is None:
            self._store = ox.Store()  # in memory: for tests and benchmarks of the gate
        elif writable:
            self._store = ox.Store(str(path))
        else:
            if not (path / "CURRENT").exists():
                raise StoreMissing(path)
            self._store = ox.Store.read_only(str(path))

    def query(self, sparql: str) -> QueryAnswer:
        try:
            return self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise BadQuery(str(err)) from err

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (one transaction); only on a store opened writable."""
        self._store.update(sparql)

    def replace_graph(self, graph: str, triples: rdflib.Graph) -> None:
        node = ox.NamedNode(graph)
        data = to_ntriples(triples)
        if self._store.contains_named_graph(node):
            # One update request is one transaction: readers see the old graph or the new one.
            text = data.decode("utf-8")
            self._store.update(f"DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ {text} }} }}")
        else:
            self._store.load(data, ox.RdfFormat.N_TRIPLES, to_graph=node)
        self._store.add_graph(node)
        log.info("replaced %s: %d triples", graph, len(triples))

    def bulk_load_graph(self, graph: str, path: Path, fmt: ox.RdfFormat, base_iri: str) -> None:
        """Replace ``graph`` with the triples of an RDF file, parsed by Oxigraph's bulk loader.

        Not one transaction: only for a copy of the store that is thrown away if anything fails.
        """
        node = ox.NamedNode(graph)
        if self._store.contains_named_graph(node):
            self._store.remove_graph(node)
        self._store.bulk_load(path=str(path), format=fmt, base_iri=base_iri, to_graph=node)
        self._store.add_graph(node)

    def triple_count(self) -> int:
        """Quads in every graph."""
        return len(self._store)

    def graphs(self) -> list[GraphInfo]:
        rows = self._store.query(GRAPH_SIZES)
        counts = {row["g"].value: int(row["n"].value) for row in rows}
        names = {g.value for g in self._store.named_graphs()}
        return [GraphInfo(iri, counts.get(iri, 0)) for iri in sorted(names | set(counts))]

    def graph_names(self) -> list[str]:
        """The named graphs without their sizes: ``graphs`` counts every triple, 0.6 s at 1M."""
        return sorted(g.value for g in self._store.named_graphs())

    def as_rdflib(self, graphs: list[str] | None = None) -> rdflib.Graph:
        """The union of ``graphs`` (default: all named graphs) as an rdflib graph, for validation.

        This copies triples into Python memory: fine for the gate on data of this project's size,
        the benchmark of issue 4 measures where it stops being fine.
        """
        return self.construct_rdflib(union_of(graphs))

    def construct_rdflib(self, sparql: str) -> rdflib.Graph:
        """The triples of a CONSTRUCT over the union graph, as an rdflib graph."""
        answer = self.query(sparql)
        if not isinstance(answer, ox.QueryTriples):
            raise BadQuery("expected a CONSTRUCT query")
        return rdflib.Graph().parse(data=ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES), format="nt")

    def fingerprint(self, graph: str) -> str:
        """A hash of one named graph's quads, to tell whether a change touched it."""
        lines = sorted(str(q) for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def add_ntriples(self, graph: str, data: bytes) -> None:
        """Add N-Triples ``data`` to ``graph`` (which exists afterwards, even if empty); see ``add_ntriples_file``."""
        with tempfile.TemporaryDirectory(prefix="hckg-nt-") as tmp:
            path = Path(tmp) / "data.nt"
            path.write_bytes(data)
            self.add_ntriples_file(graph, path)

    def add_ntriples_file(self, graph: str, path: Path) -> None:
        """Add the N-Triples file ``path`` to ``graph`` (which exists afterwards, even if empty).

        Not one transaction (the bulk loader): for a copy of the store or a fresh one only. Oxigraph's
        loaders give blank nodes new names, so the lines naming one are parsed instead, which keeps
        the names: they are nodes of this store (from a CONSTRUCT over it), not of a new file. The file
        is streamed, never read whole: at 5M triples a round of inference writes 300 MB of it.
        """
        node = ox.NamedNode(graph)
        if file_mentions(path, b"_:"):
            plain, blank = path.with_name(path.name + ".plain"), bytearray()
            with path.open("rb") as src, plain.open("wb") as dst:
                for line in src:
                    if b"_:" in line:
                        blank += line
                    else:
                        dst.write(line)
            self._store.bulk_load(path=str(plain), format=ox.RdfFormat.N_TRIPLES, to_graph=node)
            plain.unlink()
            self._store.extend(ox.Quad(t.subject, t.predicate, t.object, node)
                               for t in ox.parse(bytes(blank), ox.RdfFormat.N_TRIPLES))
        elif path.stat().st_size:
            self._store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=node)
        self._store.add_graph(node)

    def construct_to_file(self, sparql: str, path: Path) -> int:
        """Write a CONSTRUCT over the union graph to ``path`` as N-Triples, serialised by the engine (no
        Python term per triple); returns the file's size in bytes."""
        answer = self.query(sparql)
        if not isinstance(answer, ox.QueryTriples):
            raise BadQuery("expected a CONSTRUCT query")
        answer.serialize(str(path), ox.RdfFormat.N_TRIPLES)
        return path.stat().st_size

    def graph_size(self, graph: str) -> int:
        answer = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(next(iter(answer))["n"].value)  # type: ignore[index]

    def graph_exists(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def backup(self, target: Path) -> None:
        """A consistent copy of the store in ``target`` (hard links where possible: cheap)."""
        self._store.backup(str(target))

    def remove_graph(self, graph: str) -> None:
        self._store.remove_graph(ox.NamedNode(graph))

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, for tests and exports that compare contents."""
        return iter(self._store)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        if fmt in DATASET_FORMATS:
            self._store.dump(output, fmt)
            return
        union = self._store.query(UNION)
        ox.serialize(union, output, fmt, prefixes=PREFIXES)

    def staged(self, keep_live: bool = True) -> OxigraphCopy:
        """A writable checkpoint of this store beside it (hard links: cheap), or an empty store."""
        if self.link is None:
            raise StoreMissing(Path("(in memory)"))
        fresh = fresh_store_dir(self.link)
        try:
            if keep_live:
                shutil.rmtree(fresh)  # backup wants to create the directory itself
                self.backup(fresh)
            return OxigraphCopy(fresh, self.link)
        except BaseException:
            remove_copy(fresh)
            raise

    def materialise_rules(self, rules: tuple[InferenceRule, ...], graph: str, max_rounds: int) -> int | None:
        """None: ``hckg.gate.infer`` evaluates the rules itself, semi-naively, on this store."""
        return None

    def compact(self) -> None:
        """Merge the database's files into few, as ``oxigraph load`` leaves its stores.

        Why: a store as the build's bulk loads and inference rounds leave it has ~27 files that every read
        goes through; compacted it has ~13, and a small saved query costs ~25 % less CPU
        (docs/benchmarks-issue16.md, server section). Seconds at 1M, so only after a whole build.
        """
        self._store.optimize()

    def close(self) -> None:
        """Flush and release the on-disk lock (pyoxigraph closes the database when dropped); once."""
        if not hasattr(self, "_store"):
            return
        if self.writable and self.path is not None:
            self._store.flush()
        del self._store


class OxigraphCopy(OxigraphStore):
    """A writable copy of the embedded store in a sibling folder; ``commit`` swaps it in atomically."""

    def __init__(self, fresh: Path, link: Path) -> None:
        super().__init__(fresh, writable=True, link=link)
        self._committed = False

    def commit(self) -> None:
        assert self.path is not None and self.link is not None
        self.close()
        swap_in(self.path, self.link)
        self._committed = True

    def discard(self) -> None:
        if self._committed:
            return
        self.close()
        if self.path is not None:
            remove_copy(self.path)


THREADS = max(1, min(4, os.cpu_count() or 1))
"""Queries run side by side: pyoxigraph lets go of the GIL while it evaluates one (two rule queries at
1M: 3.5 s together against 6.2 s one after the other, on 2 cores)."""

T = TypeVar("T")
R = TypeVar("R")


def in_parallel(work: Callable[[T], R], items: list[T]) -> list[R]:
    """``[work(item) for item in items]`` on ``THREADS`` threads, answers in the order of ``items``."""
    if THREADS == 1 or len(items) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(work, items))


def file_mentions(path: Path, needle: bytes) -> bool:
    """True when the file holds ``needle`` (a memory map: the file is not read into Python)."""
    if not path.stat().st_size:
        return False
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        return mapped.find(needle) != -1


def open_store(path: Path) -> OxigraphStore:
    """Open the built store at ``path`` read-only; raises StoreMissing before the first build."""
    return OxigraphStore(path.resolve() if path.exists() else path, link=path)


def fresh_store_dir(target: Path) -> Path:
    """A new, empty sibling directory for a build that will replace ``target``.

    Claimed (``hckg.store.leftovers``) before it exists, until ``swap_in`` or ``remove_copy``: so
    the removal of copies left by killed writes never takes it.
    """
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    fresh = parent / f".{target.name}-{uuid.uuid4().hex[:12]}"
    claim(fresh)
    fresh.mkdir()
    return fresh


def remove_copy(fresh: Path) -> None:
    """Throw away a copy ``fresh_store_dir`` made, and its claim."""
    shutil.rmtree(fresh, ignore_errors=True)
    release(fresh)


def swap_in(fresh: Path, target: Path) -> None:
    """Make ``target`` point at ``fresh`` in one atomic step, then remove the previous build.

    ``target`` is a symlink to the current build directory; ``os.replace`` of a symlink is atomic
    on POSIX, so a reader (or a crash) sees the old store or the new one, never a mix.
    """
    target = target.absolute()
    previous = target.resolve() if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        # A store directory from before symlinks: move it aside first (not atomic, once only).
        previous = target.with_name(f".{target.name}-legacy-{uuid.uuid4().hex[:8]}")
        target.rename(previous)
    link = target.with_name(f".{target.name}-link-{uuid.uuid4().hex[:8]}")
    link.symlink_to(fresh.name)
    os.replace(link, target)
    release(fresh)  # the current store now: never a leftover
    if previous is not None and previous.exists() and previous != fresh:
        shutil.rmtree(previous, ignore_errors=True)
