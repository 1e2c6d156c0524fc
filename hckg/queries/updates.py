"""What the SPARQL 1.1 Protocol adds to a request's text: a base IRI and an update's dataset.

The protocol lets a client leave IRIs relative ("the service MAY use its endpoint as the base")
and name an update's dataset with ``using-graph-uri`` / ``using-named-graph-uri`` parameters.
pyoxigraph's ``Store.update`` takes no dataset, and a remote engine receives text only, so both
become text: a ``BASE`` in front, and ``USING`` / ``USING NAMED`` clauses before the ``WHERE`` of
each ``DELETE/INSERT ... WHERE`` operation. Tokens come from ``catalog.tokens``, so nothing inside a
string, IRI or comment is ever taken for a keyword or a brace.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..errors import BadQuery
from .catalog import tokens

_SCHEME = re.compile(r"^<[A-Za-z][A-Za-z0-9+.-]*:")
_WORD = re.compile(r"[A-Za-z]+|[{}]|[^\sA-Za-z{}]")


def has_relative_iri(sparql: str) -> bool:
    """True when an IRI of the text has no scheme (``<s>``, ``<../x>``), so it needs a base.

    >>> has_relative_iri("CONSTRUCT { <s> <p> 1 } WHERE {}"), has_relative_iri("ASK { <http://x/> ?p ?o }")
    (True, False)
    """
    return any(kind == "iri" and not _SCHEME.match(text) for kind, text in tokens(sparql))


def with_base(sparql: str, base: str) -> str:
    """``sparql`` with ``BASE <base>`` in front when it has a relative IRI; unchanged otherwise.

    A ``BASE`` of the text itself comes later and so still wins (it is resolved against ours).
    The prefix shares the first line, so an error's line number stays the client's.

    >>> with_base("CONSTRUCT { <s> <p> 1 } WHERE {}", "http://h/sparql")
    'BASE <http://h/sparql> CONSTRUCT { <s> <p> 1 } WHERE {}'
    """
    if not has_relative_iri(sparql):
        return sparql
    return f"BASE <{base}> {sparql}"


def with_dataset(update: str, using: Sequence[str] = (), using_named: Sequence[str] = ()) -> str:
    """``update`` with ``USING <g>`` and ``USING NAMED <g>`` before each operation's ``WHERE``.

    Raises BadQuery when the update names its own dataset (``USING`` or ``WITH``): the protocol
    says such a request is an error, not which one wins.

    >>> with_dataset("INSERT { GRAPH <http://g/> { ?s a ?t } } WHERE { ?s a ?t }", ["http://d/"])
    'INSERT { GRAPH <http://g/> { ?s a ?t } } USING <http://d/> WHERE { ?s a ?t }'
    >>> with_dataset("DELETE WHERE { ?s ?p ?o }", ["http://d/"])
    'DELETE WHERE { ?s ?p ?o }'
    """
    if not using and not using_named:
        return update
    clauses = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named])
    pieces: list[str] = []
    depth = 0
    previous = ""
    for kind, text in tokens(update):
        if kind != "other":
            pieces.append(text)
            if kind != "comment":
                previous = kind
            continue
        at = 0
        for word in _WORD.finditer(text):
            token = word.group(0)
            upper = token.upper()
            if token == "{":
                depth += 1
            elif token == "}":
                depth -= 1
            elif depth == 0 and upper in ("USING", "WITH"):
                raise BadQuery(f"the update names its own dataset ({upper}) and the request gives "
                               "using-graph-uri / using-named-graph-uri as well; give one of the two")
            elif depth == 0 and upper == "WHERE" and previous != "DELETE":
                pieces.append(text[at:word.start()] + clauses + " ")
                at = word.start()
            previous = upper
        pieces.append(text[at:])
    return "".join(pieces)


_CLEAR_OR_DROP = re.compile(r"\b(CLEAR|DROP)(\s+SILENT)?\s+(ALL|NAMED|GRAPH)\b", re.I)
NO_GRAPH = "urn:hckg:no-graph"
"""A graph that never exists: ``CLEAR SILENT GRAPH`` of it does nothing, where an operation must stand."""


def scope_update(update: str, writable: Sequence[str]) -> str:
    """``update`` with ``CLEAR``/``DROP`` ``ALL``/``NAMED`` narrowed to the ``writable`` graphs.

    HCKG's ontology and provenance graphs change only through a build, so to HCKG "all graphs" means
    the default graph and every graph an update may write; the others stay. HCKG keeps no empty
    graphs (a graph is its triples), so ``CLEAR GRAPH`` of an absent graph clears nothing instead of
    failing, as for a store that records no empty graphs (SPARQL 1.1 Update, section 3.2.2).

    >>> scope_update("CLEAR ALL", ["http://g/1"])
    'CLEAR DEFAULT ; CLEAR SILENT GRAPH <http://g/1>'
    >>> scope_update("DROP SILENT NAMED", [])
    'CLEAR SILENT GRAPH <urn:hckg:no-graph>'
    """
    def narrowed(match: re.Match[str]) -> str:
        operation, silent, scope = match.group(1).upper(), match.group(2) or "", match.group(3).upper()
        if scope == "GRAPH":
            return f"{operation} SILENT GRAPH" if operation == "CLEAR" else match.group(0)
        graphs = [f"{operation} SILENT GRAPH <{g}>" for g in writable] or [f"CLEAR SILENT GRAPH <{NO_GRAPH}>"]
        return " ; ".join(([f"{operation}{silent.upper()} DEFAULT"] if scope == "ALL" else []) + graphs)

    return "".join(_CLEAR_OR_DROP.sub(narrowed, text) if kind == "other" else text for kind, text in tokens(update))
