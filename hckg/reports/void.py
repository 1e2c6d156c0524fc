"""Descriptions of the dataset and the endpoint: VoID + DCAT-AP-NL, and the SPARQL service description.

Everything is generated from the store (graphs, their provenance, class and property counts), so
the description cannot drift from the data it describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from ..config import Settings
from ..formats import RDF_FORMATS, RESULT_FORMATS
from ..iris import BASE, HCKG, PREFIXES
from .provenance import graph_records
from ..queries.running import internal, run_text, select
from ..store.base import Store

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


def service_description(store: Store, site: Site) -> rdflib.Graph:
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


def _rows(store: Store, name: str) -> list[ox.QuerySolution]:
    return list(select(run_text(store, internal(f"{name}.rq"), {})))


def void_description(store: Store, site: Site) -> rdflib.Graph:
    """VoID + DCAT-AP-NL description of the dataset, its dumps and its SPARQL endpoint."""
    from .export import EXPORT_FORMATS

    g = _graph()
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.identifier, Literal(str(d))))
    g.add((d, DCTERMS.title, Literal("HCKG: kennisgraaf van de Roadmap Human Capital Topsectoren 2020-2023", lang="nl")))
    g.add((d, DCTERMS.title, Literal("HCKG: knowledge graph of the Roadmap Human Capital Topsectors 2020-2023", lang="en")))
    g.add((d, DCTERMS.description, Literal(
        "De Roadmap Human Capital Topsectoren 2020-2023 (en 2016-2020) als linked data: maatschappelijke opgaven, "
        "topsectoren, acties, doelen en budget, met referentiedata over leergemeenschappen (Centres of Expertise, "
        "CIV's, fieldlabs, lectoraten) per provincie.", lang="nl")))
    g.add((d, DCTERMS.description, Literal(
        "The Dutch Topsectors' Roadmap Human Capital 2020-2023 (and 2016-2020) as linked data: societal challenges, "
        "topsectors, actions, goals and budget, with reference data on learning communities (Centres of Expertise, "
        "CIVs, fieldlabs, lectorates) per province.", lang="en")))
    g.add((d, DCTERMS.license, LICENSE))
    publisher = URIRef(BASE + "publisher")
    g.add((d, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("HCKG project")))
    g.add((publisher, FOAF.homepage, URIRef(site.root)))
    contact = URIRef(site.root + "#contact")
    g.add((d, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, VCARD.fn, Literal("HCKG project")))
    g.add((contact, VCARD.hasURL, URIRef(site.root)))
    for language in LANGUAGES:
        g.add((d, DCTERMS.language, language))
    g.add((d, DCAT.theme, THEME))
    for keyword in ("human capital", "topsectoren", "leergemeenschappen", "Centres of Expertise", "onderwijs"):
        g.add((d, DCAT.keyword, Literal(keyword, lang="nl")))
    g.add((d, DCAT.landingPage, URIRef(site.root)))
    g.add((d, VOID.uriSpace, Literal(BASE + "id/")))
    g.add((d, VOID.vocabulary, URIRef(str(HCKG))))
    g.add((d, VOID.sparqlEndpoint, site.endpoint))

    records = graph_records(store)
    g.add((d, VOID.triples, Literal(sum(r.triples for r in records))))
    loaded = sorted(r.loaded_at for r in records if r.loaded_at)
    if loaded:
        g.add((d, DCTERMS.modified, Literal(loaded[-1], datatype=XSD.dateTime)))
    for row in _rows(store, "dataset-sources"):
        g.add((d, DCTERMS.source, URIRef(row["source"].value)))

    classes = _rows(store, "void-class-partitions")
    g.add((d, VOID.classes, Literal(len(classes))))
    for row in classes:
        part = BNode()
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(row["class"].value)))
        g.add((part, VOID.entities, Literal(int(row["entities"].value))))
    properties = _rows(store, "void-property-partitions")
    g.add((d, VOID.properties, Literal(len(properties))))
    for row in properties:
        part = BNode()
        g.add((d, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(row["property"].value)))
        g.add((part, VOID.triples, Literal(int(row["triples"].value))))

    for fmt in EXPORT_FORMATS:
        url = site.dump(RDF_FORMATS[fmt].extension)
        g.add((d, VOID.dataDump, url))
        dist = URIRef(f"{url}#distribution")
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"Dump ({RDF_FORMATS[fmt].media_type}, gzip)", lang="en")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + RDF_FORMATS[fmt].media_type)))
        g.add((dist, DCAT.compressFormat, URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
        g.add((dist, DCTERMS.format, FORMAT_IRIS[fmt]))
        g.add((dist, DCTERMS.license, LICENSE))

    service = URIRef(str(site.endpoint) + "#service")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("HCKG SPARQL endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, site.endpoint))
    g.add((service, DCAT.endpointDescription, site.endpoint))
    g.add((service, DCAT.servesDataset, d))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, DCTERMS.license, LICENSE))
    endpoint_dist = URIRef(str(site.endpoint) + "#distribution")
    g.add((d, DCAT.distribution, endpoint_dist))
    g.add((endpoint_dist, RDF.type, DCAT.Distribution))
    g.add((endpoint_dist, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    g.add((endpoint_dist, DCAT.accessURL, site.endpoint))
    g.add((endpoint_dist, DCAT.accessService, service))
    g.add((endpoint_dist, DCTERMS.license, LICENSE))
    return g


def check_description(description: rdflib.Graph, shapes: Path | None = None) -> list[str]:
    """Messages (English) of every violation of the DCAT-AP-NL shapes by ``description``; [] when it conforms.

    ``shapes`` defaults to ``<HCKG_SHAPES>/dataset/dcat.ttl``: outside shapes/*.ttl, so the data gate
    does not read them."""
    from pyshacl import validate

    shapes = shapes or Settings.from_env().shapes_dir / "dataset" / "dcat.ttl"
    conforms, report, _ = validate(description, shacl_graph=rdflib.Graph().parse(shapes, format="turtle"))
    if conforms:
        return []
    sh = Namespace("http://www.w3.org/ns/shacl#")
    messages = []
    for result in report.subjects(RDF.type, sh.ValidationResult):  # type: ignore[union-attr]
        texts = [m for m in report.objects(result, sh.resultMessage) if getattr(m, "language", None) in ("en", None)]
        focus = report.value(result, sh.focusNode)  # type: ignore[union-attr]
        path = report.value(result, sh.resultPath)  # type: ignore[union-attr]
        messages.append(f"{focus} {path}: {texts[0] if texts else 'violation'}")
    return sorted(messages)
