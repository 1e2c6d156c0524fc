"""The fast validation gate: the shapes compiled to SPARQL (``hckg.shacl_sparql``), run in Oxigraph.

A load writes its graph into a copy of the store (``hckg.load``); this module then checks the copy
as it would be after the load. Only focus nodes a change can affect are checked: the ends of the
added or removed triples that a check can read, widened hop by hop backwards along the steps the
shapes' paths take, as far as the furthest-reading check needs (its ``reach``). A change to class
or property axioms checks everything. The focus set lives in a scratch named graph of the copy, so blank nodes and literals
take part like any other node, and it is removed before the copy replaces the store.

A full check (``hckg build``) leaves the focus slot empty and checks every target.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .iris import SCRATCH
from .shacl_sparql import FOCUS_SLOT, SUBCLASSES, Check, Steps, compile_shapes, path_steps
from .store import OxigraphStore
from .validate import Violation, load_shapes, unique_sorted

FOCUS_GRAPH = SCRATCH + "gate-focus"
NODE = SCRATCH + "gate-node"
WITHIN = SCRATCH + "gate-within"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SUBPROPERTY = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
OWL_INVERSE = "http://www.w3.org/2002/07/owl#inverseOf"
SCHEMA_PREDICATES = (SUBCLASS, SUBPROPERTY, OWL_INVERSE, "http://www.w3.org/2002/07/owl#equivalentClass",
                     "http://www.w3.org/2002/07/owl#equivalentProperty")
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


@lru_cache(maxsize=4)
def _steps(shapes_dir: Path, stamp: tuple[tuple[str, float], ...]) -> Steps:
    return path_steps(load_shapes(shapes_dir))


def steps(shapes_dir: Path) -> Steps:
    """The predicates the shapes' paths cross, by direction, once per version of the shapes."""
    return _steps(shapes_dir.resolve(), _stamp(shapes_dir))


def _values(predicates: frozenset[str] | set[str]) -> str:
    return " ".join(f"<{p}>" for p in sorted(predicates))


def _backwards(store: OxigraphStore, crossed: Steps) -> set[str]:
    """Predicates whose objects a check can reach: crossed backwards, or entailed into one that is.

    An inverse or super-property in the inferred graph turns (s P o) into a triple about o, so the
    object end of P counts as touched too.
    """
    found = set(crossed.inverse)
    rows = store.query(f"""SELECT DISTINCT ?p WHERE {{
        {{ ?p <{OWL_INVERSE}> ?q }} UNION {{ ?q <{OWL_INVERSE}> ?p }} UNION {{ ?p <{SUBPROPERTY}> ?q }} }}""")
    found.update(row["p"].value for row in rows)  # type: ignore[index]
    return found


def seed(store: OxigraphStore, graph: str, crossed: Steps) -> None:
    """Mark the ends of the triples of ``graph`` a check can read (call before and after changing it).

    A check reads a triple from its subject when its path crosses the predicate forwards (or reads
    the subject's rdf:type), from its object when it crosses it backwards; only those ends are seeds.
    """
    store.update(f"""
        INSERT {{ GRAPH <{FOCUS_GRAPH}> {{ [] <{NODE}> ?n ; <{WITHIN}> 0 }} }}
        WHERE {{ SELECT DISTINCT ?n WHERE {{
            {{ GRAPH <{graph}> {{ ?n ?p ?o }} }} UNION
            {{ VALUES ?p {{ {_values(_backwards(store, crossed))} }} GRAPH <{graph}> {{ ?s ?p ?n }} }}
            UNION {{ BIND(<{graph}> AS ?n) }}
        }} }}""")


def widen(store: OxigraphStore, hops: int, crossed: Steps) -> int:
    """Add, ``hops`` times, the nodes whose paths lead into a marked node; returns how many are marked.

    Only steps a shape's path takes count, in its direction: a community that merely shares a
    province with a new one is not reached, since no path walks from a province back to it.
    """
    for level in range(hops):
        store.update(f"""
            INSERT {{ GRAPH <{FOCUS_GRAPH}> {{ [] <{NODE}> ?m ; <{WITHIN}> {level + 1} }} }}
            WHERE {{
                {{ SELECT DISTINCT ?m WHERE {{
                    GRAPH <{FOCUS_GRAPH}> {{ ?e <{NODE}> ?n ; <{WITHIN}> {level} }}
                    {{ VALUES ?p {{ {_values(crossed.forward)} }} GRAPH ?g {{ ?m ?p ?n }} }} UNION
                    {{ VALUES ?p {{ {_values(crossed.inverse)} }} GRAPH ?g {{ ?n ?p ?m }} }}
                    FILTER(?g != <{FOCUS_GRAPH}>)
                }} }}
                FILTER NOT EXISTS {{ GRAPH <{FOCUS_GRAPH}> {{ ?x <{NODE}> ?m }} }}
            }}""")
    rows = store.query(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ GRAPH <{FOCUS_GRAPH}> {{ ?e <{NODE}> ?n }} }}")
    return int(next(iter(rows))["c"].value)  # type: ignore[index]


def changes_schema(store: OxigraphStore, graph: str) -> bool:
    """True when ``graph`` holds class or property axioms: then every focus node may be affected."""
    answer = store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} VALUES ?p {{ {_values(set(SCHEMA_PREDICATES))} }} }}")
    return bool(answer)


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


def runnable(store: OxigraphStore, check: Check, focused: bool, cache: dict[str, str] | None = None) -> str:
    """The SPARQL text of ``check`` with its focus and subclass slots filled in from the store."""
    cache = {} if cache is None else cache

    def fill(match: re.Match[str]) -> str:
        if match.group(0) not in cache:
            wanted = match.group(2).strip()
            # One path per class, not `VALUES ?top {..} ?c subClassOf* ?top`: Virtuoso 7.2 refuses a path
            # whose end comes from a VALUES block of several terms ("transitive start not given").
            paths = " UNION ".join(f"{{ ?c <{SUBCLASS}>* {top} }}" for top in wanted.split())
            rows = store.query(f"SELECT DISTINCT ?c WHERE {{ {paths} }}")
            found = sorted({f"<{row['c'].value}>" for row in rows} | set(wanted.split()))  # type: ignore[index]
            cache[match.group(0)] = (", " if match.group(1) else " ").join(found)
        return cache[match.group(0)]

    return SUBCLASSES.sub(fill, check.sparql.replace(FOCUS_SLOT, _focus_pattern(check) if focused else ""))


def run_checks(store: OxigraphStore, checks: tuple[Check, ...] | list[Check], focused: bool,
               origins: Origins | None = None) -> list[Violation]:
    """Every result of ``checks`` on the store: only touched focus nodes when ``focused``."""
    found: list[Violation] = []
    cache: dict[str, str] = {}
    for check in checks:
        answer = store.query(runnable(store, check, focused, cache))
        assert isinstance(answer, ox.QuerySolutions)
        found += _violations(check, answer, origins or {})
    return unique_sorted(found)


def blocking(violations: list[Violation]) -> list[Violation]:
    """The results that refuse a load (warnings are reported elsewhere, never block)."""
    return [v for v in violations if v.severity == "Violation"]
