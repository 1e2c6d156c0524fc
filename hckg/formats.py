"""Result and dump formats in one table: name, pyoxigraph format, media type, file extension."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Union

import pyoxigraph as ox

from .errors import HckgError
from .iris import PREFIXES

QueryAnswer = Union[ox.QuerySolutions, ox.QueryTriples, ox.QueryBoolean]
"""What a SPARQL query answers, from the embedded store or a remote engine alike."""


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    extension: str
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None
    rdflib: str = ""
    """rdflib's name of the format, for graphs that rdflib serialises (reports, the catalogue)."""


RESULT_FORMATS = {
    f.name: f
    for f in (
        ResultFormat("csv", "text/csv", "csv", results=ox.QueryResultsFormat.CSV),
        ResultFormat("tsv", "text/tab-separated-values", "tsv", results=ox.QueryResultsFormat.TSV),
        ResultFormat("json", "application/sparql-results+json", "json", results=ox.QueryResultsFormat.JSON),
        ResultFormat("xml", "application/sparql-results+xml", "srx", results=ox.QueryResultsFormat.XML),
    )
}
RDF_FORMATS = {
    f.name: f
    for f in (
        ResultFormat("ttl", "text/turtle", "ttl", rdf=ox.RdfFormat.TURTLE, rdflib="turtle"),
        ResultFormat("nt", "application/n-triples", "nt", rdf=ox.RdfFormat.N_TRIPLES, rdflib="nt"),
        ResultFormat("jsonld", "application/ld+json", "jsonld", rdf=ox.RdfFormat.JSON_LD, rdflib="json-ld"),
        ResultFormat("rdfxml", "application/rdf+xml", "rdf", rdf=ox.RdfFormat.RDF_XML, rdflib="xml"),
        ResultFormat("trig", "application/trig", "trig", rdf=ox.RdfFormat.TRIG, rdflib="trig"),
        ResultFormat("nq", "application/n-quads", "nq", rdf=ox.RdfFormat.N_QUADS, rdflib="nquads"),
    )
}

RDF_SUFFIXES = {suffix: RDF_FORMATS[name].rdflib for suffix, name in (
    (".ttl", "ttl"), (".nt", "nt"), (".jsonld", "jsonld"), (".trig", "trig"), (".nq", "nq"), (".rdf", "rdfxml"),
    (".owl", "rdfxml"))}
"""RDF files HCKG reads (``hckg load``, data/), by suffix, with rdflib's parser name."""
OX_FORMATS = {suffix: RDF_FORMATS[name].rdf for suffix, name in (
    (".ttl", "ttl"), (".nt", "nt"), (".trig", "trig"), (".nq", "nq"))}
"""RDF files Oxigraph parses itself on `hckg load`: no rdflib graph, no N-Triples hand-over (JSON-LD stays
with rdflib, whose remote-context guard is kept; RDF/XML too: Oxigraph accepted tests/bad_inputs/broken.rdf)."""


def write_answer(answer: QueryAnswer, fmt: str, out: IO[bytes]) -> None:
    """Serialise a query answer: SELECT/ASK as SPARQL results, CONSTRUCT/DESCRIBE as RDF."""
    if isinstance(answer, ox.QueryTriples):
        chosen = RDF_FORMATS.get(fmt)
        if chosen is None or chosen.rdf is None or chosen.rdf.supports_datasets:
            raise HckgError(f"format {fmt!r} does not fit a graph result; use one of ttl, nt, jsonld, rdfxml")
        ox.serialize(answer, out, chosen.rdf, prefixes=PREFIXES if fmt == "ttl" else None)
        return
    chosen = RESULT_FORMATS.get(fmt)
    if chosen is None or chosen.results is None:
        raise HckgError(f"format {fmt!r} does not fit a SELECT or ASK result; use one of {', '.join(RESULT_FORMATS)}")
    answer.serialize(out, chosen.results)


def rows_of(answer: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    """Variable names and display strings (IRIs and literal values, '' for unbound), for tables."""
    variables = [v.value for v in answer.variables]
    rows = [[_display(solution[v]) for v in variables] for solution in answer]
    return variables, rows


def _display(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def json_rows(answer: ox.QuerySolutions) -> list[dict[str, str]]:
    """Plain records (variable → display string), handy for tests and simple scripts."""
    variables, rows = rows_of(answer)
    return [dict(zip(variables, row)) for row in rows]


def to_text(answer: QueryAnswer, fmt: str) -> str:
    buffer = io.BytesIO()
    write_answer(answer, fmt, buffer)
    return buffer.getvalue().decode("utf-8")
