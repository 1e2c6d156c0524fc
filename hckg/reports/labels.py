"""One label per IRI for the IRIs of an answer, fetched in one query (``internal/labels-of-iris.rq``).

Pages show a name where an answer has an IRI. Asking per IRI would cost one query per cell, so the
IRIs go into one VALUES block. The label chosen: skos:prefLabel before rdfs:label, then the
language asked for (Dutch by default, as the roadmap is Dutch), English, untagged, any other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from hckg.queries.catalog import load_query
from hckg.queries.running import insert_values, internal, select
from hckg.store.base import Store

PREFERRED_PREDICATES = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label")
MAX_IRIS = 5000
"""More IRIs than this are looked up in several queries, to keep one query's text bounded."""


def labels_of(store: Store, iris: Iterable[str], language: str = "nl", queries_dir: Path | None = None) -> dict[str, str]:
    """``{iri: label}`` for those of ``iris`` that have a label in the store; the others are left out."""
    unique = list(dict.fromkeys(i for i in iris if i))
    if not unique:
        return {}
    query = load_query(internal("labels-of-iris.rq", queries_dir))
    order = (language, "en", "")
    best: dict[str, tuple[int, int, int, str]] = {}
    for start in range(0, len(unique), MAX_IRIS):
        chunk = tuple(ox.NamedNode(i) for i in unique[start:start + MAX_IRIS])
        for row in select(store.query(insert_values(query.sparql, {"resource": chunk}))):
            label = row["label"]
            assert isinstance(label, ox.Literal)
            lang = label.language or ""
            rank = (PREFERRED_PREDICATES.index(row["predicate"].value),  # type: ignore[union-attr]
                    order.index(lang) if lang in order else len(order), len(label.value), label.value)
            iri = row["resource"].value  # type: ignore[union-attr]
            if iri not in best or rank < best[iri]:
                best[iri] = rank
    return {iri: rank[3] for iri, rank in best.items()}
