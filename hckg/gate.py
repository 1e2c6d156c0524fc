"""The fast validation gate: the shapes compiled to SPARQL (``hckg.shacl_sparql``), run in Oxigraph.

A load writes its graph into a copy of the store (``hckg.load``); this module then checks the copy
as it would be after the load. Only focus nodes a change can affect are checked: the ends of every
added or removed triple, widened hop by hop as far as the furthest-reading check needs (its
``reach``). The focus set lives in a scratch named graph of the copy, so blank nodes and literals
take part like any other node, and it is removed before the copy replaces the store.

A full check (``hckg build``) leaves the focus slot empty and checks every target.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .iris import SCRATCH
from .shacl_sparql import FOCUS_SLOT, Check, compile_shapes
from .store import OxigraphStore
from .validate import Violation, load_shapes, unique_sorted

FOCUS_GRAPH = SCRATCH + "gate-focus"
NODE = SCRATCH + "gate-node"
WITHIN = SCRATCH + "gate-within"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")

Origins = dict[str, tuple[str, int | None]]


def _stamp(shapes_dir: Path) -> tuple[tuple[str, float], ...]:
    return tuple((p.name, p.stat().st_mtime) for p in sorted(shapes_dir.glob("*.ttl")))


@lru_cache(maxsize=4)
def _compiled(shapes_dir: Path, stamp: tuple[tuple[str, float], ...]) -> tuple[Check, ...]:
    return tuple(compile_shapes(load_shapes(shapes_dir)))


def compiled(shapes_dir: Path) -> tuple[Check, ...]:
    """The checks of a shapes folder, compiled once per version of its files."""
    return _compiled(shapes_dir.resolve(), _stamp(shapes_dir))


def hops_needed(checks: tuple[Check, ...] | list[Check]) -> int:
    """How far the focus set must be widened from the changed triples' ends for these checks."""
    return max((c.reach - 1 for c in checks if c.reach is not None and c.reach > 1), default=0)


def seed(store: OxigraphStore, graph: str) -> None:
    """Mark the ends of every triple of ``graph`` as touched (call before and after changing it).

    Objects of rdf:type are left out: a class is no focus node, and its instances are reached
    through their own changed triples.
    """
    store.update(f"""
        INSERT {{ GRAPH <{FOCUS_GRAPH}> {{ [] <{NODE}> ?n ; <{WITHIN}> 0 }} }}
        WHERE {{ SELECT DISTINCT ?n WHERE {{
            {{ GRAPH <{graph}> {{ ?n ?p ?o }} }} UNION
            {{ GRAPH <{graph}> {{ ?s ?p ?n }} FILTER(?p != <{RDF_TYPE}>) }}
            UNION {{ BIND(<{graph}> AS ?n) }}
        }} }}""")


def widen(store: OxigraphStore, hops: int) -> int:
    """Add the neighbours of the touched nodes, ``hops`` times; returns how many nodes are marked."""
    for level in range(hops):
        store.update(f"""
            INSERT {{ GRAPH <{FOCUS_GRAPH}> {{ [] <{NODE}> ?m ; <{WITHIN}> {level + 1} }} }}
            WHERE {{
                {{ SELECT DISTINCT ?m WHERE {{
                    GRAPH <{FOCUS_GRAPH}> {{ ?e <{NODE}> ?n ; <{WITHIN}> {level} }}
                    {{ GRAPH ?g {{ ?m ?p ?n }} }} UNION {{ GRAPH ?g {{ ?n ?p ?m }} FILTER(?p != <{RDF_TYPE}>) }}
                    FILTER(?g != <{FOCUS_GRAPH}>)
                }} }}
                FILTER NOT EXISTS {{ GRAPH <{FOCUS_GRAPH}> {{ ?x <{NODE}> ?m }} }}
            }}""")
    rows = store.query(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ GRAPH <{FOCUS_GRAPH}> {{ ?e <{NODE}> ?n }} }}")
    return int(next(iter(rows))["c"].value)  # type: ignore[index]


def clear_focus(store: OxigraphStore) -> None:
    store.update(f"DROP SILENT GRAPH <{FOCUS_GRAPH}>")


def _focus_pattern(check: Check) -> str:
    if check.reach is None:
        return ""  # unbounded reach: every target of the shape
    depth = max(check.reach - 1, 0)
    return f"GRAPH <{FOCUS_GRAPH}> {{ ?_f <{NODE}> ?this ; <{WITHIN}> ?_d FILTER(?_d <= {depth}) }}"


def _violations(check: Check, answer: ox.QuerySolutions, origins: Origins) -> list[Violation]:
    variables = {v.value for v in answer.variables}
    found = []
    for row in answer:
        focus = row["this"]
        value = row[check.value_from] if check.value_from and check.value_from in variables else None
        messages = check.messages
        if check.templates:
            messages = {lang: _TEMPLATE.sub(lambda m: row[m.group(1)].value if m.group(1) in variables
                                            and row[m.group(1)] is not None else m.group(0), text)
                        for lang, text in check.messages.items()}
        source, line = origins.get(focus.value, (None, None))
        found.append(Violation(focus.value, check.path, value.value if value is not None else None,
                               check.severity, check.shape, messages, source, line))
    return found


def run_checks(store: OxigraphStore, checks: tuple[Check, ...] | list[Check], focused: bool,
               origins: Origins | None = None) -> list[Violation]:
    """Every result of ``checks`` on the store: only touched focus nodes when ``focused``."""
    found: list[Violation] = []
    for check in checks:
        sparql = check.sparql.replace(FOCUS_SLOT, _focus_pattern(check) if focused else "")
        answer = store.query(sparql)
        assert isinstance(answer, ox.QuerySolutions)
        found += _violations(check, answer, origins or {})
    return unique_sorted(found)


def blocking(violations: list[Violation]) -> list[Violation]:
    """The results that refuse a load (warnings are reported elsewhere, never block)."""
    return [v for v in violations if v.severity == "Violation"]
