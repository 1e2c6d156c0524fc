"""`hckg pubs import`: read files, drop or refuse bad records, dedupe, write one graph per file.

Without ``skip_bad`` one bad record refuses the whole import (every bad record is named) and nothing
is written; with it the good records are written and the bad ones reported. Either way the writes go
through the validation gate together (``write.write_graphs``), so a gate refusal also writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import URIRef

from ..config import Settings
from ..errors import HckgError, SourceError
from ..iris import GRAPH, slugify
from ..queries.running import internal_records
from ..store.open import open_configured_store
from ..store.oxigraph import OxigraphStore
from .dedupe import Registry, title_key
from .readers import read_file
from .records import BadRecord, Record
from .to_rdf import Organisations, add_publication, empty_graph
from ..gate.lock import holding_write_lock
from ..gate.write import GraphWrite, digest, write_graphs


class ImportRefused(HckgError):
    """Bad records without ``--skip-bad``: nothing was written."""

    def __init__(self, bad: list[HckgError]) -> None:
        self.bad = bad
        shown = "\n  ".join(str(b) for b in bad[:20])
        more = f"\n  ... and {len(bad) - 20} more" if len(bad) > 20 else ""
        super().__init__(f"{len(bad)} bad record(s); nothing imported, store unchanged "
                         f"(--skip-bad imports the good ones):\n  {shown}{more}")


@dataclass
class FileReport:
    path: str
    graph: str
    new: int
    duplicates: int
    triples: int


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    bad: list[HckgError] = field(default_factory=list)


def graph_for_file(path: Path) -> str:
    return str(GRAPH["pubs/" + (slugify(path.stem) or "file")])


def organisations(store: OxigraphStore) -> Organisations:
    found = Organisations()
    for row in internal_records(store, "pubs-organisations.rq"):
        found.add(URIRef(row["organisation"]), row.get("name"), row.get("identifier"))
    return found


def registry(store: OxigraphStore, leaving: set[str]) -> Registry:
    """The works the store holds, except those described only in graphs about to be replaced."""
    found = Registry()
    for row in internal_records(store, "pubs-known.rq"):
        if row["graph"] in leaving:
            continue
        year = int(row["year"]) if row.get("year", "").isdigit() else None
        found.add(URIRef(row["publication"]), row.get("doi"), title_key(row["title"], year, row.get("family", "")), "store")
    return found


@holding_write_lock
def import_files(settings: Settings, paths: list[Path], skip_bad: bool = False, graph: str | None = None,
                 replace: bool = False, synthetic: bool = False,
                 progress: Callable[[str, int, int], None] | None = None) -> ImportReport:
    """Import ``paths``; raises ImportRefused (bad records or files) or ValidationFailed; then nothing is written.

    ``progress(label, done, total)`` hears of each file read and of the write (the CLI draws a bar with it).
    """
    if graph and len(paths) != 1:
        raise HckgError(f"--graph names one graph, but {len(paths)} files were given; import them one by one")
    store = open_configured_store(settings)
    existing = {g.iri for g in store.graphs()}
    targets = {path: graph or graph_for_file(path) for path in paths}
    if len(set(targets.values())) != len(targets):
        raise HckgError("two files map to the same graph (same file name); rename one or import them separately")
    clashes = sorted(g for g in targets.values() if g in existing)
    if clashes and not replace:
        raise HckgError(f"graph {clashes[0]} already exists; use --replace to replace it; store unchanged")
    report = ImportReport()
    read: list[tuple[Path, list[Record]]] = []
    for done, path in enumerate(paths):
        if progress:
            progress(f"reading {path.name}", done, len(paths) + 1)
        try:
            entries = read_file(path)
        except (SourceError, BadRecord) as err:
            report.bad.append(err)  # a file that cannot be read at all is reported with the bad records
            continue
        report.bad += [e for e in entries if isinstance(e, BadRecord)]
        read.append((path, [e for e in entries if isinstance(e, Record)]))
    if report.bad and not skip_bad:
        raise ImportRefused(report.bad)
    known = registry(store, set(targets.values()))
    orgs = organisations(store)
    writes = []
    for path, records in read:
        if not records:
            continue
        target = URIRef(targets[path])
        triples = empty_graph()
        origins: dict[str, tuple[str, int | None]] = {}
        new = 0
        for record in records:
            iri, first = known.claim(record)
            add_publication(triples, record, iri, target, first, orgs)
            origins.setdefault(str(iri), (f"{path} entry {record.key!r}", record.line))
            new += first
        writes.append(GraphWrite(str(target), triples, str(path), digest(path.read_bytes()), synthetic, origins))
        report.files.append(FileReport(str(path), str(target), new, len(records) - new, len(triples)))
    if writes:
        if progress:
            progress(f"checking and writing {len(writes)} graph(s)", len(paths), len(paths) + 1)
        write_graphs(settings, writes)
    return report
