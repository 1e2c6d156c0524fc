"""The saved-query catalogue as linked data (SIB ``sparql-examples`` convention, SHACL parameters).

Each query becomes an ``sh:SPARQLExecutable`` with its text in ``sh:select``/``sh:construct``/``sh:ask``,
``rdfs:comment`` (summary), ``dcterms:description``, ``schema:keywords`` (tags), and one ``sh:parameter``
per parameter (``sh:name``, ``sh:optional``, ``sh:defaultValue``, ``sh:nodeKind`` or ``sh:datatype``,
``sh:in`` for enumerated values), so the catalogue can be loaded into a graph and queried.
"""

from __future__ import annotations

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, XSD

from .catalog import Parameter, SavedQuery
from ..iris import BASE, SCHEMA

QUERY_BASE = BASE + "query/"
FORM_PREDICATES = {"SELECT": SH.select, "CONSTRUCT": SH.construct, "ASK": SH.ask, "DESCRIBE": URIRef(str(SH) + "describe")}  # as the SIB sparql-examples write it
FORM_CLASSES = {"SELECT": SH.SPARQLSelectExecutable, "CONSTRUCT": SH.SPARQLConstructExecutable,
                "ASK": SH.SPARQLAskExecutable}


def query_iri(query: SavedQuery) -> URIRef:
    return URIRef(QUERY_BASE + query.name)


def _parameter(g: rdflib.Graph, query: SavedQuery, param: Parameter) -> BNode:
    node = BNode()
    g.add((node, RDF.type, SH.Parameter))
    g.add((node, SH.path, URIRef(f"{query_iri(query)}#{param.name}")))
    g.add((node, SH.name, Literal(param.name)))
    g.add((node, SH.optional, Literal(not param.required)))
    if param.kind == "iri":
        g.add((node, SH.nodeKind, SH.IRI))
    elif param.kind.startswith("lang:"):
        g.add((node, SH.languageIn, Collection(g, BNode(), [Literal(param.kind[5:])]).uri))
    elif param.kind == "literal":
        g.add((node, SH.datatype, XSD.string))
    else:
        g.add((node, SH.datatype, XSD[param.kind]))
    as_term = (lambda v: URIRef(v)) if param.kind == "iri" else (lambda v: Literal(v))
    if param.default is not None:
        g.add((node, SH.defaultValue, as_term(param.default)))
    if param.enum:
        g.add((node, SH["in"], Collection(g, BNode(), [as_term(v) for v in param.enum]).uri))
    return node


def catalog_graph(catalog: dict[str, SavedQuery]) -> rdflib.Graph:
    """Every saved query described in RDF."""
    g = rdflib.Graph()
    for prefix, ns in (("sh", SH), ("schema", SCHEMA), ("dcterms", DCTERMS), ("q", rdflib.Namespace(QUERY_BASE))):
        g.bind(prefix, ns, override=True, replace=True)
    for query in catalog.values():
        s = query_iri(query)
        g.add((s, RDF.type, SH.SPARQLExecutable))
        if query.form in FORM_CLASSES:
            g.add((s, RDF.type, FORM_CLASSES[query.form]))
        g.add((s, RDFS.label, Literal(query.name)))
        g.add((s, RDFS.comment, Literal(query.summary, lang="en")))
        if query.description:
            g.add((s, DCTERMS.description, Literal(query.description, lang="en")))
        g.add((s, FORM_PREDICATES[query.form], Literal(query.sparql)))
        for tag in query.tags:
            g.add((s, SCHEMA.keywords, Literal(tag)))
        for param in query.parameters:
            g.add((s, SH.parameter, _parameter(g, query, param)))
    return g
