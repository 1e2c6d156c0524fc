"""Links as resources: each suggestion becomes an ``hckg:PublicationLink`` in ``graph/pubs/links``.

A link's IRI comes from its publication and target, so suggesting again finds the same link and
keeps its status: an accepted or rejected link is never turned back into a suggestion.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from ..config import Settings
from ..errors import HckgError
from ..ingest.sources import software_version
from ..iris import GRAPH, HCKG, ID, slugify, thing
from ..queries.running import internal_records
from ..store.open import open_configured_store
from ..store.oxigraph import OxigraphStore
from ..ingest.tables import new_graph
from .suggest import Suggestion
from ..gate.lock import holding_write_lock
from ..gate.write import GraphWrite, digest, write_graphs

LINKS_GRAPH = str(GRAPH["pubs/links"])
STATUSES = {"suggested": HCKG.Suggested, "accepted": HCKG.Accepted, "rejected": HCKG.Rejected}


class UnknownLink(HckgError):
    http_status = 404


@dataclass(frozen=True)
class Link:
    iri: str
    publication: str
    doi: str
    title: str
    target: str
    target_name: str
    trust: float
    method: str
    evidence: str
    status: str
    decided_by: str = ""
    decided_at: str = ""


def link_iri(publication: str, target: str) -> URIRef:
    return thing("link", hashlib.sha256(f"{publication} {target}".encode("utf-8")).hexdigest()[:16])


def software_agent() -> URIRef:
    return thing("software", slugify(software_version()))


def resolve(link: str) -> str:
    """A link's full IRI from the IRI or the key after ``id/link/``."""
    return link if link.startswith("http") else str(ID[f"link/{link}"])


def current(store: OxigraphStore) -> rdflib.Graph:
    """The links graph as it is (empty when none was written yet)."""
    graph = new_graph()
    if any(g.iri == LINKS_GRAPH for g in store.graphs()):
        graph += store.as_rdflib([LINKS_GRAPH])
    return graph


def activity(graph: rdflib.Graph, kind: str, at: datetime) -> URIRef:
    """A prov:Activity of the software (as the provenance shapes want), in ``graph``."""
    node = thing("activity", f"{kind}-{at.strftime('%Y%m%dt%H%M%S%f')}")
    graph.add((node, RDF.type, PROV.Activity))
    graph.add((node, PROV.endedAtTime, Literal(at.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    graph.add((node, PROV.wasAssociatedWith, software_agent()))
    return node


@holding_write_lock
def write_suggestions(settings: Settings, suggestions: list[Suggestion]) -> tuple[int, int]:
    """Store ``suggestions`` as links with status suggested; returns (added, already there)."""
    store = open_configured_store(settings)
    graph = current(store)
    now = datetime.now(timezone.utc)
    run = None
    added = kept = 0
    for s in suggestions:
        iri = link_iri(s.publication, s.target)
        if (iri, RDF.type, HCKG.PublicationLink) in graph:
            kept += 1
            continue
        run = run or activity(graph, "suggest", now)
        graph.add((iri, RDF.type, HCKG.PublicationLink))
        graph.add((iri, HCKG.linkedPublication, URIRef(s.publication)))
        graph.add((iri, HCKG.linkTarget, URIRef(s.target)))
        graph.add((iri, HCKG.linkMethod, HCKG[s.method]))
        graph.add((iri, HCKG.trust, Literal(Decimal(f"{s.trust:.3f}"), datatype=XSD.decimal)))
        graph.add((iri, HCKG.evidence, Literal(s.evidence)))
        graph.add((iri, HCKG.linkStatus, HCKG.Suggested))
        graph.add((iri, PROV.wasGeneratedBy, run))
        added += 1
    if added:
        data = graph.serialize(format="nt", encoding="utf-8")
        write_graphs(settings, [GraphWrite(LINKS_GRAPH, graph, "hckg pubs suggest --write", digest(data))])
    return added, kept


def list_links(store: OxigraphStore, status: str | None = None) -> list[Link]:
    """Every stored link (or those with ``status``), best trust first."""
    if status is not None and status not in STATUSES:
        raise HckgError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    found = []
    for r in internal_records(store, "pubs-links.rq"):
        state = r["status"].rsplit("#", 1)[-1].lower()
        if status and state != status:
            continue
        found.append(Link(r["link"], r["publication"], r.get("doi", ""), r.get("title", ""), r["target"],
                          r.get("targetName", ""), float(r["trust"]), r["method"].rsplit("#", 1)[-1], r["evidence"],
                          state, r.get("decidedBy", ""), r.get("decidedAt", "")))
    return sorted(found, key=lambda l: (l.publication, -l.trust, l.target))
