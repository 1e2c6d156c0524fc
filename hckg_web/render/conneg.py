"""Content negotiation: which of our formats an ``Accept`` header (or a ``format`` name) asks for.

The formats themselves live in one table (``hckg.formats``); this module only adds the media
types clients send for them in practice (SPARQLWrapper asks for ``application/json`` too, rdflib's
SPARQLStore for ``application/rdf+xml`` ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from hckg.errors import HckgError
from hckg.formats import RDF_FORMATS, RESULT_FORMATS

HTML = "text/html"

RESULT_ALIASES = {
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_ALIASES = {
    "application/x-turtle": "ttl",
    "application/turtle": "ttl",
    "text/n3": "ttl",
    "text/plain": "nt",
    "application/json": "jsonld",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "application/x-trig": "trig",
}
GRAPH_FOR_RESULT_NAME = {"json": "jsonld", "xml": "rdfxml"}
"""What ``format=json`` means for a CONSTRUCT: its JSON form (as Fuseki reads it)."""


@dataclass(frozen=True)
class Range:
    media_type: str
    q: float
    position: int


def parse_accept(header: str | None) -> list[Range]:
    """The media ranges of an Accept header with their q values.

    >>> [(r.media_type, r.q) for r in parse_accept("text/html, application/xml;q=0.9, */*;q=0.8")]
    [('text/html', 1.0), ('application/xml', 0.9), ('*/*', 0.8)]
    """
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(Range(media, q, position))
    return ranges


def _match(offered: str, ranges: list[Range]) -> tuple[float, int, int] | None:
    """(q, specificity, -position) of the most specific range matching ``offered``, or None."""
    major = offered.split("/")[0]
    best: tuple[float, int, int] | None = None
    for r in ranges:
        if r.media_type == offered:
            spec = 2
        elif r.media_type == f"{major}/*":
            spec = 1
        elif r.media_type == "*/*":
            spec = 0
        else:
            continue
        if best is None or spec > best[1]:
            best = (r.q, spec, -r.position)
    return best


def choose(accept: str | None, offered: list[tuple[str, str]]) -> str | None:
    """The name of the best offer ``(media type, name)`` for ``accept``; the first offer when there is no header.

    None when the header accepts none of them. Ties go to the range listed first in the header,
    then to the earlier offer.

    >>> offers = [("application/sparql-results+json", "json"), ("text/csv", "csv")]
    >>> choose("text/csv, application/json", offers), choose(None, offers), choose("image/png", offers)
    ('csv', 'json', None)
    """
    if not accept or not accept.strip():
        return offered[0][1] if offered else None
    ranges = parse_accept(accept)
    scored = []
    for index, (media, name) in enumerate(offered):
        found = _match(media, ranges)
        if found is not None and found[0] > 0:
            q, spec, position = found
            # An exact or type/* match beats */* at equal q: the client named that type.
            scored.append(((q, spec > 0, position, -index), name))
    return max(scored)[1] if scored else None


RESULT_PREFERENCE = ("json", "xml", "csv", "tsv")
"""Order of preference when the client accepts any: SPARQL JSON is what most clients read first."""


def result_offers() -> list[tuple[str, str]]:
    named = [(RESULT_FORMATS[n].media_type, n) for n in RESULT_PREFERENCE]
    return named + list(RESULT_ALIASES.items())


def graph_offers(datasets: bool = True) -> list[tuple[str, str]]:
    offers = [(f.media_type, f.name) for f in RDF_FORMATS.values() if datasets or f.name not in ("trig", "nq")]
    return offers + [(m, n) for m, n in GRAPH_ALIASES.items() if datasets or n not in ("trig", "nq")]


FORMAT_NAMES = {
    "json-ld": "jsonld", "turtle": "ttl", "n3": "ttl", "rdf": "rdfxml", "rdf+xml": "rdfxml", "ntriples": "nt",
    "n-triples": "nt", "srj": "json", "srx": "xml",
}
"""Other names clients give ``format`` (SPARQLWrapper's JSONLD, TURTLE, N3, RDF, RDFXML) for ours."""


def format_param(given: list[str], accept: str | None) -> str | None:
    """The one ``format`` of a request, from every value it was given.

    SPARQLWrapper sends a name and a media type for the same format (``format=json-ld&format=application/ld+json``):
    values that mean the same formats are one. Values that differ are settled by ``accept`` when it picks one of
    them; otherwise HckgError (400).

    >>> format_param(["json-ld", "application/ld+json"], None), format_param([], None)
    ('json-ld', None)
    >>> format_param(["csv", "tsv"], "text/tab-separated-values")
    'tsv'
    """
    values = list(dict.fromkeys(v.strip() for v in given if v.strip()))
    if len(values) <= 1:
        return values[0] if values else None
    meanings = {formats_for(None, v): v for v in values}
    if len(meanings) == 1:
        return values[0]
    settled = formats_for(accept, None) if accept else None
    if settled in meanings:
        return meanings[settled]  # type: ignore[index]
    raise HckgError(f"parameter 'format' given {len(values)} times with different meanings ({', '.join(values)}); "
                    "give one, or an Accept header that picks one of them")


def formats_for(accept: str | None, fmt: str | None) -> tuple[str | None, str | None]:
    """(results format, graph format) for a query whose kind is not known yet.

    ``fmt`` (a format name or media type, as given in a link) wins over ``accept``.

    >>> formats_for("application/sparql-results+xml", None)
    ('xml', 'ttl')
    >>> formats_for(None, "json")
    ('json', 'jsonld')
    >>> formats_for("text/turtle", None)
    ('json', 'ttl')
    >>> formats_for("*/*", None)
    ('json', 'ttl')
    >>> formats_for("image/png", None)
    (None, None)
    """
    if fmt:
        key = fmt.strip().lower()
        key = FORMAT_NAMES.get(key, key)
        results = key if key in RESULT_FORMATS else choose(key, result_offers()) if "/" in key else None
        graph = key if key in RDF_FORMATS else GRAPH_FOR_RESULT_NAME.get(key) or (
            choose(key, graph_offers()) if "/" in key else None)
        return results or "json", graph or "ttl"
    results = choose(accept, result_offers())
    graph = choose(accept, graph_offers())
    if results is None and graph is None:
        return None, None
    # A client that names only result types still gets Turtle for a CONSTRUCT, and the reverse
    # (rdflib's SPARQLStore asks for XML results whatever the query): a 406 would only punish it.
    return results or "json", graph or "ttl"
