"""Accept or reject a stored link, recording who and when (PROV), through the gate.

The decision is an activity of its own (``<link>/decision/<n>``): its time, the person (as
``dcterms:creator``, the way ``graph/meta`` records who loaded a graph; the provenance shapes want
``prov:wasAssociatedWith`` to be the software) and the status it set. Earlier decisions are kept.
"""

from __future__ import annotations

import getpass
import socket
from datetime import datetime, timezone

from decimal import Decimal

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ..config import Settings
from ..errors import HckgError
from ..iris import HCKG
from ..store.open import open_configured_store
from .links import LINKS_GRAPH, STATUSES, UnknownLink, activity, current, link_iri, resolve, software_agent
from ..gate.lock import holding_write_lock
from ..gate.write import GraphWrite, digest, write_graphs


def default_person() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()}"


@holding_write_lock
def link_by_hand(settings: Settings, publication: str, target: str, evidence: str, who: str | None = None) -> str:
    """A manual link (method ManualLink, trust 1), accepted at once by ``who``; returns its IRI.

    The gate checks that the publication is known and the target is a known learning community,
    organisation, challenge or key technology (shapes/publications.ttl); otherwise nothing is written.
    """
    store = open_configured_store(settings)
    graph = current(store)
    iri = link_iri(publication, target)
    if (iri, RDF.type, HCKG.PublicationLink) in graph:
        raise HckgError(f"{iri} links these two already; accept it with `hckg pubs accept`; store unchanged")
    now = datetime.now(timezone.utc)
    graph.add((iri, RDF.type, HCKG.PublicationLink))
    graph.add((iri, HCKG.linkedPublication, URIRef(publication)))
    graph.add((iri, HCKG.linkTarget, URIRef(target)))
    graph.add((iri, HCKG.linkMethod, HCKG.ManualLink))
    graph.add((iri, HCKG.trust, Literal(Decimal("1.000"), datatype=XSD.decimal)))
    graph.add((iri, HCKG.evidence, Literal(evidence or "linked by hand")))
    graph.add((iri, HCKG.linkStatus, HCKG.Suggested))
    graph.add((iri, PROV.wasGeneratedBy, activity(graph, "manual", now)))
    _record(graph, iri, "accepted", who, now)
    data = graph.serialize(format="nt", encoding="utf-8")
    write_graphs(settings, [GraphWrite(LINKS_GRAPH, graph, "hckg pubs link", digest(data))])
    return str(iri)


@holding_write_lock
def decide(settings: Settings, link: str, status: str, who: str | None = None) -> str:
    """Set ``link`` to ``status`` (accepted or rejected); returns the link IRI. Raises UnknownLink."""
    if status not in ("accepted", "rejected"):
        raise ValueError(f"a decision is accepted or rejected, not {status!r}")
    store = open_configured_store(settings)
    graph = current(store)
    iri = URIRef(resolve(link))
    if (iri, RDF.type, HCKG.PublicationLink) not in graph:
        raise UnknownLink(f"no publication link {link!r}; `hckg pubs links` lists them; store unchanged")
    _record(graph, iri, status, who, datetime.now(timezone.utc))
    data = graph.serialize(format="nt", encoding="utf-8")
    write_graphs(settings, [GraphWrite(LINKS_GRAPH, graph, f"hckg pubs {status[:-2]}", digest(data))])
    return str(iri)


def _record(graph: rdflib.Graph, iri: URIRef, status: str, who: str | None, now: datetime) -> None:
    """The decision activity and the new status, in the links graph."""
    number = len(list(graph.objects(iri, HCKG.decision))) + 1
    node = URIRef(f"{iri}/decision/{number}")
    graph.add((iri, HCKG.decision, node))
    graph.add((node, RDF.type, PROV.Activity))
    graph.add((node, PROV.used, iri))
    graph.add((node, PROV.endedAtTime, Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    graph.add((node, PROV.wasAssociatedWith, software_agent()))
    graph.add((node, DCTERMS.creator, Literal(who or default_person())))
    graph.add((node, DCTERMS.type, STATUSES[status]))
    graph.set((iri, HCKG.linkStatus, STATUSES[status]))
