"""What a public endpoint refuses before anything runs: federation (SERVICE) and LOAD unless allowed,
and text nested or chained deeper than the parser survives.

pyoxigraph parses recursively: ``ASK`` and 50,000 nested ``{`` (or 20,000 chained ``!``, ``+``,
``&&``, ``/`` or ``|``) overflows its stack and kills the process. The guard counts on the raw text,
before any parser sees it, and refuses with 400.
"""

from __future__ import annotations

import re

from hckg.errors import HckgError
from hckg.queries.catalog import tokens

_SERVICE = re.compile(r"(?<![\w:-])SERVICE(?![\w:-])", re.I)
_LOAD = re.compile(r"(?<![\w:-])LOAD(?![\w:-])", re.I)
_OPENING, _CLOSING = "([{", ")]}"
_OPERATORS = re.compile(r"&&|\|\||[!+*/|^=<>]|(?<![\w:.-])-|(?<![\w:-])(?:UNION|OPTIONAL|MINUS)(?![\w:-])", re.I)
CHAIN_PER_LEVEL = 25
"""Operators allowed per level of ``HCKG_MAX_NESTING``: 200 levels allow 5,000 (5,000 ``!`` parse; 20,000 crash)."""


class Refused(HckgError):
    """A request the server's configuration does not allow (write without token, SERVICE, LOAD)."""

    http_status = 403


class TooDeep(HckgError):
    """SPARQL nested or chained deeper than ``HCKG_MAX_NESTING`` allows; refused before parsing."""


def _code(sparql: str) -> list[str]:
    """The pieces of the text that are SPARQL syntax: not strings, IRIs or comments."""
    return [text for kind, text in tokens(sparql) if kind == "other"]


def uses_keyword(sparql: str, keyword: re.Pattern[str]) -> bool:
    return any(keyword.search(text) for text in _code(sparql))


def uses_service(sparql: str) -> bool:
    """True when the query calls SERVICE; the word inside strings, IRIs, comments or names does not count.

    >>> uses_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service { ?service <http://x/SERVICE> "SERVICE" } # SERVICE')
    False
    """
    return uses_keyword(sparql, _SERVICE)


def uses_load(sparql: str) -> bool:
    """True when the update uses LOAD (which fetches a URL); not the word in strings, IRIs or names.

    >>> uses_load("load silent <http://169.254.169.254/latest/meta-data/>")
    True
    >>> uses_load('INSERT DATA { <http://x/LOAD> <http://x/p> "LOAD" }  # LOAD')
    False
    """
    return uses_keyword(sparql, _LOAD)


def nesting(sparql: str) -> tuple[int, int]:
    """(deepest bracket nesting, number of operators) of the SPARQL syntax in ``sparql``.

    >>> nesting('ASK { FILTER((1 + 2) = 3 && "((((") }')
    (3, 3)
    """
    depth = deepest = chained = 0
    for text in _code(sparql):
        chained += len(_OPERATORS.findall(text))
        for char in text:
            if char in _OPENING:
                depth += 1
                deepest = max(deepest, depth)
            elif char in _CLOSING:
                depth = max(0, depth - 1)
    return deepest, chained


def check_nesting(sparql: str, limit: int) -> None:
    """Raise TooDeep when the text nests brackets deeper than ``limit`` or chains too many operators."""
    deepest, chained = nesting(sparql)
    if deepest > limit:
        raise TooDeep(f"the SPARQL text nests brackets, braces or parentheses {deepest} deep; this endpoint allows "
                      f"{limit} (HCKG_MAX_NESTING); refused before parsing")
    if chained > limit * CHAIN_PER_LEVEL:
        raise TooDeep(f"the SPARQL text chains {chained} operators; this endpoint allows {limit * CHAIN_PER_LEVEL} "
                      f"({CHAIN_PER_LEVEL} × HCKG_MAX_NESTING); refused before parsing")


def check_query(sparql: str, allow_service: bool, max_nesting: int | None = None) -> None:
    """Raise TooDeep or Refused (SERVICE when the configuration does not allow it)."""
    if max_nesting is not None:
        check_nesting(sparql, max_nesting)
    if not allow_service and uses_service(sparql):
        raise Refused("SERVICE (federated query) is switched off on this endpoint: it would make the server fetch "
                      "other URLs for its clients; set HCKG_ALLOW_SERVICE=true to allow it")


def check_update(sparql: str, allow_service: bool, allow_load: bool, max_nesting: int) -> None:
    """``check_query``, and LOAD refused (403) unless the configuration allows it."""
    check_query(sparql, allow_service, max_nesting)
    if not allow_load and uses_load(sparql):
        raise Refused("LOAD is switched off on this endpoint: it would make the server fetch the URL for its "
                      "client; set HCKG_ALLOW_LOAD=true to allow it")
