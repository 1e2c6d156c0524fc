"""What each named graph is and where it came from, read back from the ``graph/meta`` graph."""

from __future__ import annotations

from dataclasses import dataclass

from ..queries.running import internal, run_text, select
from ..store.base import Store


@dataclass(frozen=True)
class GraphRecord:
    iri: str
    triples: int
    source_file: str
    loaded_at: str
    kind: str


def graph_records(store: Store) -> list[GraphRecord]:
    """Every named graph with its triple count and provenance ('' where none is recorded)."""
    described = {
        row["graph"].value: row  # type: ignore[index]
        for row in select(run_text(store, internal("graph-provenance.rq"), {}))
    }
    records = []
    for info in store.graphs():
        row = described.get(info.iri)

        def cell(name: str) -> str:
            term = row[name] if row is not None else None
            return "" if term is None else term.value.rsplit("#", 1)[-1]

        records.append(GraphRecord(info.iri, info.triples, cell("file"), cell("at"), cell("kind")))
    return records
