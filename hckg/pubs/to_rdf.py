"""Records → RDF: BIBO/DCTERMS/schema.org triples of one publication in the graph of its file.

The first file a work is read from carries its full description; a later file (or a later import)
holding the same work adds only ``dcterms:source`` (its own graph, described with PROV in
``graph/meta``) and ``hckg:sourceRecord``, so every source is kept and no field is stated twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ..iris import BIBO, HCKG, SCHEMA
from ..ingest.tables import new_graph
from .records import Funding, Record, normalise_doi

FABIO = Namespace("http://purl.org/spar/fabio/")
KIND_TYPES = {"article": FABIO.JournalArticle, "report": FABIO.ReportDocument, "thesis": FABIO.Thesis,
              "dataset": FABIO.DataFile, "chapter": FABIO.BookChapter, "book": FABIO.Book,
              "conference-paper": FABIO.ConferencePaper, "practice": FABIO.ReportDocument, "other": FABIO.Expression}


def _casefold(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Organisations:
    """The store's organisations by name and identifier, to recognise funders and ROR affiliations."""

    by_name: dict[str, URIRef] = field(default_factory=dict)
    by_identifier: dict[str, URIRef] = field(default_factory=dict)
    names: dict[URIRef, list[str]] = field(default_factory=dict)

    def add(self, iri: URIRef, name: str | None, identifier: str | None) -> None:
        if name:
            self.by_name.setdefault(_casefold(name), iri)
            self.names.setdefault(iri, []).append(name)
        if identifier:
            self.by_identifier.setdefault(identifier.rstrip("/").lower(), iri)

    def funder(self, funding: Funding) -> URIRef | None:
        """By Crossref funder DOI, then by a name equal to a label or contained in one (``NWO``)."""
        if funding.funder_doi:
            try:
                found = self.by_identifier.get("https://doi.org/" + normalise_doi(funding.funder_doi))
            except ValueError:
                found = None
            if found is not None:
                return found
        name = _casefold(funding.funder)
        if len(name) < 3:
            return None
        if name in self.by_name:
            return self.by_name[name]
        matches = {iri for label, iri in self.by_name.items() if f"{name} " in f"{label} " and len(name) >= 10}
        return matches.pop() if len(matches) == 1 else None


def add_publication(g: rdflib.Graph, record: Record, iri: URIRef, graph_iri: URIRef, first: bool,
                    organisations: Organisations) -> None:
    """The triples of ``record`` as ``iri`` in ``g``; only its sources when ``first`` is False."""
    g.add((iri, DCTERMS.source, graph_iri))
    g.add((iri, HCKG.sourceRecord, Literal(record.where)))
    if not first:
        return
    g.add((iri, RDF.type, HCKG.Publication))
    g.add((iri, DCTERMS.type, KIND_TYPES[record.kind]))
    g.add((iri, DCTERMS.title, Literal(record.title)))
    if record.doi:
        g.add((iri, BIBO.doi, Literal(record.doi)))
        g.add((iri, SCHEMA.sameAs, URIRef("https://doi.org/" + record.doi)))
    if record.year is not None:
        g.add((iri, DCTERMS.issued, Literal(str(record.year), datatype=XSD.gYear)))
    if record.venue:
        g.add((iri, HCKG.venue, Literal(record.venue)))
    if record.abstract:
        g.add((iri, DCTERMS.abstract, Literal(record.abstract)))
    if record.publisher:
        g.add((iri, DCTERMS.publisher, Literal(record.publisher)))
    if record.series:
        g.add((iri, HCKG.venue, Literal(record.series)))
    if record.url.startswith(("http://", "https://")) and not any(c in record.url for c in ' <>"{}|\\^`'):
        g.add((iri, SCHEMA.url, URIRef(record.url)))
    for keyword in record.keywords:
        g.add((iri, SCHEMA.keywords, Literal(keyword)))
    for funding in record.funding:
        if funding.funder:
            g.add((iri, HCKG.funderName, Literal(funding.funder)))
        funder = organisations.funder(funding)
        if funder is not None:
            g.add((iri, SCHEMA.funder, funder))
        for award in funding.awards:
            g.add((iri, HCKG.grantNumber, Literal(award)))
    for position, author in enumerate(record.authors, start=1):
        node = URIRef(f"{iri}/author/{position}")
        g.add((iri, DCTERMS.creator, node))
        g.add((node, RDF.type, SCHEMA.Person))
        g.add((node, SCHEMA.name, Literal(author.name)))
        g.add((node, HCKG.authorPosition, Literal(position, datatype=XSD.integer)))
        if author.family:
            g.add((node, SCHEMA.familyName, Literal(author.family)))
        if author.given:
            g.add((node, SCHEMA.givenName, Literal(author.given)))
        if author.orcid:
            g.add((node, SCHEMA.identifier, URIRef(f"https://orcid.org/{author.orcid}")))
        for affiliation in author.affiliations:
            g.add((node, HCKG.affiliationName, Literal(affiliation)))
        for ror in author.rors:
            g.add((node, SCHEMA.affiliation, URIRef(f"https://ror.org/{ror}")))


def empty_graph() -> rdflib.Graph:
    return new_graph()
