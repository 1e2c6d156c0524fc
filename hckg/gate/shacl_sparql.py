"""Compile SHACL shapes (Turtle, the source of truth) into SPARQL SELECT queries, one per constraint.

pySHACL walks the data graph in Python and runs an ``sh:sparql`` rule once per focus node: 72.8 s
at 1M triples, and no answer at 100k with one SPARQL rule (../shared/MEASURED.md). The same shapes
as SPARQL on Oxigraph took 9.6 s at 1M with the same violations. This module writes that SPARQL
from the shapes themselves, so the shapes stay the one place a rule is said.

Each ``Check`` selects ``?this`` (the focus node) and, for constraints on values, ``?value``. The
target pattern can be restricted to a set of focus nodes (the resources a load touches) by the
``{focus}`` slot, filled by ``hckg.gate.checks``. Nested shapes (``sh:node``, ``sh:or``, ``sh:not``,
``sh:qualifiedValueShape``) become boolean expressions with ``EXISTS``. Comparisons are wrapped in
``COALESCE(..., false)``: a value that cannot be compared (a year written as text) is a violation,
not a silent pass.

A construct outside the supported subset raises ``UnsupportedShape`` naming the shape: a rule the
gate cannot check must never be skipped quietly. tests/test_shacl_sparql.py checks that the
compiled form finds exactly what pySHACL finds, on the real data and on planted faults.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from typing import Iterator

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import BNode, Literal, Node, URIRef

from ..errors import HckgError

FOCUS_SLOT = "{focus}"
"""Where ``hckg.gate.checks`` puts the pattern restricting ``?this`` to the touched resources."""
SUBCLASSES = re.compile(r"\{subclasses(,)?((?: <[^<>\s]+>)+)\}")
"""A slot ``hckg.gate.checks`` fills with every subclass of the named classes, read from the store.

``?x rdf:type/rdfs:subClassOf* C`` lets Oxigraph walk the path from C's side, once per value:
36 s for one sh:class check at 1M triples (bench/validate.py). A list of the classes, looked up
once per run, makes it one index lookup per value."""


def subclasses(*classes: Node, separator: str = " ") -> str:
    """The slot for the subclasses of ``classes`` (``separator`` ', ' for an IN list)."""
    return "{subclasses" + ("," if separator == ", " else "") + "".join(f" {_term(c)}" for c in classes) + "}"

# XSD datatypes SPARQL can cast to: a literal of one of them that does not cast is ill-formed.
_CASTABLE = {XSD[n] for n in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime",
                                "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                                "gYear", "gYearMonth", "time", "duration")}
_NODE_KINDS = {
    SH.IRI: "!isIRI({v})",
    SH.BlankNode: "!isBlank({v})",
    SH.Literal: "!isLiteral({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})",
    SH.BlankNodeOrLiteral: "isIRI({v})",
    SH.IRIOrLiteral: "isBlank({v})",
}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_PAIR_COMPARISONS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
_IGNORED = {RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.severity,
            SH.message, SH.property, SH.path, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
            SH.deactivated, RDFS.label, RDFS.comment, SH.qualifiedMinCount, SH.qualifiedMaxCount,
            SH.qualifiedValueShapesDisjoint, SH.flags}


class UnsupportedShape(HckgError):
    """A shape uses SHACL the compiler cannot turn into SPARQL; the gate refuses to run without it."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a SPARQL query over the data to validate."""

    shape: str
    """The shape reported as ``sh:sourceShape`` (the property shape, or the node shape)."""
    component: str
    path: str | None
    """The result path as the report gives it: an IRI, '(complex path)', or None for node shapes."""
    severity: str
    messages: dict[str, str]
    sparql: str
    """SELECT ?this [?value] ... with a ``{focus}`` slot inside the target pattern."""
    value_from: str | None = "value"
    """The variable holding the value node (None when the result has no value)."""
    templates: bool = False
    """Messages hold ``{?var}`` templates to fill from each row (SPARQL-based constraints)."""
    reach: int | None = None
    """How many triples away from the focus node the check reads (None: unbounded). A change can
    only alter the result for focus nodes within ``reach - 1`` hops of a changed triple's ends."""
    whole: str | None = None
    """The same check written for a run over every target of a large shape (None: only ``sparql``).

    ``sparql`` joins the target subquery with the constraint's patterns, which Oxigraph does by
    reading both in full and hashing, then tests every target's values: checking the partners of
    103k communities took 5.5 s at 1M triples. Here what breaks the rule is found over the whole
    store first and then kept to the targets (see ``whole_targeted``), or the form is "targets MINUS
    those that keep the rule", which Oxigraph also hashes (0.5 s). Slower than ``sparql`` when the
    target is small and the path's predicate is common (a roadmap's labels among a million), so the
    gate picks a form by the number of targets and of the predicate's triples."""
    whole_targeted: bool = False
    """Whether ``whole`` restricts ?this to the targets itself; if not, its rows are candidates over
    the whole store and the gate keeps those whose ?this is a target, asking that of each candidate
    (each join with the targets in SPARQL read all 103k communities again, 0.5-1 s a check at 1M
    triples; a violation is rare, a lookup per candidate is not)."""
    targets: str = ""
    """The shape's target pattern without the focus slot (the gate counts its rows to pick a form)."""
    scans: str | None = None
    """The predicate whose every triple ``whole`` reads (the gate weighs its count against the targets)."""
    target_heads: tuple[str, ...] = ()
    """Patterns binding ?this, one per kind of target: with ?this replaced by a node, whether that
    node is a target is one lookup (the gate asks that of a few candidates instead of reading all
    targets)."""
    proof: tuple[str, str] | None = None
    """Two COUNT queries over the whole store whose answers are equal exactly when ``whole`` finds nothing
    (every value of the path has the class; every target has a value): a store that negates slowly asks
    these first (``hckg.gate.checks.run_checks``). On Virtuoso 7.2.5 at 1M triples the MINUS of
    hs:Community-partner's whole form took 41-127 s, its two counts 0.4 s."""
    focused: str | None = None
    """The check for a focus set (None: ``sparql`` with its focus slot filled): per kind of target one
    basic graph pattern holding the ``{focus}`` slot, the target and the constraint, which Oxigraph
    evaluates from the few focus nodes outwards by index lookups. Joined as a subquery or a GRAPH
    block, the target was hashed instead: every target of the store read, 2.6 s for one check with
    42 nodes in focus at 1M triples (bench/validate.py)."""


@dataclass
class _Vars:
    """Fresh variable names for nested patterns, so no two levels capture each other."""

    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def fresh(self) -> str:
        return f"?_v{next(self.counter)}"


def _term(node: Node) -> str:
    if isinstance(node, BNode):
        raise UnsupportedShape(f"a blank node as a constant ({node}) cannot be named in SPARQL")
    return node.n3()


def _list(shapes: rdflib.Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head))


def _shape_name(shape: Node) -> str:
    return str(shape) if isinstance(shape, URIRef) else f"_:{shape}"


def sparql_path(shapes: rdflib.Graph, path: Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(sparql_path(shapes, p) for p in _list(shapes, path)) + ")"
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                                (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return template.format("(" + sparql_path(shapes, inner) + ")")
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(shapes, p) for p in _list(shapes, alternatives)) + ")"
    raise UnsupportedShape(f"path {path} is not a SHACL property path")


def _report_path(path: Node | None) -> str | None:
    if path is None:
        return None
    return str(path) if isinstance(path, URIRef) else "(complex path)"


def _messages(shapes: rdflib.Graph, *nodes: Node) -> dict[str, str]:
    for node in nodes:
        found = {m.language or "": str(m) for m in shapes.objects(node, SH.message) if isinstance(m, Literal)}
        if found:
            return found
    return {}


def _severity(shapes: rdflib.Graph, shape: Node) -> str:
    severity = shapes.value(shape, SH.severity)
    return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"


# --- reach: how far from the focus node a check reads --------------------------------------------


def _plus(*parts: int | None) -> int | None:
    return None if any(p is None for p in parts) else sum(parts)  # type: ignore[arg-type]


def _most(*parts: int | None) -> int | None:
    return None if any(p is None for p in parts) else max(parts, default=0)  # type: ignore[type-var]


def path_length(shapes: rdflib.Graph, path: Node) -> int | None:
    """Triples a path crosses at most (None for ``*`` and ``+``, which have no bound)."""
    if isinstance(path, URIRef):
        return 1
    if (path, RDF.first, None) in shapes:
        return _plus(*(path_length(shapes, p) for p in _list(shapes, path)))
    for predicate in (SH.inversePath, SH.zeroOrOnePath):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return path_length(shapes, inner)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return _most(*(path_length(shapes, p) for p in _list(shapes, alternatives)))
    return None


def _constraint_depth(shapes: rdflib.Graph, predicate: Node, obj: Node) -> int | None:
    """Triples read beyond a value node to test one constraint on it."""
    if predicate == SH["class"]:
        return 1
    if predicate in (SH.node, SH["not"], SH.qualifiedValueShape):
        return shape_depth(shapes, obj)
    if predicate in (SH["or"], SH["and"], SH.xone):
        return _most(*(shape_depth(shapes, s) for s in _list(shapes, obj)))
    if predicate == SH.property:
        return _plus(path_length(shapes, _required(shapes, obj, SH.path)), shape_depth(shapes, obj))
    if predicate == SH.sparql:
        return None
    return 0


def shape_depth(shapes: rdflib.Graph, shape: Node) -> int | None:
    """Triples read beyond a node to decide whether it conforms to ``shape``."""
    return _most(*(_constraint_depth(shapes, p, o) for p, o in shapes.predicate_objects(shape)
                   if p not in (SH.path,)))


@dataclass(frozen=True)
class Steps:
    """The predicates the shapes' paths cross forwards and backwards (for the gate's focus set)."""

    forward: frozenset[str]
    inverse: frozenset[str]


def _walk(shapes: rdflib.Graph, path: Node, backwards: bool, forward: set[str], inverse: set[str]) -> None:
    if isinstance(path, URIRef):
        (inverse if backwards else forward).add(str(path))
    elif (path, RDF.first, None) in shapes:
        for step in _list(shapes, path):
            _walk(shapes, step, backwards, forward, inverse)
    else:
        for predicate, inner in shapes.predicate_objects(path):
            if predicate == SH.inversePath:
                _walk(shapes, inner, not backwards, forward, inverse)
            elif predicate in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
                _walk(shapes, inner, backwards, forward, inverse)
            elif predicate == SH.alternativePath:
                for step in _list(shapes, inner):
                    _walk(shapes, step, backwards, forward, inverse)


def path_steps(shapes: rdflib.Graph) -> Steps:
    """Every predicate any path crosses, by direction; targetObjectsOf counts as crossed backwards."""
    forward: set[str] = set()
    inverse: set[str] = {str(p) for p in shapes.objects(None, SH.targetObjectsOf)}
    for path in set(shapes.objects(None, SH.path)):
        _walk(shapes, path, False, forward, inverse)
    return Steps(frozenset(forward), frozenset(inverse))


# --- expressions: "value node ``v`` breaks this constraint" ----------------------------------------


def _datatype(v: str, datatype: Node) -> str:
    ok = f"isLiteral({v}) && datatype({v}) = {_term(datatype)}"
    # Virtuoso 7.2 leaves datatype() unbound for "a"@nl and for a plain "a" (SPARQL 1.1: rdf:langString,
    # xsd:string); these two forms mean the same on every engine (hckg.store.remote).
    if datatype == RDF.langString:
        ok = f'isLiteral({v}) && lang({v}) != ""'
    elif datatype == XSD.string:
        ok = f'isLiteral({v}) && lang({v}) = "" && COALESCE(datatype({v}), {_term(XSD.string)}) = {_term(XSD.string)}'
    if datatype in _CASTABLE:
        ok += f" && STRLEN(STR({_term(datatype)}({v}))) >= 0"
    return f"!COALESCE({ok}, false)"


def _pattern(v: str, pattern: Node, flags: Node | None) -> str:
    args = f"STR({v}), {Literal(str(pattern)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
    return f"(isBlank({v}) || !COALESCE(REGEX({args}), false))"


def _value_expression(shapes: rdflib.Graph, shape: Node, predicate: Node, obj: Node, v: str,
                      names: _Vars) -> str | None:
    """The violation test of one value-node constraint, or None when ``predicate`` is not one."""
    if predicate == SH["class"]:
        t = names.fresh()
        return f"NOT EXISTS {{ {v} <{RDF.type}> {t} FILTER({t} IN ({subclasses(obj, separator=', ')})) }}"
    if predicate == SH.datatype:
        return _datatype(v, obj)
    if predicate == SH.nodeKind:
        if obj not in _NODE_KINDS:
            raise UnsupportedShape(f"{_shape_name(shape)}: unknown sh:nodeKind {obj}")
        return _NODE_KINDS[obj].format(v=v)
    if predicate == SH.pattern:
        return _pattern(v, obj, shapes.value(shape, SH.flags))
    if predicate == SH["in"]:
        # IRIs through IN, which for IRIs means sameTerm: Virtuoso 7.2 answers sameTerm(?v, <a>) ||
        # sameTerm(?v, <b>) wrongly (false for ?v = <a>). Literals keep sameTerm (IN compares values).
        members = _list(shapes, obj)
        iris = [_term(o) for o in members if isinstance(o, rdflib.URIRef)]
        tests = [f"{v} IN ({', '.join(iris)})"] if iris else []
        tests += [f"sameTerm({v}, {_term(o)})" for o in members if not isinstance(o, rdflib.URIRef)]
        return f"!({' || '.join(tests) or 'false'})"
    if predicate == SH.languageIn:
        tags = " || ".join(f"langMatches(lang({v}), {Literal(str(t)).n3()})" for t in _list(shapes, obj))
        return f"!COALESCE(isLiteral({v}) && ({tags or 'false'}), false)"
    if predicate in _COMPARISONS:
        return f"!COALESCE({v} {_COMPARISONS[predicate]} {_term(obj)}, false)"
    if predicate == SH.minLength:
        return f"(isBlank({v}) || !(STRLEN(STR({v})) >= {int(obj)}))"
    if predicate == SH.maxLength:
        return f"(isBlank({v}) || !(STRLEN(STR({v})) <= {int(obj)}))"
    if predicate == SH.node:
        return breaks(shapes, obj, v, names)
    if predicate == SH["not"]:
        return _not(breaks(shapes, obj, v, names))
    if predicate == SH["or"]:
        return "(" + " && ".join(breaks(shapes, s, v, names) for s in _list(shapes, obj)) + ")"
    if predicate == SH["and"]:
        return "(" + " || ".join(breaks(shapes, s, v, names) for s in _list(shapes, obj)) + ")"
    if predicate == SH.xone:
        ones = " + ".join(f"IF({breaks(shapes, s, v, names)}, 0, 1)" for s in _list(shapes, obj))
        return f"(({ones}) != 1)"
    return None


def breaks(shapes: rdflib.Graph, shape: Node, v: str, names: _Vars) -> str:
    """A SPARQL expression true when the node in ``v`` does not conform to ``shape`` (nested use)."""
    if shapes.value(shape, SH.path) is not None:
        return _property_breaks(shapes, shape, v, names)
    tests = []
    for predicate, obj in sorted(shapes.predicate_objects(shape)):
        if predicate == SH.property:
            tests.append(_property_breaks(shapes, obj, v, names))
            continue
        if predicate == SH.hasValue:
            tests.append(f"!sameTerm({v}, {_term(obj)})")
            continue
        expression = _value_expression(shapes, shape, predicate, obj, v, names)
        if expression is not None:
            tests.append(expression)
        elif predicate not in _IGNORED:
            raise UnsupportedShape(f"{_shape_name(shape)}: {predicate} inside a nested shape is not supported")
    return "(" + " || ".join(tests) + ")" if tests else "false"


def _not(expression: str) -> str:
    """``!expression``, but ``(X)`` for an expression that is ``(!(X))`` or ``!(X)``: the same truth value
    (an error stays an error), and Virtuoso 7.2 fails to compile ``!(!(?v IN (14 IRIs)))`` with ``SQ200:
    Stack Overflow`` (the qualified type of hs:Community-type; ``make bench-virtuoso-load``)."""
    wrapped = _wraps(expression, 0)
    inner = expression[1:-1] if wrapped else expression
    if inner.startswith("!(") and _wraps(inner, 1):
        return inner[1:]
    return f"!{expression}" if wrapped else f"!({expression})"


def _wraps(expression: str, start: int) -> bool:
    """Whether the parenthesis at ``start`` closes at the end of ``expression`` (text in quotes skipped)."""
    if expression[start:start + 1] != "(" or not expression.endswith(")"):
        return False
    depth, quote, i = 0, "", start
    while i < len(expression):
        c = expression[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i == len(expression) - 1
        i += 1
    return False


def _property_breaks(shapes: rdflib.Graph, prop: Node, focus: str, names: _Vars) -> str:
    """A nested property shape as one expression over ``focus`` (counts of 1 only)."""
    path = sparql_path(shapes, _required(shapes, prop, SH.path))
    tests = []
    for predicate, obj in sorted(shapes.predicate_objects(prop)):
        x = names.fresh()
        if predicate == SH.minCount:
            tests.append(_at_least(focus, path, int(obj), x, "true", prop))
        elif predicate == SH.maxCount:
            tests.append(_more_than(focus, path, int(obj), x, names.fresh(), "true", "true", prop))
        elif predicate == SH.hasValue:
            tests.append(f"NOT EXISTS {{ {focus} {path} {_term(obj)} }}")
        elif predicate == SH.qualifiedValueShape:
            _refuse_disjoint(shapes, prop)
            low, high = shapes.value(prop, SH.qualifiedMinCount), shapes.value(prop, SH.qualifiedMaxCount)
            y = names.fresh()
            if low is not None:
                tests.append(_at_least(focus, path, int(low), x, _not(breaks(shapes, obj, x, names)), prop))
            if high is not None:
                tests.append(_more_than(focus, path, int(high), x, y, _not(breaks(shapes, obj, x, names)),
                                        _not(breaks(shapes, obj, y, names)), prop))
        else:
            expression = _value_expression(shapes, prop, predicate, obj, x, names)
            if expression is not None:
                tests.append(f"EXISTS {{ {focus} {path} {x} FILTER({expression}) }}")
            elif predicate not in _IGNORED:
                raise UnsupportedShape(f"{_shape_name(prop)}: {predicate} inside a nested shape is not supported")
    return "(" + " || ".join(tests) + ")" if tests else "false"


def _at_least(focus: str, path: str, n: int, x: str, condition: str, prop: Node) -> str:
    if n == 0:
        return "false"
    if n != 1:
        raise UnsupportedShape(f"{_shape_name(prop)}: a minimum count other than 1 inside a nested shape")
    return f"NOT EXISTS {{ {focus} {path} {x} FILTER({condition}) }}"


def _more_than(focus: str, path: str, n: int, x: str, y: str, cond_x: str, cond_y: str, prop: Node) -> str:
    if n == 0:
        return f"EXISTS {{ {focus} {path} {x} FILTER({cond_x}) }}"
    if n != 1:
        raise UnsupportedShape(f"{_shape_name(prop)}: a maximum count other than 0 or 1 inside a nested shape")
    return f"EXISTS {{ {focus} {path} {x} , {y} FILTER(!sameTerm({x}, {y}) && {cond_x} && {cond_y}) }}"


def _required(shapes: rdflib.Graph, node: Node, predicate: URIRef) -> Node:
    value = shapes.value(node, predicate)
    if value is None:
        raise UnsupportedShape(f"{_shape_name(node)}: missing {predicate}")
    return value


def _refuse_disjoint(shapes: rdflib.Graph, prop: Node) -> None:
    if shapes.value(prop, SH.qualifiedValueShapesDisjoint) == Literal(True):
        raise UnsupportedShape(f"{_shape_name(prop)}: sh:qualifiedValueShapesDisjoint is not supported")


# --- top-level shapes: one query per constraint ---------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """A shape's targets, in two forms: a subquery block (``str``) and one basic graph pattern per kind."""

    block: str
    """``{ SELECT DISTINCT ?this WHERE { {focus} ... } }``: what ``sparql`` starts with."""
    heads: tuple[str, ...]
    """Patterns binding ?this, each to be preceded by the focus pattern in the same basic graph pattern."""
    binders: tuple[str, ...] = ()
    """The heads, each binding ?this by itself (a target node's FILTER as a VALUES block), for counting."""

    def __str__(self) -> str:
        return self.block

    @property
    def unfocused(self) -> str:
        return self.block.replace(FOCUS_SLOT, "")

    @property
    def rows(self) -> str:
        """The targets without the focus slot and without DISTINCT, for a MINUS whose result is made
        distinct anyway (the DISTINCT over 103k communities cost 0.57 s of 0.77 s at 1M triples)."""
        return self.unfocused.replace("SELECT DISTINCT ?this", "SELECT ?this", 1)


def _targets(shapes: rdflib.Graph, shape: Node) -> _Target:
    classes = sorted(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        classes.append(shape)
    # One path over all target classes, not a UNION of one path per class: in a focused check the
    # path runs once per focus node, and 14 classes took 14 runs (bench/validate.py: 1.9 s of the
    # 10.6 s a focused check took at 10k triples for hs:OrganisationShape alone).
    patterns, heads, binders = [], [], []
    if classes:
        patterns.append(f"{{ ?this <{RDF.type}> ?_class VALUES ?_class {{ {subclasses(*classes)} }} }}")
        heads.append(f"?this <{RDF.type}> ?_class . FILTER(?_class IN ({subclasses(*classes, separator=', ')}))")
        binders.append(heads[-1])
    nodes = [_term(n) for n in sorted(shapes.objects(shape, SH.targetNode))]
    if nodes:
        patterns.append(f"{{ VALUES ?this {{ {' '.join(nodes)} }} }}")
        heads.append(f"FILTER(?this IN ({', '.join(nodes)}))")
        binders.append(f"VALUES ?this {{ {' '.join(nodes)} }}")
    for p in sorted(shapes.objects(shape, SH.targetSubjectsOf)):
        patterns.append(f"{{ ?this {_term(p)} ?_t }}")
        heads.append(f"?this {_term(p)} ?_t .")
        binders.append(heads[-1])
    for p in sorted(shapes.objects(shape, SH.targetObjectsOf)):
        patterns.append(f"{{ ?_t {_term(p)} ?this }}")
        heads.append(f"?_t {_term(p)} ?this .")
        binders.append(heads[-1])
    return _Target(f"{{ SELECT DISTINCT ?this WHERE {{ {FOCUS_SLOT} {' UNION '.join(patterns)} }} }}", tuple(heads),
                   tuple(binders))


def _prefixes(shapes: rdflib.Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


_SELECT_HEAD = re.compile(r"^\s*SELECT\s+(DISTINCT\s+)?", re.I)


def _sparql_constraint(shapes: rdflib.Graph, shape: Node, constraint: Node, target: _Target,
                       path: Node | None) -> Check:
    select = str(_required(shapes, constraint, SH.select))
    if path is not None:
        select = select.replace("$PATH", sparql_path(shapes, path))
    elif "$PATH" in select:
        raise UnsupportedShape(f"{_shape_name(shape)}: $PATH in a SPARQL constraint of a node shape")
    if not _SELECT_HEAD.match(select):
        raise UnsupportedShape(f"{_shape_name(shape)}: sh:select must start with SELECT")
    select = select.replace("$this", "?this")
    has_value = re.search(r"[?$]value\b", select) is not None
    sparql = f"{_prefixes(shapes, constraint)}\nSELECT * WHERE {{ {target} {{ {select} }} }}"
    return Check(_shape_name(shape), "SPARQLConstraintComponent", _report_path(path), _severity(shapes, shape),
                 _messages(shapes, constraint, shape), sparql, "value" if has_value else None, templates=True)


def _check(shapes: rdflib.Graph, shape: Node, component: str, path: Node | None, body: str, reach: int | None,
           with_value: bool = True, tail: str = "", whole: str | None = None, target: _Target | None = None,
           whole_tail: str = "", whole_targeted: bool = False, scans: Node | None = None,
           proof: tuple[str, str] | None = None) -> Check:
    head = "SELECT DISTINCT ?this ?value" if with_value else "SELECT DISTINCT ?this"
    focused = None
    if target is not None and body.startswith(target.block):
        rest = body[len(target.block):]
        branches = " UNION ".join(f"{{ {FOCUS_SLOT} {h} {rest} }}" for h in target.heads)
        focused = f"{head} WHERE {{ {branches} }}{tail}"
    return Check(_shape_name(shape), component, _report_path(path), _severity(shapes, shape),
                 _messages(shapes, shape), f"{head} WHERE {{ {body} }}{tail}", "value" if with_value else None,
                 reach=reach, whole=f"{head} WHERE {{ {whole} }}{whole_tail}" if whole else None,
                 targets=target.unfocused if target else "", focused=focused, whole_targeted=whole_targeted,
                 target_heads=target.heads if target else (), scans=_scanned(shapes, path, scans) if whole else None,
                 proof=proof if whole else None)


def _scanned(shapes: rdflib.Graph, path: Node | None, scans: Node | None) -> str | None:
    """The predicate a whole form reads in full: the one given, else the path's only step."""
    if scans is not None:
        return str(scans)
    return _predicate(shapes, path) if path is not None else None


def _simple(shapes: rdflib.Graph, path: Node) -> bool:
    """A path of one step (p or ^p): its triples can be scanned over the whole store in one go."""
    return isinstance(path, URIRef) or isinstance(shapes.value(path, SH.inversePath), URIRef)


def _predicate(shapes: rdflib.Graph, path: Node) -> str | None:
    """The predicate of a one-step path (p or ^p), else None."""
    if isinstance(path, URIRef):
        return str(path)
    inner = shapes.value(path, SH.inversePath)
    return str(inner) if isinstance(inner, URIRef) else None


def _shared_value_step(shapes: rdflib.Graph, path: Node) -> URIRef | None:
    """p for a path ( p [ sh:inversePath p ] ): "shares a value of p with", as in a unique-key rule."""
    steps = _shared_value_steps(shapes, path)
    return steps[0] if steps is not None and len(steps) == 1 else None


def _iri_alternatives(shapes: rdflib.Graph, step: Node) -> tuple[URIRef, ...] | None:
    """The predicates of a step that is one IRI or an sh:alternativePath of IRIs, else None."""
    if isinstance(step, URIRef):
        return (step,)
    alternatives = shapes.value(step, SH.alternativePath)
    if alternatives is None:
        return None
    members = _list(shapes, alternatives)
    return tuple(members) if members and all(isinstance(m, URIRef) for m in members) else None  # type: ignore[arg-type]


def _shared_value_steps(shapes: rdflib.Graph, path: Node) -> tuple[URIRef, ...] | None:
    """The predicates P of a path ( P [ sh:inversePath P ] ), P one IRI or alternatives of IRIs ("shares a
    value of rdfs:label or skos:altLabel with", as hs:Organisation-uniqueName says); None for another path."""
    if isinstance(path, URIRef) or (path, RDF.first, None) not in shapes:
        return None
    steps = _list(shapes, path)
    if len(steps) != 2:
        return None
    forward, backward = _iri_alternatives(shapes, steps[0]), shapes.value(steps[1], SH.inversePath)
    if forward is None or backward is None or _iri_alternatives(shapes, backward) != forward:
        return None
    return forward


def _counts(heads: tuple[str, ...] | list[str], narrowed: str, variable: str) -> tuple[str, str]:
    """A ``proof``: the distinct ``variable``s of the patterns ``heads`` (a UNION), and of each narrowed by
    ``narrowed``. One basic graph pattern per branch, not the target subquery: on Virtuoso 7.2.5 the narrowed
    count of hs:Community-type took 10.4 s joined to the subquery of its 68,907 targets."""
    def union(extra: str) -> str:
        return " UNION ".join(f"{{ {head} {extra} }}" for head in heads)
    return (f"SELECT (COUNT(DISTINCT {variable}) AS ?n) WHERE {{ {union('')} }}",
            f"SELECT (COUNT(DISTINCT {variable}) AS ?n) WHERE {{ {union(narrowed)} }}")


def _candidates(select: str) -> str:
    """``select`` (over the whole store) as a group: its rows are candidates, kept when ?this is a target."""
    return f"{{ {select} }}"


def _component(predicate: Node) -> str:
    name = str(predicate).rsplit("#", 1)[-1]
    return name[0].upper() + name[1:] + "ConstraintComponent"


def _property_checks(shapes: rdflib.Graph, prop: Node, target: _Target) -> list[Check]:
    """Every constraint of a property shape applied to the focus nodes of ``target``."""
    path_node = _required(shapes, prop, SH.path)
    path = sparql_path(shapes, path_node)
    length = path_length(shapes, path_node)
    names = _Vars()
    checks = []
    for predicate, obj in sorted(shapes.predicate_objects(prop)):
        component = _component(predicate)
        simple = _simple(shapes, path_node)
        if predicate == SH.minCount:
            body = f"{target} OPTIONAL {{ ?this {path} ?_c }}"
            whole = (f"{target.rows} MINUS {{ ?this {path} ?_c }}"
                     if simple and int(obj) == 1 else None)
            checks.append(_check(shapes, prop, component, path_node, body, length, False,
                                 f" GROUP BY ?this HAVING (COUNT(DISTINCT ?_c) < {int(obj)})", whole, target,
                                 whole_targeted=True, proof=_counts(target.binders, f"?this {path} ?_c .", "?this")))
        elif predicate == SH.maxCount:
            body = f"{target} ?this {path} ?_c"
            over = f"SELECT ?this WHERE {{ ?this {path} ?_c }} GROUP BY ?this HAVING (COUNT(DISTINCT ?_c) > {int(obj)})"
            checks.append(_check(shapes, prop, component, path_node, body, length, False,
                                 f" GROUP BY ?this HAVING (COUNT(DISTINCT ?_c) > {int(obj)})",
                                 _candidates(over) if simple else None, target))
        elif predicate == SH.hasValue:
            body = f"{target} FILTER NOT EXISTS {{ ?this {path} {_term(obj)} }}"
            whole = f"{target.rows} MINUS {{ ?this {path} {_term(obj)} }}" if simple else None
            checks.append(_check(shapes, prop, component, path_node, body, length, False, whole=whole,
                                 target=target, whole_targeted=True))
        elif predicate == SH.uniqueLang and obj == Literal(True):
            body = (f"{target} ?this {path} ?_a , ?_b "
                    "FILTER(isLiteral(?_a) && lang(?_a) != \"\" && lang(?_a) = lang(?_b) && !sameTerm(?_a, ?_b))")
            checks.append(_check(shapes, prop, component, path_node, body, length, False, target=target))
        elif predicate == SH.qualifiedValueShape:
            checks += _qualified(shapes, prop, obj, target, path, path_node, names, _plus(length, shape_depth(shapes, obj)))
        elif predicate in _PAIR_COMPARISONS:
            body = (f"{target} ?this {path} ?value . ?this {_term(obj)} ?_o "
                    f"FILTER(!COALESCE(?value {_PAIR_COMPARISONS[predicate]} ?_o, false))")
            checks.append(_check(shapes, prop, component, path_node, body, _most(length, 1), target=target))
        elif predicate == SH.disjoint:
            checks.append(_check(shapes, prop, component, path_node,
                                 f"{target} ?this {path} ?value . ?this {_term(obj)} ?value", _most(length, 1),
                                 target=target))
        elif predicate == SH.equals:
            body = (f"{target} {{ ?this {path} ?value FILTER NOT EXISTS {{ ?this {_term(obj)} ?value }} }} UNION "
                    f"{{ ?this {_term(obj)} ?value FILTER NOT EXISTS {{ ?this {path} ?value }} }}")
            checks.append(_check(shapes, prop, component, path_node, body, _most(length, 1), target=target))
        elif predicate == SH.sparql:
            checks.append(_sparql_constraint(shapes, prop, obj, target, path_node))
        else:
            expression = _value_expression(shapes, prop, predicate, obj, "?value", names)
            if expression is not None:
                whole, proof = None, None
                if simple and predicate == SH["class"]:
                    whole = f"?this {path} ?value MINUS {{ ?value <{RDF.type}> ?_t VALUES ?_t {{ {subclasses(obj)} }} }}"
                    proof = _counts([f"?this {path} ?value ."],
                                    f"?value <{RDF.type}> ?_t FILTER(?_t IN ({subclasses(obj, separator=', ')}))",
                                    "?value")
                elif simple and "EXISTS" not in expression:
                    whole = f"?this {path} ?value FILTER({expression})"
                checks.append(_check(shapes, prop, component, path_node,
                                     f"{target} ?this {path} ?value FILTER({expression})",
                                     _plus(length, _constraint_depth(shapes, predicate, obj)), whole=whole,
                                     target=target, proof=proof))
            elif predicate not in _IGNORED and predicate != SH.uniqueLang:
                raise UnsupportedShape(f"{_shape_name(prop)}: {predicate} is not supported by the SPARQL gate")
    return checks


def _qualified(shapes: rdflib.Graph, prop: Node, qualified: Node, target: _Target, path: str, path_node: Node,
               names: _Vars, reach: int | None) -> list[Check]:
    _refuse_disjoint(shapes, prop)
    conforms = _not(breaks(shapes, qualified, '?_q', names))
    checks = []
    low, high = shapes.value(prop, SH.qualifiedMinCount), shapes.value(prop, SH.qualifiedMaxCount)
    if low is not None:
        body = f"{target} OPTIONAL {{ ?this {path} ?_q FILTER({conforms}) }}"
        whole = None
        if _simple(shapes, path_node) and int(low) == 1 and "EXISTS" not in conforms:
            whole = f"{target.rows} MINUS {{ ?this {path} ?_q FILTER({conforms}) }}"
        checks.append(_check(shapes, prop, "QualifiedMinCountConstraintComponent", path_node, body, reach, False,
                             f" GROUP BY ?this HAVING (COUNT(DISTINCT ?_q) < {int(low)})", whole, target,
                             whole_targeted=True,
                             proof=_counts(target.binders, f"?this {path} ?_q FILTER({conforms})", "?this")))
    if high is not None:
        body = f"{target} ?this {path} ?_q FILTER({conforms})"
        having = f" GROUP BY ?this HAVING (COUNT(DISTINCT ?_q) > {int(high)})"
        whole, whole_tail = None, ""
        if _simple(shapes, path_node) and "EXISTS" not in conforms:
            whole = _candidates(f"SELECT ?this WHERE {{ ?this {path} ?_q FILTER({conforms}) }}{having}")
        shared = _shared_value_steps(shapes, path_node)
        if shared is not None and int(high) >= 1:
            # Through p/^p a node reaches a second one only by a value of p two nodes share, and then
            # every node it reaches is reached by such a value: one grouping over p finds them (no
            # path walked from every node: 3.4 s of the 46 s the full gate took at 1M triples). With
            # alternatives (label|altLabel) each is one branch of a UNION: the same values, no path
            # operator (on Virtuoso 7.2.5 the row-by-row form of hs:Organisation-uniqueName took 72-91 s
            # at 1M triples).
            def having_p(s: str, o: str) -> str:
                if len(shared) == 1:
                    return f"{s} <{shared[0]}> {o}"
                return " UNION ".join(f"{{ {s} <{p}> {o} }}" for p in shared)
            pairs = (f"SELECT ?this ?_q WHERE {{ {{ SELECT ?_m WHERE {{ {having_p('?_x', '?_m')} }} GROUP BY ?_m "
                     f"HAVING (COUNT(DISTINCT ?_x) > 1) }} {{ SELECT ?this ?_m WHERE {{ {having_p('?this', '?_m')} }} }} "
                     f"{{ SELECT ?_q ?_m WHERE {{ {having_p('?_q', '?_m')} }} }} }}")
            whole, whole_tail = f"{_candidates(pairs)} FILTER({conforms})", having
        scanned = shared[0] if shared is not None and len(shared) == 1 else None
        checks.append(_check(shapes, prop, "QualifiedMaxCountConstraintComponent", path_node, body, reach, False,
                             having, whole, target, whole_tail, scans=scanned))
    return checks


def _node_checks(shapes: rdflib.Graph, shape: Node, target: _Target) -> list[Check]:
    """Constraints on the focus node itself (value node = focus node)."""
    names = _Vars()
    checks = []
    for predicate, obj in sorted(shapes.predicate_objects(shape)):
        component = _component(predicate)
        if predicate == SH.hasValue:
            checks.append(_check(shapes, shape, component, None, f"{target} FILTER(!sameTerm(?this, {_term(obj)}))",
                                 0, with_value=False, target=target))
        elif predicate == SH.sparql:
            checks.append(_sparql_constraint(shapes, shape, obj, target, None))
        elif predicate == SH.closed and obj == Literal(True):
            raise UnsupportedShape(f"{_shape_name(shape)}: sh:closed is not supported by the SPARQL gate")
        else:
            expression = _value_expression(shapes, shape, predicate, obj, "?this", names)
            if expression is not None:
                check = _check(shapes, shape, component, None, f"{target} FILTER({expression})",
                               _constraint_depth(shapes, predicate, obj), with_value=False, target=target)
                checks.append(dataclasses.replace(check, value_from="this"))
            elif predicate not in _IGNORED:
                raise UnsupportedShape(f"{_shape_name(shape)}: {predicate} is not supported by the SPARQL gate")
    return checks


def compile_shapes(shapes: rdflib.Graph) -> list[Check]:
    """Every constraint of every targeted shape in ``shapes`` as a Check, in a stable order."""
    checks: list[Check] = []
    holders = set(shapes.subjects(SH.targetClass)) | set(shapes.subjects(SH.targetNode)) | set(
        shapes.subjects(SH.targetSubjectsOf)) | set(shapes.subjects(SH.targetObjectsOf))
    holders |= {s for s in shapes.subjects(RDF.type, SH.NodeShape)
                if (s, RDF.type, RDFS.Class) in shapes or (s, RDF.type, OWL.Class) in shapes}
    for shape in sorted(holders, key=str):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        try:
            checks += _shape_checks(shapes, shape)
        except UnsupportedShape as err:
            raise UnsupportedShape(f"shape {_shape_name(shape)}: {err}") from err
    return checks


def _shape_checks(shapes: rdflib.Graph, shape: Node) -> list[Check]:
    target = _targets(shapes, shape)
    if shapes.value(shape, SH.path) is not None:
        return _property_checks(shapes, shape, target)
    checks = _node_checks(shapes, shape, target)
    for prop in sorted(shapes.objects(shape, SH.property), key=str):
        if shapes.value(prop, SH.deactivated) != Literal(True):
            checks += _property_checks(shapes, prop, target)
    return checks
