"""Write named graphs through the one validation gate of ``hckg.load``, all or nothing.

No second gate: each graph goes through ``load.write_and_check`` inside one ``load.copy_on_write``,
so a copy of the store is changed and checked, and only a copy in which every graph conforms is
swapped in. One refused graph leaves the store exactly as it was, the other graphs included.
"""

from __future__ import annotations

import getpass
import hashlib
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from .. import load as gate_path
from ..config import Settings
from ..ingest import MappedSource, Source, provenance
from ..iris import META_GRAPH
from ..backend import open_configured_store
from ..store import OxigraphStore
from ..validate import ValidationFailed


@dataclass
class GraphWrite:
    """One named graph to write: its triples, what it came from, and where its subjects came from."""

    graph: str
    triples: rdflib.Graph
    label: str
    sha256: str
    synthetic: bool = False
    origins: dict[str, tuple[str, int | None]] = field(default_factory=dict)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _record(write: GraphWrite, at: datetime) -> rdflib.Graph:
    mapped = MappedSource(Source(Path(write.label), URIRef(write.graph), write.label), write.triples, write.sha256)
    record = provenance(mapped, at, write.synthetic)
    record.add((URIRef(write.graph), DCTERMS.creator, Literal(f"{getpass.getuser()}@{socket.gethostname()}")))
    return record


def write_graphs(settings: Settings, writes: list[GraphWrite], store: OxigraphStore | None = None) -> None:
    """Replace each graph of ``writes`` through the gate; raises ValidationFailed and writes nothing."""
    store = store or open_configured_store(settings)
    for write in writes:
        if gate_path.protected(write.graph):
            raise gate_path.GraphRefused(f"{write.graph} is written only by `hckg build`; store unchanged")
    meta = store.as_rdflib([str(META_GRAPH)])
    now = datetime.now(timezone.utc)
    for write in writes:
        gate_path.forget(meta, write.graph)
        meta += _record(write, now)

    def change(copy: OxigraphStore) -> None:
        for write in writes:
            if settings.gate == "pyshacl":
                copy.replace_graph(write.graph, write.triples)
                continue
            violations = gate_path.write_and_check(settings, copy, write.graph, write.triples, write.origins, meta)
            if violations:
                raise ValidationFailed(write.label, violations)
        if settings.gate == "pyshacl":
            gate_path.refresh_meta(copy, meta)
            violations = _pyshacl(settings, copy)
            if violations:
                raise ValidationFailed(", ".join(w.label for w in writes), violations)

    gate_path.copy_on_write(settings, store, change)


def _pyshacl(settings: Settings, copy: OxigraphStore) -> list:
    """The reference engine (``HCKG_GATE=pyshacl``) on the whole changed copy."""
    from ..infer import INFERRED_GRAPH
    from ..iris import ONTOLOGY_GRAPH
    from ..validate import check, load_shapes
    kept = [g.iri for g in copy.graphs() if g.iri not in (str(META_GRAPH), str(INFERRED_GRAPH))]
    return check(copy.as_rdflib(kept), load_shapes(settings.shapes_dir), copy.as_rdflib([str(ONTOLOGY_GRAPH)]), {})
