"""Run saved queries with parameters bound as RDF terms.

Each value is parsed into one RDF term (an IRI, a typed or language-tagged literal) and the
parameter variable is replaced by that term's N-Triples form, token by token: never inside a
string, IRI or comment, and never by pasting the user's text (grlc's injection hole,
CLARIAH/grlc#101). pyoxigraph's own ``substitutions`` cannot reach variables inside a
``MINUS { SELECT ... }`` subquery, which the gap queries need, and a remote engine has no such
feature: term replacement works for both.

A parameter given several values means "any of these values". Each value is parsed by the same
rules, and instead of being substituted the variable stays and ``VALUES ?var { t1 t2 ... }`` is
put right after the opening brace of every group that directly contains it, subqueries included.
So regions-lacking-community with type CoE and type CIV lists the provinces that have neither:
the intersection of the two single-value answers. A switch (a parameter whose values are true
and false) takes one value, and so does a parameter used inside EXISTS or NOT EXISTS, where a
VALUES block ran for minutes on Oxigraph at 1M triples (shared/MEASURED.md).

Enumerated parameters take their valid values from the data (``enumerate_values``): an IRI
parameter with an ``internal/values-<name>.rq`` query beside its file accepts what that query
finds, by IRI or by any label; the ``enumerate`` list in the file is what grlc shows. grlc's own
way (a bare name under ``enumerate:``, src/gquery.py ``get_enumeration_sparql``) runs
``SELECT DISTINCT ?name`` over the whole WHERE clause: not the parameter's variable
(``?_name_iri``), and one used only inside MINUS would be unbound there anyway. So the files keep
the literal list and a test checks that it equals what the data gives.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence, Union

import pyoxigraph as ox

from .catalog import Parameter, SavedQuery, get_query, load_query, tokens
from ..config import Settings
from ..errors import BadParameter, BadQuery
from ..iris import normalise
from ..formats import QueryAnswer
from ..store.base import Store

XSD = "http://www.w3.org/2001/XMLSchema#"


def internal(name: str, queries_dir: Path | None = None) -> Path:
    """``<queries folder>/internal/<name>``: one of the code's own queries, from ``HCKG_QUERIES``
    (``Settings.queries_dir``) like the saved ones, so a deployment with its own queries folder
    brings its own internal/ as well."""
    return (queries_dir or Settings.from_env().queries_dir) / "internal" / name


_LEXICAL = {
    "integer": re.compile(r"^[+-]?\d+$"),
    "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "double": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^(NaN|INF|-INF)$"),
    "float": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^(NaN|INF|-INF)$"),
    "boolean": re.compile(r"^(true|false|1|0)$"),
    "date": re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
    "dateTime": re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"),
    "gYear": re.compile(r"^-?\d{4,}(Z|[+-]\d{2}:\d{2})?$"),
}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
MAX_VALUE_LENGTH = 10_000


Term = Union[ox.NamedNode, ox.Literal]


@dataclass(frozen=True)
class Bound:
    """A saved query with its parameters bound: the exact text that runs, and the terms used.

    ``terms`` holds the parameters given one value (substituted), ``values`` those given several
    (a VALUES block), both by variable name.
    """

    query: SavedQuery
    sparql: str
    terms: dict[str, Term]
    values: dict[str, tuple[Term, ...]] = field(default_factory=dict)


def _clean(param: Parameter, value: str) -> str:
    if len(value) > MAX_VALUE_LENGTH:
        raise BadParameter(param.name, value, f"longer than {MAX_VALUE_LENGTH} characters")
    if "\x00" in value:
        raise BadParameter(param.name, value, "contains a NUL character")
    return value.strip()


def _literal(param: Parameter, value: str) -> ox.Literal:
    if param.kind == "literal":
        return ox.Literal(value)
    if param.kind.startswith("lang:"):
        tag = param.kind[5:]
        if not _LANG.match(tag):
            raise BadParameter(param.name, value, f"language tag {tag!r} in the variable name is not valid")
        return ox.Literal(value, language=tag)
    pattern = _LEXICAL.get(param.kind)
    if pattern is not None and not pattern.match(value):
        raise BadParameter(param.name, value, f"not a valid xsd:{param.kind}")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + param.kind))


_LABEL_RANK = {
    "http://www.w3.org/2004/02/skos/core#notation": 0,
    "http://www.w3.org/2004/02/skos/core#prefLabel": 1,
    "http://www.w3.org/2000/01/rdf-schema#label": 2,
}
MAX_IRIS = 5000
"""More IRIs than this are looked up in several queries, to keep one query's text bounded."""
LISTED_VALUES = 30
"""An error lists every valid value up to this many; beyond, it suggests the closest and counts the rest."""


def label_rows(store: Store, iris: Sequence[str], queries_dir: Path | None = None) -> dict[str, list[tuple[str, ox.Literal]]]:
    """``{iri: [(predicate, label), ...]}``: every label, notation and code of ``iris``, in one query per
    ``MAX_IRIS`` (``internal/labels-of-iris.rq`` with a VALUES block). ``hckg.reports.labels`` picks the
    label pages show from these; parameters match what people type against all of them."""
    unique = list(dict.fromkeys(i for i in iris if i))
    found: dict[str, list[tuple[str, ox.Literal]]] = {}
    if not unique:
        return found
    path = internal("labels-of-iris.rq", queries_dir)
    query = _internal_query(path, path.stat().st_mtime_ns)
    for start in range(0, len(unique), MAX_IRIS):
        chunk = tuple(ox.NamedNode(i) for i in unique[start:start + MAX_IRIS])
        for row in select(store.query(insert_values(query.sparql, {"resource": chunk}))):
            label = row["label"]
            assert isinstance(label, ox.Literal)
            found.setdefault(row["resource"].value, []).append((row["predicate"].value, label))  # type: ignore[union-attr]
    return found


def _ranked(rows: list[tuple[str, ox.Literal]]) -> list[ox.Literal]:
    """Labels best first: the notation (the short code people type), then preferred Dutch ones."""
    ordered = sorted(rows, key=lambda r: (_LABEL_RANK.get(r[0], 3), r[1].language != "nl", len(r[1].value), r[1].value))
    return [label for _, label in ordered]


def _enum_iris(store: Store, param: Parameter) -> tuple[str, ...]:
    """The IRIs a parameter accepts: what its values query finds, else the file's list."""
    if param.values_query is None:
        return param.enum
    answer = run_text(store, param.values_query, {})
    return tuple(row["value"].value for row in answer)  # type: ignore[union-attr]


def _is_value(store: Store, param: Parameter, iri: str) -> bool:
    """True when the parameter's values query finds ``iri``, asked for that IRI alone (a trailing
    ``VALUES ?value { <iri> }``: an index look-up, where listing every value to test one took 12.7 s for
    the communities of a 1M-triple store). False when it does not, or cannot be asked so: the caller then
    lists every value as before (labels, error messages)."""
    if param.values_query is None:
        return iri in param.enum
    try:
        term = ox.NamedNode(iri)
        query = _internal_query(param.values_query, param.values_query.stat().st_mtime_ns)
        answer = select(store.query(f"{query.sparql}\nVALUES ?value {{ {term} }}\n"))
    except (ValueError, SyntaxError, BadQuery):
        return False
    return any(row["value"] == term for row in answer)


def takes_labels(param: Parameter) -> bool:
    """True for an IRI parameter that also takes a label: one with a values query or an enumerate list."""
    return param.kind == "iri" and (param.values_query is not None or bool(param.enum))


def _resolve_iri(store: Store, param: Parameter, value: str) -> ox.NamedNode:
    """An IRI as given, or the valid IRI one of whose labels, notations or codes matches ``value``."""
    if takes_labels(param):
        if _IRI.match(value) and _is_value(store, param, value):
            return ox.NamedNode(value)
        iris = _enum_iris(store, param)
        if value in iris:
            return ox.NamedNode(value)
        labels = {iri: _ranked(rows) for iri, rows in label_rows(store, iris).items()}
        wanted = normalise(value)
        matches = {iri for iri, found in labels.items() if any(normalise(lab.value) == wanted for lab in found)}
        if len(matches) == 1:
            return ox.NamedNode(matches.pop())
        if len(matches) > 1:
            raise BadParameter(param.name, value, f"ambiguous: matches {', '.join(sorted(matches))}; give the IRI")
        raise BadParameter(param.name, value, unknown_value(value, iris, labels))
    if not _IRI.match(value):
        raise BadParameter(param.name, value, "not an absolute IRI")
    try:
        return ox.NamedNode(value)
    except ValueError as err:
        raise BadParameter(param.name, value, f"not a valid IRI ({err})") from err


def unknown_value(value: str, iris: Sequence[str], labels: Mapping[str, list[ox.Literal]]) -> str:
    """The message for a value no valid IRI answers to: the closest labels, then every valid value (up to
    ``LISTED_VALUES``) or how many there are.

    >>> unknown_value("Groningn", ["urn:g", "urn:f"], {"urn:g": [ox.Literal("Groningen")], "urn:f": [ox.Literal("Friesland")]})
    'unknown value; did you mean Groningen (urn:g)? valid values: Friesland (urn:f); Groningen (urn:g)'
    """
    shown = {iri: (labels[iri][0].value if labels.get(iri) else iri) for iri in iris}
    named = {normalise(lab.value): iri for iri in iris for lab in labels.get(iri, [])}
    wanted = normalise(value)
    close = [named[n] for _, n in sorted(((-_likeness(wanted, n), n) for n in named)) if _likeness(wanted, n) >= 0.75]
    close = list(dict.fromkeys(close))[:5]

    def listed(iri: str) -> str:
        return iri if shown[iri] == iri else f"{shown[iri]} ({iri})"

    message = "unknown value"
    if close:
        message += "; did you mean " + " or ".join(listed(i) for i in close) + "?"
    if len(iris) <= LISTED_VALUES:
        ordered = sorted(iris, key=lambda i: (normalise(shown[i]), i))
        return message + " valid values: " + "; ".join(listed(i) for i in ordered)
    return message + f" ({len(iris)} valid values; give a label or IRI from `hckg queries NAME` or label-search)"


def _likeness(wanted: str, label: str) -> float:
    """How like ``label`` a typed value is, 0 to 1: 1 when it is part of it, else the better difflib ratio of the
    whole label and of its start (so "Hanzehogeschol" finds "Hanzehogeschool Groningen")."""
    if not wanted:
        return 0.0
    if wanted in label:
        return 1.0
    whole = difflib.SequenceMatcher(None, wanted, label).ratio()
    start = difflib.SequenceMatcher(None, wanted, label[:len(wanted)]).ratio()
    return max(whole, start)


def enumerate_values(store: Store, param: Parameter) -> list[tuple[Term, str]]:
    """The valid values of an enumerated parameter with the label people type, sorted by label.

    IRIs come from the data (the parameter's values query) so a value loaded later is offered too;
    an empty list means the parameter is not enumerated and takes any value of its kind (or, with a
    values query but no ``enumerate`` list, too many values to offer: organisations, communities).
    """
    if param.kind != "iri":
        return [(ox.Literal(v), v) for v in param.enum]
    if not param.enum:
        return []
    iris = _enum_iris(store, param)
    labels = label_rows(store, iris)
    shown: list[tuple[Term, str]] = []
    for iri in iris:
        ranked = _ranked(labels.get(iri, []))
        shown.append((ox.NamedNode(iri), ranked[0].value if ranked else iri))
    return sorted(shown, key=lambda pair: (normalise(pair[1]), pair[0].value))


def valid_values(store: Store, param: Parameter) -> str:
    """The enumerated values with their shortest label, for error messages."""
    pairs = enumerate_values(store, param)
    if param.kind != "iri":
        return ", ".join(label for _, label in pairs)
    return "; ".join(term.value if label == term.value else f"{label} ({term.value})" for term, label in pairs)


def parse_value(store: Store, param: Parameter, value: str) -> Term:
    """One user-supplied value as the RDF term it stands for; BadParameter when it cannot be."""
    value = _clean(param, value)
    if param.kind == "iri":
        return _resolve_iri(store, param, value)
    if param.enum:
        match = [e for e in param.enum if normalise(e) == normalise(value)]
        if not match:
            raise BadParameter(param.name, value, f"not one of {', '.join(param.enum)}")
        value = match[0]
    return _literal(param, value)


def is_switch(param: Parameter) -> bool:
    """True for an on/off parameter (a boolean, or enumerated as true and false): one value only."""
    return param.kind == "boolean" or {normalise(v) for v in param.enum} == {"true", "false"}


def bind(store: Store, query: SavedQuery, values: Mapping[str, Sequence[str]]) -> Bound:
    """Parse every value, apply defaults, check required and unknown parameters, and bind.

    One value is substituted; several become a VALUES block (see the module docstring). Raises
    BadParameter naming the parameter for a missing, unknown or malformed value, and for several
    values given to a switch or to a parameter no VALUES block can reach.
    """
    known = {p.name for p in query.parameters}
    for name in values:
        if name not in known:
            raise BadParameter(name, None, f"{query.name} has no such parameter; it takes: {', '.join(sorted(known)) or 'none'}")
    terms: dict[str, Term] = {}
    several: dict[str, tuple[Term, ...]] = {}
    for param in query.parameters:
        given = list(values.get(param.name, ()))
        if len(given) > 1 and is_switch(param):
            raise BadParameter(param.name, given[1], "given more than once; this parameter is a switch and takes one value")
        parsed = tuple(dict.fromkeys(parse_value(store, param, raw) for raw in given))
        if len(parsed) > 1:
            several[param.variable] = parsed
            continue
        if not parsed and param.default is None:
            if param.required:
                raise BadParameter(param.name, None, "required parameter is missing")
            continue
        terms[param.variable] = parsed[0] if parsed else parse_value(store, param, param.default or "")
    sparql = substitute(query.sparql, terms)
    try:
        sparql = insert_values(sparql, several) if several else sparql
    except NotPlaceable as err:
        param = next(p for p in query.parameters if p.variable == err.variable)
        raise BadParameter(param.name, values[param.name][1], f"cannot take several values: {err.reason}; give one") from err
    return Bound(query, sparql, terms, several)


def substitute(sparql: str, terms: Mapping[str, Term]) -> str:
    """Replace each variable token named in ``terms`` by the term's N-Triples form."""
    return "".join(
        str(terms[text[1:]]) if kind == "var" and text[1:] in terms else text for kind, text in tokens(sparql)
    )


class NotPlaceable(ValueError):
    """A variable that no VALUES block can reach, and why."""

    def __init__(self, variable: str, reason: str) -> None:
        self.variable = variable
        self.reason = reason
        super().__init__(f"?{variable}: {reason}")


@dataclass
class _Group:
    """One ``{`` of the query being scanned: what opened it and where a VALUES block would go."""

    kind: str
    """``group`` (a graph pattern), ``template`` (CONSTRUCT), ``data`` (a VALUES block) or ``exists``."""
    in_exists: bool
    at: int
    subquery: bool | None = None
    """Whether the group holds a ``SELECT`` subquery; None until its first word is seen."""


_OPENED_BY = (
    ("template", re.compile(r"\bCONSTRUCT\s*$", re.I)),
    ("data", re.compile(r"\bVALUES\s*(?:[?$]\w+|\(\s*(?:[?$]\w+\s*)*\))\s*$", re.I)),
    ("exists", re.compile(r"\bEXISTS\s*$", re.I)),
)


def insert_values(sparql: str, values: Mapping[str, Sequence[Term]]) -> str:
    """Put ``VALUES ?var { t1 t2 }`` right after the ``{`` of every group directly containing ``?var``.

    Braces are counted in the query's tokens only, never inside strings, IRIs or comments. A use
    in a CONSTRUCT template needs no block (the WHERE clause binds it). Raises NotPlaceable for a
    use inside EXISTS / NOT EXISTS, in a subquery's SELECT or ORDER BY clause, outside any group,
    or when no group pattern uses the variable at all.
    """
    pieces: list[str] = []
    stack: list[_Group] = []
    seen = ""
    targets: dict[int, list[str]] = {}
    for kind, text in tokens(sparql):
        if kind == "comment":
            pieces.append(text)
            continue
        parts = re.split(r"([{}])", text) if kind == "other" else [text]
        for part in parts:
            if part == "{":
                _first_word(stack, "{")
                opened = next((k for k, pattern in _OPENED_BY if pattern.search(seen)), "group")
                pieces.append(part)
                stack.append(_Group(opened, opened == "exists" or bool(stack and stack[-1].in_exists), len(pieces) - 1))
            elif part == "}":
                pieces.append(part)
                if stack:
                    stack.pop()
            else:
                _first_word(stack, part)
                if kind == "var" and part[1:] in values:
                    _place(stack, part[1:], targets)
                pieces.append(part)
            seen = (seen + ('""' if kind == "string" else part))[-200:]
    missing = [v for v in values if not any(v in vs for vs in targets.values())]
    if missing:
        raise NotPlaceable(missing[0], "no graph pattern of the query uses it")
    order = list(values)
    for at, variables in targets.items():
        blocks = (f"VALUES ?{v} {{ {' '.join(str(t) for t in values[v])} }}" for v in sorted(variables, key=order.index))
        pieces[at] += " " + " ".join(blocks)
    return "".join(pieces)


def _first_word(stack: list[_Group], part: str) -> None:
    """Note whether the innermost group starts with SELECT (a subquery: no VALUES may precede it)."""
    if stack and stack[-1].subquery is None and part.strip():
        stack[-1].subquery = bool(re.match(r"\s*SELECT\b", part, re.I))


def _place(stack: list[_Group], variable: str, targets: dict[int, list[str]]) -> None:
    if not stack:
        raise NotPlaceable(variable, "the query uses it outside any group pattern")
    group = stack[-1]
    if group.kind == "template":
        return
    if group.in_exists:
        raise NotPlaceable(variable, "the query uses it inside EXISTS or NOT EXISTS, where a VALUES block "
                                     "ran for minutes on Oxigraph")
    if group.kind == "data" or group.subquery:
        raise NotPlaceable(variable, "the query uses it in a subquery's SELECT, GROUP BY or ORDER BY clause")
    if variable not in targets.setdefault(group.at, []):
        targets[group.at].append(variable)


def run_bound(store: Store, bound: Bound) -> QueryAnswer:
    return store.query(bound.sparql)


def run_saved(store: Store, folder: Path, name: str, values: Mapping[str, Sequence[str]]) -> QueryAnswer:
    """Run ``<folder>/<name>.rq`` with ``values`` bound as RDF terms.

    Raises UnknownQuery for a missing file, BadParameter for a value that is missing or does not parse.
    """
    return run_bound(store, bind(store, get_query(folder, name), values))


def run_text(store: Store, path: Path, iris: Mapping[str, str]) -> QueryAnswer:
    """Run an internal query whose parameters are all IRIs the code already trusts."""
    query = _internal_query(path, path.stat().st_mtime_ns)
    terms = {p.variable: ox.NamedNode(iris[p.name]) for p in query.parameters}
    return store.query(substitute(query.sparql, terms))


def select(answer: QueryAnswer) -> ox.QuerySolutions:
    """``answer`` as SELECT solutions; BadQuery for a graph or boolean answer (a query file of the wrong form)."""
    if not isinstance(answer, ox.QuerySolutions):
        raise BadQuery("expected a SELECT query")
    return answer


def records(answer: QueryAnswer) -> tuple[list[str], list[dict[str, str]]]:
    """The variables and rows of a SELECT answer as records of term values ('' for unbound)."""
    solutions = select(answer)
    variables = [v.value for v in solutions.variables]
    return variables, [{v: (row[v].value if row[v] is not None else "") for v in variables} for row in solutions]


def internal_records(store: Store, name: str) -> list[dict[str, str]]:
    """The rows of internal query ``name`` as records of its bound variables (term values; an unbound
    variable is left out, so ``row.get(name, "")`` tells it apart from an empty literal)."""
    answer = select(run_text(store, internal(name), {}))
    names = [v.value for v in answer.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in answer]


@lru_cache(maxsize=64)
def _internal_query(path: Path, mtime_ns: int) -> SavedQuery:
    """An internal query file, parsed once per version: resolving one label runs it once per candidate
    value, and reading its YAML header each time made binding the headline query by a label take
    14 ms instead of 1.3 ms."""
    return load_query(path)
