"""Descriptions of the dataset and the endpoint: VoID + DCAT-AP-NL, and the SPARQL service description.

Everything is generated from the store (graphs, their provenance, class and property counts), so
the description cannot drift from the data it describes.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from .formats import RDF_FORMATS, RESULT_FORMATS
from .iris import BASE, HCKG, PREFIXES
from .provenance import graph_records
from .queries import INTERNAL, run_text
from .store import OxigraphStore

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FORMAT_IRIS = {
    "json": FORMATS.SPARQL_Results_JSON, "xml": FORMATS.SPARQL_Results_XML, "csv": FORMATS.SPARQL_Results_CSV,
    "tsv": FORMATS.SPARQL_Results_TSV, "ttl": FORMATS.Turtle, "nt": FORMATS["N-Triples"],
    "jsonld": FORMATS["JSON-LD"], "rdfxml": FORMATS.RDF_XML, "trig": FORMATS.TriG, "nq": FORMATS["N-Quads"],
}
DATASET = URIRef(BASE + "dataset")
LICENSE = URIRef("http://creativecommons.org/licenses/by/4.0/")
"""The licence the dataset is offered under; the sources are public government and institutional pages."""
LANGUAGES = (URIRef("http://publications.europa.eu/resource/authority/language/NLD"),
             URIRef("http://publications.europa.eu/resource/authority/language/ENG"))
THEME = URIRef("http://publications.europa.eu/resource/authority/data-theme/EDUC")


@dataclass(frozen=True)
class Site:
    """Where the server answers: the absolute URLs the descriptions point at."""

    root: str
    """The server's base URL, ending in '/', e.g. ``http://127.0.0.1:8000/``."""

    @property
    def endpoint(self) -> URIRef:
        return URIRef(self.root + "sparql")

    def dump(self, name: str) -> URIRef:
        return URIRef(f"{self.root}dumps/hckg.{name}.gz")


def _graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for prefix, iri in {**PREFIXES, "sd": str(SD), "foaf": str(FOAF), "vcard": str(VCARD)}.items():
        g.bind(prefix, iri, override=True, replace=True)
    return g


def service_description(store: OxigraphStore, site: Site) -> rdflib.Graph:
    """SPARQL 1.1 Service Description of the endpoint at ``site.endpoint``."""
    g = _graph()
    service = site.endpoint + "#service"
    service = URIRef(service)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, site.endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in list(RESULT_FORMATS) + list(RDF_FORMATS):
        g.add((service, SD.resultFormat, FORMAT_IRIS[name]))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    infos = store.graphs()
    g.add((default, VOID.triples, Literal(sum(i.triples for i in infos))))
    for info in infos:
        named, graph = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, SD.name, URIRef(info.iri)))
        g.add((named, SD.graph, graph))
        g.add((graph, VOID.triples, Literal(info.triples)))
    g.add((service, DCTERMS.description, Literal(
        "Read-only SPARQL 1.1 endpoint over HCKG; the default graph is the union of all named graphs.", lang="en")))
    return g
