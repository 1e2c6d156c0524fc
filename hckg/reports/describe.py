"""One resource as a linked-data page needs it: its triples both ways, with labels and provenance.

Used by the server's ``/id/...`` pages (HTML and RDF) and ``/def`` (the ontology documentation).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import HckgError
from ..iris import HCKG, ONTOLOGY_GRAPH
from .provenance import GraphRecord, graph_records
from ..queries.running import internal, run_text, select
from ..store.base import Store

INFERRED = "https://w3id.org/hckg/graph/inferred"


class UnknownResource(HckgError):
    """An IRI the store says nothing about, in either direction."""

    http_status = 404

    def __init__(self, iri: str) -> None:
        self.iri = iri
        super().__init__(f"no resource {iri} in the store: nothing is said about it and nothing points to it")


@dataclass(frozen=True)
class Link:
    """One statement about the resource: the other end, its label, the property and the graph saying it."""

    property: ox.NamedNode
    other: ox.NamedNode | ox.BlankNode | ox.Literal
    label: str
    graph: str

    @property
    def inferred(self) -> bool:
        return self.graph == INFERRED


@dataclass(frozen=True)
class Description:
    iri: str
    outgoing: list[Link]
    incoming: list[Link]
    """At most 2,000 statements pointing at the resource."""
    graphs: list[GraphRecord]
    """Provenance of every graph that says something about the resource."""

    def labels(self) -> list[ox.Literal]:
        return [link.other for link in self.outgoing  # type: ignore[misc]
                if link.property.value == "http://www.w3.org/2000/01/rdf-schema#label"
                and isinstance(link.other, ox.Literal)]

    def label(self, lang: str = "nl") -> str:
        """The resource's rdfs:label in ``lang``, else any label, else the end of its IRI."""
        labels = self.labels()
        for literal in labels:
            if literal.language == lang:
                return literal.value
        return labels[0].value if labels else self.iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def triples(self) -> list[ox.Triple]:
        """Distinct triples about the resource (subject or object), inferred ones included."""
        subject = ox.NamedNode(self.iri)
        seen: dict[ox.Triple, None] = {}
        for link in self.outgoing:
            seen.setdefault(ox.Triple(subject, link.property, link.other), None)
        for link in self.incoming:
            if isinstance(link.other, (ox.NamedNode, ox.BlankNode)):
                seen.setdefault(ox.Triple(link.other, link.property, subject), None)
        return list(seen)


def _value(term: object) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else ""


def describe(store: Store, iri: str) -> Description:
    """Everything the store says about ``iri``; raises UnknownResource when that is nothing."""
    outgoing = [Link(row["property"], row["value"], _value(row["valueLabel"]), row["graph"].value)  # type: ignore[index]
                for row in select(run_text(store, internal("resource-outgoing.rq"), {"resource": iri}))]
    incoming = [Link(row["property"], row["subject"], _value(row["subjectLabel"]), row["graph"].value)  # type: ignore[index]
                for row in select(run_text(store, internal("resource-incoming.rq"), {"resource": iri}))]
    if not outgoing and not incoming:
        raise UnknownResource(iri)
    used = {link.graph for link in outgoing + incoming}
    return Description(iri, outgoing, incoming, [r for r in graph_records(store) if r.iri in used])


@dataclass(frozen=True)
class Term:
    """A class or property of the HCKG ontology, for the /def page."""

    iri: str
    kind: str
    """``Class``, ``ObjectProperty`` or ``DatatypeProperty``."""
    label_nl: str
    label_en: str
    definition: str
    parents: tuple[str, ...]

    @property
    def local_name(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


def ontology_terms(store: Store) -> list[Term]:
    """The ontology's own classes and properties (namespace hckg:), classes first, by name."""
    rows = run_text(store, internal("ontology-terms.rq"), {"graph": str(ONTOLOGY_GRAPH)})
    terms = [
        Term(row["term"].value, row["kind"].value.rsplit("#", 1)[-1], _value(row["labelNl"]),  # type: ignore[index]
             _value(row["labelEn"]), _value(row["definition"]),  # type: ignore[index]
             tuple(p for p in _value(row["parents"]).split() if p))  # type: ignore[index]
        for row in rows  # type: ignore[union-attr]
        if row["term"].value.startswith(str(HCKG))  # type: ignore[index]
    ]
    order = {"Class": 0, "ObjectProperty": 1, "DatatypeProperty": 2}
    return sorted(terms, key=lambda t: (order.get(t.kind, 3), t.local_name.lower()))


def graph_triples(store: Store, graph: str) -> ox.QueryTriples:
    """Every triple of one named graph."""
    answer = run_text(store, internal("graph-triples.rq"), {"graph": graph})
    assert isinstance(answer, ox.QueryTriples)
    return answer
