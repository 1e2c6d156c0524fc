"""Accept or reject a stored link, recording who and when (PROV), through the gate.

The decision is an activity of its own (``<link>/decision/<n>``): its time, the person (as
``dcterms:creator``, the way ``graph/meta`` records who loaded a graph; the provenance shapes want
``prov:wasAssociatedWith`` to be the software) and the status it set. Earlier decisions are kept.
"""

from __future__ import annotations

import getpass
import socket
from datetime import datetime, timezone

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ..config import Settings
from ..iris import HCKG
from ..store import open_store
from .links import LINKS_GRAPH, STATUSES, UnknownLink, current, resolve, software_agent
from .write import GraphWrite, digest, write_graphs


def default_person() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()}"


def decide(settings: Settings, link: str, status: str, who: str | None = None) -> str:
    """Set ``link`` to ``status`` (accepted or rejected); returns the link IRI. Raises UnknownLink."""
    if status not in ("accepted", "rejected"):
        raise ValueError(f"a decision is accepted or rejected, not {status!r}")
    store = open_store(settings.store_path)
    graph = current(store)
    iri = URIRef(resolve(link))
    if (iri, RDF.type, HCKG.PublicationLink) not in graph:
        raise UnknownLink(f"no publication link {link!r}; `hckg pubs links` lists them; store unchanged")
    number = len(list(graph.objects(iri, HCKG.decision))) + 1
    now = datetime.now(timezone.utc)
    node = URIRef(f"{iri}/decision/{number}")
    graph.add((iri, HCKG.decision, node))
    graph.add((node, RDF.type, PROV.Activity))
    graph.add((node, PROV.used, iri))
    graph.add((node, PROV.endedAtTime, Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    graph.add((node, PROV.wasAssociatedWith, software_agent()))
    graph.add((node, DCTERMS.creator, Literal(who or default_person())))
    graph.add((node, DCTERMS.type, STATUSES[status]))
    graph.set((iri, HCKG.linkStatus, STATUSES[status]))
    data = graph.serialize(format="nt", encoding="utf-8")
    write_graphs(settings, [GraphWrite(LINKS_GRAPH, graph, f"hckg pubs {status[:-2]}", digest(data))], store)
    return str(iri)
