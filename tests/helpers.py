"""Small helpers for tests: rows of a SELECT as plain dicts, and a store's full content."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from hckg.formats import json_rows
from hckg.store import OxigraphStore, open_store


def select(store: OxigraphStore, sparql: str) -> list[dict[str, str]]:
    answer = store.query(sparql)
    assert isinstance(answer, ox.QuerySolutions)
    return json_rows(answer)


def sorted_nquads(path: Path) -> list[str]:
    """Every quad of the store at ``path`` as sorted N-Quads lines: equal lists, equal stores."""
    store = open_store(path)
    try:
        return sorted(str(q) for q in store.quads())
    finally:
        store.close()
