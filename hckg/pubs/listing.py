"""The publications in the store, for `GET /api/publications` (and anyone who wants the list)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..queries import INTERNAL, run_text
from ..store import OxigraphStore


@dataclass(frozen=True)
class PublicationRow:
    iri: str
    doi: str
    title: str
    year: str
    sources: list[str]
    accepted_targets: list[str]


def list_publications(store: OxigraphStore) -> list[PublicationRow]:
    answer = run_text(store, INTERNAL / "pubs-publications.rq", {})
    assert isinstance(answer, ox.QuerySolutions)
    names = [v.value for v in answer.variables]
    found = []
    for row in answer:
        r = {n: row[n].value for n in names if row[n] is not None}
        found.append(PublicationRow(r["publication"], r.get("doi", ""), r["title"], r.get("year", ""),
                                    r.get("sources", "").split(), r.get("acceptedTargets", "").split()))
    return found
