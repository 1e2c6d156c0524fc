"""One label per IRI for the IRIs of an answer, fetched in one query (``internal/labels-of-iris.rq``).

Pages show a name where an answer has an IRI. Asking per IRI would cost one query per cell, so the
IRIs go into one VALUES block. The label chosen: skos:prefLabel before rdfs:label, then the
language asked for (Dutch by default, as the roadmap is Dutch), English, untagged, any other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from hckg.queries.running import label_rows
from hckg.store.base import Store

PREFERRED_PREDICATES = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label")


def labels_of(store: Store, iris: Iterable[str], language: str = "nl", queries_dir: Path | None = None) -> dict[str, str]:
    """``{iri: label}`` for those of ``iris`` that have a label in the store; the others are left out.

    The rows come from ``hckg.queries.running.label_rows`` (one query per 5000 IRIs); notations and
    codes there are for matching what people type, not for showing, so only the two label predicates count.
    """
    order = (language, "en", "")
    best: dict[str, tuple[int, int, int, str]] = {}
    for iri, rows in label_rows(store, list(iris), queries_dir).items():
        for predicate, label in rows:
            if predicate not in PREFERRED_PREDICATES:
                continue
            lang = label.language or ""
            rank = (PREFERRED_PREDICATES.index(predicate), order.index(lang) if lang in order else len(order),
                    len(label.value), label.value)
            if iri not in best or rank < best[iri]:
                best[iri] = rank
    return {iri: rank[3] for iri, rank in best.items()}
