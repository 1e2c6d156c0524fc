"""A query answer as the pages show it: rows of RDF terms (SPARQL JSON) plus a label for each IRI.

The templates (``macros.html``: ``answer``) draw it; the labels come from the store in one query
(``hckg.reports.labels``), so a table shows "Fryslân" linked to /id/province/PV21 rather than the IRI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hckg.reports.labels import labels_of
from hckg.store.base import Store

from ..runtime.workers import Outcome


@dataclass(frozen=True)
class Answer:
    kind: str
    """``solutions``, ``boolean`` or ``graph`` (as ``Outcome.kind``)."""
    count: int
    truncated: bool
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    """SPARQL JSON bindings: variable → {"type", "value", "xml:lang"?, "datatype"?}."""
    labels: dict[str, str] = field(default_factory=dict)
    boolean: bool | None = None
    text: str = ""
    """A graph answer's serialisation."""


def answer_of(outcome: Outcome, store: Store, queries_dir: Path | None = None) -> Answer:
    """``outcome`` (a JSON results document, or a graph's text) with the labels of its IRIs."""
    if outcome.kind == "graph":
        return Answer("graph", outcome.count, outcome.truncated, text=outcome.body.decode("utf-8"))
    document = json.loads(outcome.body)
    if outcome.kind == "boolean":
        return Answer("boolean", outcome.count, outcome.truncated, boolean=bool(document["boolean"]))
    variables = list(document["head"].get("vars", []))
    rows = document["results"]["bindings"]
    iris = [b["value"] for row in rows for b in row.values() if b["type"] == "uri"]
    return Answer("solutions", outcome.count, outcome.truncated, variables, rows, labels_of(store, iris, queries_dir=queries_dir))
