"""The publications in the store, for `GET /api/publications` (and anyone who wants the list)."""

from __future__ import annotations

from dataclasses import dataclass

from ..queries.running import internal_records
from ..store.oxigraph import OxigraphStore


@dataclass(frozen=True)
class PublicationRow:
    iri: str
    doi: str
    title: str
    year: str
    sources: list[str]
    accepted_targets: list[str]


def list_publications(store: OxigraphStore) -> list[PublicationRow]:
    found = []
    for r in internal_records(store, "pubs-publications.rq"):
        found.append(PublicationRow(r["publication"], r.get("doi", ""), r["title"], r.get("year", ""),
                                    r.get("sources", "").split(), r.get("acceptedTargets", "").split()))
    return found
