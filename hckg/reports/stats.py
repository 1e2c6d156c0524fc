"""What the store holds: triples, named graphs and resources per class (`hckg stats`)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..queries.running import internal, run_text
from ..store.base import GraphInfo, Store


@dataclass(frozen=True)
class Summary:
    triples: int
    graphs: list[GraphInfo]
    classes: list[tuple[str, int]]
    """(class IRI, resources of that class or a subclass), most first."""

    def count(self, class_iri: str) -> int:
        return dict(self.classes).get(class_iri, 0)


def summarise(store: Store) -> Summary:
    graphs = store.graphs()
    answer = run_text(store, internal("class-counts.rq"), {})
    assert isinstance(answer, ox.QuerySolutions)
    classes = [(row["class"].value, int(row["count"].value)) for row in answer]
    return Summary(sum(g.triples for g in graphs), graphs, classes)
