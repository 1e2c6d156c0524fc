"""Run saved queries with parameters bound as RDF terms.

Each value is parsed into one RDF term (an IRI, a typed or language-tagged literal) and the
parameter variable is replaced by that term's N-Triples form, token by token: never inside a
string, IRI or comment, and never by pasting the user's text (grlc's injection hole,
CLARIAH/grlc#101). pyoxigraph's own ``substitutions`` cannot reach variables inside a
``MINUS { SELECT ... }`` subquery, which the gap queries need, and a remote engine has no such
feature: term replacement works for both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import pyoxigraph as ox

from .catalog import Parameter, SavedQuery, get_query, load_query, tokens
from .errors import BadParameter
from .lookup import normalise
from .store import QueryAnswer, Store

XSD = "http://www.w3.org/2001/XMLSchema#"
INTERNAL = Path(__file__).resolve().parents[1] / "queries" / "internal"
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


@dataclass(frozen=True)
class Bound:
    """A saved query with its parameters bound: the exact text that runs, and the terms used."""

    query: SavedQuery
    sparql: str
    terms: dict[str, ox.NamedNode | ox.Literal]


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


def _labels_of(store: Store, iri: str) -> list[ox.Literal]:
    """Labels of a resource: its notation (the short code people type) first, then preferred Dutch ones."""
    answer = run_text(store, INTERNAL / "labels-of-resource.rq", {"resource": iri})
    rows = [(row["predicate"].value, row["label"]) for row in answer]  # type: ignore[union-attr]
    rows.sort(key=lambda r: (_LABEL_RANK.get(r[0], 3), r[1].language != "nl", len(r[1].value)))
    return [label for _, label in rows]


def _resolve_iri(store: Store, param: Parameter, value: str) -> ox.NamedNode:
    """An IRI as given, or the enumerated IRI one of whose labels or notations matches ``value``."""
    if param.enum:
        if value in param.enum:
            return ox.NamedNode(value)
        wanted = normalise(value)
        matches = {iri for iri in param.enum if any(normalise(lab.value) == wanted for lab in _labels_of(store, iri))}
        if len(matches) == 1:
            return ox.NamedNode(matches.pop())
        if len(matches) > 1:
            raise BadParameter(param.name, value, f"ambiguous: matches {', '.join(sorted(matches))}")
        raise BadParameter(param.name, value, f"unknown value; valid values: {valid_values(store, param)}")
    if not _IRI.match(value):
        raise BadParameter(param.name, value, "not an absolute IRI")
    try:
        return ox.NamedNode(value)
    except ValueError as err:
        raise BadParameter(param.name, value, f"not a valid IRI ({err})") from err


def valid_values(store: Store, param: Parameter) -> str:
    """The enumerated values with their shortest label, for error messages and `hckg queries NAME`."""
    shown = []
    for iri in param.enum:
        labels = _labels_of(store, iri) if param.kind == "iri" else []
        shown.append(f"{labels[0].value} ({iri})" if labels else iri)
    return "; ".join(shown)


def parse_value(store: Store, param: Parameter, value: str) -> ox.NamedNode | ox.Literal:
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


def bind(store: Store, query: SavedQuery, values: Mapping[str, Sequence[str]]) -> Bound:
    """Parse every value, apply defaults, check required and unknown parameters, and substitute."""
    known = {p.name for p in query.parameters}
    for name in values:
        if name not in known:
            raise BadParameter(name, None, f"{query.name} has no such parameter; it takes: {', '.join(sorted(known)) or 'none'}")
    terms: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in query.parameters:
        given = list(values.get(param.name, ()))
        if len(given) > 1:
            raise BadParameter(param.name, given[1], "given more than once; this parameter takes one value")
        raw = given[0] if given else param.default
        if raw is None:
            if param.required:
                raise BadParameter(param.name, None, "required parameter is missing")
            continue
        terms[param.variable] = parse_value(store, param, raw)
    return Bound(query, substitute(query.sparql, terms), terms)


def substitute(sparql: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """Replace each variable token named in ``terms`` by the term's N-Triples form."""
    return "".join(
        str(terms[text[1:]]) if kind == "var" and text[1:] in terms else text for kind, text in tokens(sparql)
    )


def run_bound(store: Store, bound: Bound) -> QueryAnswer:
    return store.query(bound.sparql)


def run_saved(store: Store, folder: Path, name: str, values: Mapping[str, Sequence[str]]) -> QueryAnswer:
    """Run ``<folder>/<name>.rq`` with ``values`` bound as RDF terms.

    Raises UnknownQuery for a missing file, BadParameter for a value that is missing or does not parse.
    """
    return run_bound(store, bind(store, get_query(folder, name), values))


def run_text(store: Store, path: Path, iris: Mapping[str, str]) -> QueryAnswer:
    """Run an internal query whose parameters are all IRIs the code already trusts."""
    query = load_query(path)
    terms = {p.variable: ox.NamedNode(iris[p.name]) for p in query.parameters}
    return store.query(substitute(query.sparql, terms))
