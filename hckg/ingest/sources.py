"""Sources → one rdflib graph per source file, each with its named graph and provenance.

Ontology files come first, then the CSV tables in dependency order, then other Turtle data,
so every mapping can resolve the labels of what was mapped before it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox

import rdflib
from rdflib import Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, VOID, XSD

from ..errors import SourceError
from ..formats import OX_FORMATS, RDF_SUFFIXES
from ..iris import GRAPH, HCKG, ONTOLOGY_GRAPH, slugify, thing
from .lookup import Lookup
from .rdfxml import is_rdfxml, refuse_dtd
from .tables import TABLES, Row, map_csv, new_graph, table_of

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Source:
    """A file to load and the named graph it becomes."""

    path: Path
    graph: URIRef
    label: str


@dataclass
class MappedSource:
    """A source mapped to RDF, with what its provenance record needs."""

    source: Source
    triples: rdflib.Graph
    sha256: str


def software_version() -> str:
    return f"hckg {version('hckg')}"


def graph_name(path: Path, root: Path) -> str:
    """``data/roadmap/impact_domains.csv`` → ``roadmap/impact-domains`` (stable, from the path)."""
    parts = path.relative_to(root).with_suffix("").parts
    return "/".join(slugify(p) for p in parts)


def discover(data_dir: Path, ontology_dir: Path) -> list[Source]:
    """The sources of a build in load order; fails on a file type HCKG does not read."""
    sources: list[Source] = []
    for path in sorted(ontology_dir.glob("*.ttl")):
        iri = ONTOLOGY_GRAPH if path.stem == "hckg" else GRAPH["ontology/" + slugify(path.stem)]
        sources.append(Source(path, iri, f"ontology/{path.name}"))
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and p.suffix != ".md")
    for path in files:
        if path.suffix not in RDF_SUFFIXES and path.suffix != ".csv":
            raise SourceError(path, f"unsupported file type {path.suffix!r}; expected .csv or one of {', '.join(RDF_SUFFIXES)}")
    table_order = {t.name: i for i, t in enumerate(TABLES)}

    def order(path: Path) -> tuple[int, str]:
        if path.suffix == ".csv":
            return (table_order[table_of(path).name], str(path))
        return (len(TABLES), str(path))

    for path in sorted(files, key=order):
        sources.append(Source(path, GRAPH[graph_name(path, data_dir)], f"data/{path.relative_to(data_dir)}"))
    return sources


def _remote_contexts(node: object, inside_context: bool = False) -> list[str]:
    """Every string a JSON-LD ``@context`` (or its ``@import``) would fetch from the network."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import") or inside_context:
                if isinstance(value, str) and key in ("@context", "@import"):
                    found.append(value)
                found += _remote_contexts(value, inside_context=key == "@context" or inside_context)
            else:
                found += _remote_contexts(value)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, str) and inside_context:
                found.append(item)
            else:
                found += _remote_contexts(item, inside_context)
    return found


def _check_jsonld(path: Path) -> None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        line = getattr(err, "lineno", None)
        raise SourceError(path, f"not JSON: {err}", line) from err
    remote = _remote_contexts(document)
    if remote:
        raise SourceError(path, f"remote JSON-LD context {remote[0]!r} is not fetched (parsing never uses the "
                                "network); inline the context in the file")


DATASET_SUFFIXES = (".trig", ".nq")


def _parse_dataset(path: Path) -> rdflib.Graph:
    """TriG/N-Quads hold one graph per file here: a file naming other graphs is refused."""
    dataset = rdflib.Dataset()
    dataset.parse(path, format=RDF_SUFFIXES[path.suffix])
    named = sorted({str(c.identifier) for c in dataset.graphs() if len(c) and c.identifier != DATASET_DEFAULT_GRAPH_ID})
    if named:
        what = "the ontology graph" if str(ONTOLOGY_GRAPH) in named else f"graph <{named[0]}>"
        raise SourceError(path, f"writes into {what}; a file is loaded as one graph, so give its triples "
                                "without a GRAPH block (and use --graph to name it)")
    graph = new_graph()
    for triple in dataset.default_graph:
        graph.add(triple)
    return graph


def parse_rdf(path: Path) -> rdflib.Graph:
    """Parse an RDF file; a syntax error names the file and line. Never touches the network.

    RDF/XML declaring a DTD or entities is refused before parsing (``hckg.ingest.rdfxml``)."""
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(path, "empty file: nothing to load")
    if is_rdfxml(path):
        refuse_dtd(path, data)
    if path.suffix == ".jsonld":
        _check_jsonld(path)
    if path.suffix in DATASET_SUFFIXES:
        try:
            return _parse_dataset(path)
        except SourceError:
            raise
        except Exception as err:
            raise SourceError(path, f"cannot parse as {RDF_SUFFIXES[path.suffix]}: {_first_line(err)}") from err
    graph = new_graph()
    try:
        graph.parse(path, format=RDF_SUFFIXES[path.suffix])
    except Exception as err:  # rdflib raises many types (BadSyntax, ParserError, ValueError ...)
        line = getattr(err, "lines", None)
        raise SourceError(path, f"cannot parse as {RDF_SUFFIXES[path.suffix]}: {_first_line(err)}",
                          None if line is None else line + 1) from err
    return graph


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def map_source(source: Source, lookup: Lookup, rows: tuple[list[str], list[Row]] | None = None) -> MappedSource:
    """Map one source; its labels join ``lookup`` for the sources after it. ``rows``: a CSV table's
    ``read_rows``, when the caller has read it already."""
    digest = hashlib.sha256(source.path.read_bytes()).hexdigest()
    if source.path.suffix == ".csv":
        _, triples = map_csv(source.path, lookup, rows)
    else:
        triples = parse_rdf(source.path)
    lookup.add_graph(triples)
    log.info("mapped %s: %d triples", source.label, len(triples))
    return MappedSource(source, triples, digest)


def provenance(mapped: MappedSource, at: datetime | None = None, synthetic: bool = False) -> rdflib.Graph:
    """PROV-O and DCTERMS description of one named graph, for the ``graph/meta`` graph.

    ``synthetic`` labels test or demo data as such (hckg:SyntheticData), so it is never taken for real.
    """
    at = at or datetime.now(timezone.utc)
    g = new_graph()
    s = mapped.source.graph
    activity = URIRef(str(s) + "#load")
    g.add((s, RDF.type, PROV.Entity))
    g.add((s, RDF.type, VOID.Dataset))
    g.add((s, DCTERMS.title, Literal(mapped.source.label)))
    g.add((s, HCKG.sourceFile, Literal(mapped.source.label)))
    g.add((s, HCKG.sha256, Literal(mapped.sha256)))
    g.add((s, HCKG.softwareVersion, Literal(software_version())))
    g.add((s, HCKG.provenanceKind, HCKG.SyntheticData if synthetic else HCKG.RealData))
    g.add((s, VOID.triples, Literal(len(mapped.triples), datatype=XSD.integer)))
    g.add((s, PROV.generatedAtTime, Literal(at.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    g.add((s, PROV.wasGeneratedBy, activity))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.endedAtTime, Literal(at.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    agent = thing("software", slugify(software_version()))
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(software_version(), lang="en")))
    return g


class ParsedFile:
    """What a streaming parse of an RDF file tells a load: its triple count and the subjects that are
    ontology terms. The triples themselves stay in the file and go straight into the store's copy."""

    def __init__(self, path: Path, count: int, ontology_subjects: set[str],
                 inspected_by: Callable[[ox.Quad], None] | None = None) -> None:
        self.path = path
        self.count = count
        self.ontology_subjects = ontology_subjects
        self.inspected_by = inspected_by
        """What saw every literal triple of the file during the scan (``scan_rdf``'s ``on_literal``), or None."""
        self.lines: dict[URIRef, int] = {}  # no line numbers per subject (neither has rdflib's parse)

    def __len__(self) -> int:
        return self.count

    def subjects(self) -> Iterator[URIRef]:
        """The subjects in the ontology's namespace (all ``_refuse_ontology_terms`` looks for)."""
        return iter(URIRef(s) for s in sorted(self.ontology_subjects))


def ox_format(path: Path) -> ox.RdfFormat:
    chosen = OX_FORMATS[path.suffix]
    assert chosen is not None
    return chosen


def base_iri(path: Path) -> str:
    """Relative IRIs resolve against the file, as rdflib resolves them."""
    return path.resolve().as_uri()


CHUNK = 1 << 20
"""Bytes read at a time where a file is only hashed or looked over: never the whole file in memory."""


def digest_of(path: Path) -> tuple[str, bool]:
    """The sha256 of a file and whether it holds anything but whitespace, read in chunks (a 700 MB file
    read whole and stripped cost 1.4 GB of RSS at 5M triples)."""
    sha, blank = hashlib.sha256(), True
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
            blank = blank and chunk.isspace()
    return sha.hexdigest(), blank


def scan_rdf(path: Path, blank: bool | None = None, on_literal: Callable[[ox.Quad], None] | None = None) -> ParsedFile:
    """Parse ``path`` with Oxigraph once, streaming; a syntax error names the file and line.

    Refuses what ``parse_rdf`` refuses: an empty file, RDF/XML declaring a DTD or entities (before
    Oxigraph reads it), and a TriG/N-Quads file naming a graph. ``blank``: whether the file is only
    whitespace, when the caller has read it already (``digest_of``). ``on_literal`` is called with each
    triple whose object is a literal (the gate's literal rules: no second pass over the file or the store).
    """
    if blank if blank is not None else digest_of(path)[1]:
        raise SourceError(path, "empty file: nothing to load")
    if is_rdfxml(path):
        refuse_dtd(path, path.read_bytes())
    name = RDF_SUFFIXES[path.suffix]
    count, ontology, named = 0, set(), None
    hckg = str(HCKG)
    try:
        for quad in ox.parse(path=str(path), format=ox_format(path), base_iri=base_iri(path)):
            count += 1
            subject = quad.subject
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(hckg):
                ontology.add(subject.value)
            if named is None and isinstance(quad.graph_name, ox.NamedNode):
                named = quad.graph_name.value
            if on_literal is not None and type(quad.object) is ox.Literal:
                on_literal(quad)
    except SyntaxError as err:
        line = getattr(err, "lineno", None)
        raise SourceError(path, f"cannot parse as {name}: {err.msg or _first_line(err)}", line) from err
    except (ValueError, OSError, UnicodeDecodeError) as err:
        raise SourceError(path, f"cannot parse as {name}: {_first_line(err)}") from err
    if named is not None:
        what = "the ontology graph" if named == str(ONTOLOGY_GRAPH) else f"graph <{named}>"
        raise SourceError(path, f"writes into {what}; a file is loaded as one graph, so give its triples "
                                "without a GRAPH block (and use --graph to name it)")
    return ParsedFile(path, count, ontology, on_literal)


def scan_source(source: Source, on_literal: Callable[[ox.Quad], None] | None = None) -> MappedSource:
    """A source Oxigraph will load itself: its digest and what ``scan_rdf`` found (no rdflib graph)."""
    digest, blank = digest_of(source.path)
    parsed = scan_rdf(source.path, blank, on_literal)
    log.info("scanned %s: %d triples", source.label, len(parsed))
    return MappedSource(source, parsed, digest)  # type: ignore[arg-type]
