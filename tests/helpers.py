"""Small helpers for tests: rows of a SELECT as plain dicts, and a store's full content."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from hckg.formats import json_rows
from hckg.store.oxigraph import OxigraphStore, open_store


def select(store: OxigraphStore, sparql: str) -> list[dict[str, str]]:
    answer = store.query(sparql)
    assert isinstance(answer, ox.QuerySolutions)
    return json_rows(answer)


TIMESTAMPS = ("http://www.w3.org/ns/prov#generatedAtTime", "http://www.w3.org/ns/prov#endedAtTime")


def sorted_nquads(path: Path, ignore_timestamps: bool = False) -> list[str]:
    """Every quad of the store at ``path`` as sorted N-Quads lines: equal lists, equal stores.

    ``ignore_timestamps`` leaves out the PROV times, which a change followed by its undo renews.
    """
    store = open_store(path)
    try:
        return sorted(str(q) for q in store.quads()
                      if not (ignore_timestamps and q.predicate.value in TIMESTAMPS))
    finally:
        store.close()
