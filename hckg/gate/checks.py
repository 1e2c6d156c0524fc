"""The fast validation gate: the shapes compiled to SPARQL (``hckg.gate.shacl_sparql``), run in Oxigraph.

A load writes its graph into a copy of the store (``hckg.gate.write``); this module then checks the copy
as it would be after the load. Only focus nodes a change can affect are checked: the ends of the
added or removed triples that a check can read, widened hop by hop backwards along the steps the
shapes' paths take, as far as the furthest-reading check needs (its ``reach``). A change to class
or property axioms checks everything. The focus set lives in a scratch named graph of the copy, so blank nodes and literals
take part like any other node, and it is removed before the copy replaces the store.

A full check (``hckg build``) leaves the focus slot empty and checks every target.

Oxigraph joins the patterns of one basic graph pattern by index lookups from the rows it has, but
hashes whatever sits in a subquery, a GRAPH block or a VALUES block and reads all of it. So each
check comes in up to three forms (``hckg.gate.shacl_sparql.Check``): for a focus set, one basic graph
pattern that starts at the focus nodes; for a full check of a large shape, a ``whole`` form that
finds what breaks the rule over the whole store and then keeps it to the shape's targets; otherwise
the row-by-row ``sparql``. Tests hold every form to pySHACL's results (tests/test_shacl_sparql.py).
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..iris import FOCUS_GRAPH, SCRATCH
from .shacl_sparql import FOCUS_SLOT, SUBCLASSES, Check, Steps, compile_shapes, path_steps
from ..store.base import Store, StoreCopy
from ..store.oxigraph import in_parallel
from .validate import Violation, load_shapes, unique_sorted

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


def _listed(predicates: frozenset[str] | set[str]) -> str:
    return ", ".join(f"<{p}>" for p in sorted(predicates))


def _backwards(store: Store, crossed: Steps) -> set[str]:
    """Predicates whose objects a check can reach: crossed backwards, or entailed into one that is.

    The inferred graph turns (s P o) into (s Q o) for each super-property Q of P, and into (o R s)
    for each inverse R of such a Q. The object end counts as touched only when that matters: Q is
    crossed backwards, or an inverse makes o the subject of a triple. Counting every sub-property's
    object (as before) put every organisation of a new community in focus, and with it every other
    community that shares one: 14,014 nodes for 20 new communities at 1M triples (bench/validate.py).
    """
    inverse = store.query(f"SELECT ?p ?q WHERE {{ ?p <{OWL_INVERSE}> ?q }}")
    sub = store.query(f"SELECT ?p ?q WHERE {{ ?p <{SUBPROPERTY}> ?q FILTER(isIRI(?p) && isIRI(?q)) }}")
    wanted = set(crossed.inverse)
    for row in inverse:
        wanted |= {row["p"].value, row["q"].value}  # type: ignore[index]
    supers: dict[str, set[str]] = {}
    for row in sub:
        supers.setdefault(row["p"].value, set()).add(row["q"].value)  # type: ignore[index]
    return {p for p in set(supers) | wanted if _reaches(p, supers, wanted)}


def _reaches(start: str, supers: dict[str, set[str]], wanted: set[str]) -> bool:
    """Whether ``start`` or one of its super-properties (transitively) is in ``wanted``."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        p = todo.pop()
        if p in wanted:
            return True
        if p not in seen:
            seen.add(p)
            todo += supers.get(p, ())
    return False


def seed(store: StoreCopy, graph: str, crossed: Steps) -> None:
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


def widen(store: StoreCopy, hops: int, crossed: Steps) -> int:
    """Add, ``hops`` times, the nodes whose paths lead into a marked node; returns how many are marked.

    Only steps a shape's path takes count, in its direction: a community that merely shares a
    province with a new one is not reached, since no path walks from a province back to it.
    """
    # Each branch is one pattern from the marked nodes outwards, so Oxigraph looks their neighbours up
    # instead of hashing every triple of the crossed predicates (a VALUES list of predicates outside
    # the GRAPH block did that: 0.055 s against 0.006 s for 40 marked nodes at 1M triples).
    marked = f"GRAPH <{FOCUS_GRAPH}> {{ ?e <{NODE}> ?n ; <{WITHIN}> {{level}} }}"
    branches = []
    if crossed.forward:
        branches.append(f"{{ {marked} GRAPH ?g {{ ?m ?p ?n }} FILTER(?p IN ({_listed(crossed.forward)})) }}")
    if crossed.inverse:
        branches.append(f"{{ {marked} GRAPH ?g {{ ?n ?p ?m }} FILTER(?p IN ({_listed(crossed.inverse)})) }}")
    for level in range(hops if branches else 0):
        store.update(f"""
            INSERT {{ GRAPH <{FOCUS_GRAPH}> {{ [] <{NODE}> ?m ; <{WITHIN}> {level + 1} }} }}
            WHERE {{ SELECT DISTINCT ?m WHERE {{
                {" UNION ".join(branches).replace("{level}", str(level))}
                FILTER NOT EXISTS {{ GRAPH <{FOCUS_GRAPH}> {{ ?x <{NODE}> ?m }} }}
            }} }}""")
    rows = store.query(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ GRAPH <{FOCUS_GRAPH}> {{ ?e <{NODE}> ?n }} }}")
    return int(next(iter(rows))["c"].value)  # type: ignore[index]


def changes_schema(store: Store, graph: str) -> bool:
    """True when ``graph`` holds class or property axioms: then every focus node may be affected."""
    answer = store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} VALUES ?p {{ {_values(set(SCHEMA_PREDICATES))} }} }}")
    return bool(answer)


def clear_focus(store: StoreCopy) -> None:
    store.update(f"DROP SILENT GRAPH <{FOCUS_GRAPH}>")


def _focus_pattern(check: Check) -> str:
    if check.reach is None:
        return ""  # unbounded reach: every target of the shape
    depth = max(check.reach - 1, 0)
    return f"GRAPH <{FOCUS_GRAPH}> {{ ?_f <{NODE}> ?this ; <{WITHIN}> ?_d FILTER(?_d <= {depth}) }}"


def _focus_triples(reach: int) -> str:
    """The focus set as triple patterns of the default graph (the union of all graphs holds the scratch
    graph too), so they join the check's own patterns in one basic graph pattern, lookup by lookup."""
    return f"?_f <{NODE}> ?this ; <{WITHIN}> ?_d . FILTER(?_d <= {max(reach - 1, 0)})"


def _violations(check: Check, rows: list[ox.QuerySolution], variables: set[str], origins: Origins) -> list[Violation]:
    found = []
    for row in rows:
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


WHOLE_FROM = 5000
"""Targets from which a full check uses a check's ``whole`` form (what breaks the rule found over the
whole store, then kept to the targets). Below it the row-by-row form is cheaper: it reads only the
targets' triples, while the whole form reads every triple of the path's predicate."""


WHOLE_SHARE = 4
"""The whole form is used only when the targets are at least 1/WHOLE_SHARE of the triples it reads."""


def runnable(store: Store, check: Check, focused: bool, cache: dict[str, str] | None = None,
             whole: bool | None = None) -> str:
    """The SPARQL text of ``check`` with its focus and subclass slots filled in from the store.

    A full check (not ``focused``) of a shape with at least ``WHOLE_FROM`` targets uses the check's
    ``whole`` form; ``whole`` True or False forces the choice (tests compare both forms). The rows
    of a ``whole`` form that is not ``whole_targeted`` still have to be kept to the shape's targets
    (``run_checks`` does that).
    """
    cache = {} if cache is None else cache
    form = _form(store, check, focused, cache, whole)
    if form == "whole":
        return _filled(store, check.whole or "", cache)
    if form == "focused":
        return _filled(store, (check.focused or "").replace(FOCUS_SLOT, _focus_triples(check.reach or 0)), cache)
    return _filled(store, check.sparql.replace(FOCUS_SLOT, _focus_pattern(check) if focused else ""), cache)


def _filled(store: Store, sparql: str, cache: dict[str, str]) -> str:
    """``sparql`` with each subclass slot replaced by the classes the store says it names."""
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

    return SUBCLASSES.sub(fill, sparql)


def _form(store: Store, check: Check, focused: bool, cache: dict[str, str], whole: bool | None) -> str:
    if focused:
        return "focused" if check.focused is not None and check.reach is not None else "sparql"
    if check.whole is None or whole is False:
        return "sparql"
    if whole:
        return "whole"
    targets = _filled(store, check.targets, cache)
    key = "count " + targets
    if key not in cache:
        # Rows, not distinct targets: enough to choose a form, and without the DISTINCT the count
        # took 0.34 s instead of 0.83 s for the 200k labelled resources at 1M triples.
        rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {targets.replace('SELECT DISTINCT ?this', 'SELECT ?this', 1)} }}")
        cache[key] = next(iter(rows))["n"].value  # type: ignore[index]
    count = int(cache[key])
    if count < WHOLE_FROM:
        return "sparql"
    if check.scans is not None:
        # The whole form reads every triple of the predicate; the row-by-row form only the targets'
        # (DutchLabel of 10k organisations: 2.0 s row by row, 4.8 s reading the 200k labels at 1M).
        key = f"count <{check.scans}>"
        if key not in cache:
            rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{check.scans}> ?o }}")
            cache[key] = next(iter(rows))["n"].value  # type: ignore[index]
        if count * WHOLE_SHARE < int(cache[key]):
            return "sparql"
    return "whole"


ASK_AT_MOST = 200
"""Candidates up to which their targets are looked up one by one; beyond, the targets are read once."""

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def _in_targets(store: Store, check: Check, candidates: set[Term], cache: dict[str, str],
                sets: dict[str, set[Term]]) -> set[Term]:
    """The candidates that are targets of the check's shape.

    One ASK per candidate, with the node written into the target patterns; a blank node cannot be
    written into a query, so then (or for many candidates) the targets are read, once per run.
    """
    targets = _filled(store, check.targets, cache)
    if len(candidates) > ASK_AT_MOST or any(isinstance(c, ox.BlankNode) for c in candidates):
        if targets not in sets:
            sets[targets] = {row["this"] for row in store.query(f"SELECT ?this WHERE {{ {targets} }}")}  # type: ignore[index]
        return candidates & sets[targets]
    heads = " UNION ".join(f"{{ {_filled(store, head, cache)} }}" for head in check.target_heads)
    inside = set()
    for candidate in candidates:
        key = f"target {targets} {candidate}"
        if key not in cache:
            cache[key] = str(bool(store.query(f"ASK {{ {_THIS.sub(lambda _: str(candidate), heads)} }}")))
        if cache[key] == "True":
            inside.add(candidate)
    return inside


_THIS = re.compile(r"\?this\b")


def run_checks(store: Store, checks: tuple[Check, ...] | list[Check], focused: bool,
               origins: Origins | None = None, whole: bool | None = None,
               timings: list[tuple[float, Check]] | None = None) -> list[Violation]:
    """Every result of ``checks`` on the store: only touched focus nodes when ``focused``.

    ``whole`` forces (True) or forbids (False) the whole-store form of a full check; None picks it
    by the number of targets (``runnable``). ``timings``, when given, receives the seconds each
    check took (bench/validate.py --profile).
    """
    cache: dict[str, str] = {}
    sets: dict[str, set[Term]] = {}

    def one(check: Check) -> list[Violation]:
        # Threads share the caches: a race only computes an entry twice, with the same value.
        start = time.perf_counter()
        if check.proof and getattr(store, "counts_before_negation", False) and \
                _form(store, check, focused, cache, whole) == "whole" and _proved(store, check, cache):
            if timings is not None:
                timings.append((time.perf_counter() - start, check))
            return []
        answer = store.query(runnable(store, check, focused, cache, whole))
        assert isinstance(answer, ox.QuerySolutions)
        variables = {v.value for v in answer.variables}
        rows = list(answer)
        if rows and _form(store, check, focused, cache, whole) == "whole" and not check.whole_targeted:
            inside = _in_targets(store, check, {row["this"] for row in rows}, cache, sets)  # type: ignore[misc]
            rows = [row for row in rows if row["this"] in inside]
        if timings is not None:
            timings.append((time.perf_counter() - start, check))
        return _violations(check, rows, variables, origins or {})

    found = [violation for part in in_parallel(one, list(checks)) for violation in part]
    return unique_sorted(found)


def _proved(store: Store, check: Check, cache: dict[str, str]) -> bool:
    """Whether the check's two counts (``Check.proof``) are equal, so that its whole form finds nothing."""
    counts = []
    for text in check.proof or ():
        rows = store.query(_filled(store, text, cache))
        counts.append(next(iter(rows))["n"].value)  # type: ignore[index]
    return len(counts) == 2 and counts[0] == counts[1]


def blocking(violations: list[Violation]) -> list[Violation]:
    """The results that refuse a load (warnings are reported elsewhere, never block)."""
    return [v for v in violations if v.severity == "Violation"]
