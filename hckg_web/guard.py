"""What a public endpoint refuses to run for strangers: federation (SERVICE) unless allowed."""

from __future__ import annotations

import re

from hckg.queries.catalog import tokens
from hckg.errors import HckgError

_SERVICE = re.compile(r"(?<![\w:-])SERVICE(?![\w:-])", re.I)


class Refused(HckgError):
    """A request the server's configuration does not allow (write without token, SERVICE)."""

    http_status = 403


def uses_service(sparql: str) -> bool:
    """True when the query calls SERVICE; the word inside strings, IRIs, comments or names does not count.

    >>> uses_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service { ?service <http://x/SERVICE> "SERVICE" } # SERVICE')
    False
    """
    return any(kind == "other" and _SERVICE.search(text) for kind, text in tokens(sparql))


def check_query(sparql: str, allow_service: bool) -> None:
    """Raise Refused when the query uses SERVICE and the configuration does not allow it."""
    if not allow_service and uses_service(sparql):
        raise Refused("SERVICE (federated query) is switched off on this endpoint: it would make the server fetch "
                      "other URLs for its clients; set HCKG_ALLOW_SERVICE=true to allow it")
