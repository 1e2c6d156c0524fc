"""The volgsysteem (tracking system) of learning communities: add a record, read a community's records.

The roadmap asks for a light-weight volgsysteem, piloted by Topsector Energie: per community a dated
account of its status, examples, bottlenecks (knelpunten), solutions and results, each with its source.
A record is plain RDF (docs/vocabulary.md, "Volgsysteem"; shapes/volgsysteem.ttl), so a Turtle file
goes in through ``hckg load`` like any other. ``add_record`` builds one record from fields (the CLI's
``hckg volgsysteem add`` and the server's ``POST /volgsysteem``) and writes it through the same
validation gate (``hckg.gate.write.write_graphs``) into its own named graph: there is no second gate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..config import Settings
from ..errors import BadParameter
from ..iris import GRAPH, HCKG, ID, slugify, thing
from ..gate.write import GraphWrite, LoadReport, digest, write_graphs
from ..iris import normalise
from ..queries.running import internal, run_text
from ..store.open import open_configured_store
from ..store.base import Store
from ..ingest.tables import new_graph

COMMUNITY_PREFIX = str(ID) + "community/"
LANGUAGES = ("nl", "en")
_YEAR = re.compile(r"^\d{4}$")
_WEB = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class RecordInput:
    """What a person fills in for one record; ``community`` and ``status`` as they typed them."""

    community: str
    """The community's IRI, its key (``rdm-centre-of-expertise``) or its exact name."""
    status: str
    """A status code (``lopend``), its Dutch or English label, local name (``StatusRunning``) or IRI."""
    on: date
    sources: tuple[str, ...]
    start_year: str = ""
    examples: tuple[str, ...] = ()
    bottlenecks: tuple[str, ...] = ()
    solutions: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    lang: str = "nl"


@dataclass(frozen=True)
class Status:
    iri: str
    code: str
    label_nl: str
    label_en: str


@dataclass
class Record:
    """One record as read back from the store."""

    iri: str
    on: str
    status: str
    status_label: str
    values: dict[str, list[str]] = field(default_factory=dict)
    """Local property name (``source``, ``example`` ...) → values, sorted."""

    def get(self, name: str) -> list[str]:
        return self.values.get(name, [])


def statuses(store: Store) -> list[Status]:
    """The closed list of statuses, read from the ontology in the store."""
    answer = run_text(store, internal("volgsysteem-statuses.rq"), {})
    assert isinstance(answer, ox.QuerySolutions)
    return [Status(r["status"].value, r["code"].value, r["labelNl"].value, r["labelEn"].value)  # type: ignore[index]
            for r in answer]


def resolve_status(store: Store, given: str) -> str:
    """The status IRI for a code, label, local name or IRI; BadParameter listing the codes otherwise."""
    known = statuses(store)
    wanted = normalise(given)
    for s in known:
        if wanted in {normalise(v) for v in (s.iri, s.code, s.label_nl, s.label_en, s.iri.rsplit("#", 1)[-1])}:
            return s.iri
    raise BadParameter("status", given, f"one of {', '.join(s.code for s in known)} (or their labels)")


def community_label(store: Store, iri: str) -> str | None:
    """The Dutch label of ``iri`` if it is a learning community in the store, else None."""
    answer = run_text(store, internal("volgsysteem-community.rq"), {"community": iri})
    assert isinstance(answer, ox.QuerySolutions)
    labels = sorted(r["label"].value for r in answer)  # type: ignore[index]
    return labels[0] if labels else None


def resolve_community(store: Store, given: str) -> tuple[str, str]:
    """(IRI, Dutch label) of the community named by IRI, key or exact name; BadParameter otherwise."""
    text = given.strip()
    iri = text if text.startswith(COMMUNITY_PREFIX) else COMMUNITY_PREFIX + slugify(text)
    label = community_label(store, iri) if slugify(text) else None
    if label is None:
        raise BadParameter("community", given, "a learning community in the store, by IRI, key or exact name "
                                               "(find it with the saved query label-search)")
    return iri, label


def record_iri(community: str, on: date) -> URIRef:
    return URIRef(f"{thing('volgsysteem', community.removeprefix(COMMUNITY_PREFIX))}/{on.isoformat()}")


def record_graph_iri(community: str, on: date) -> str:
    """One named graph per record: adding a later record never touches an earlier one."""
    return str(GRAPH[f"volgsysteem/{community.removeprefix(COMMUNITY_PREFIX)}/{on.isoformat()}"])


def _check_fields(given: RecordInput) -> None:
    if given.lang not in LANGUAGES:
        raise BadParameter("lang", given.lang, f"one of {', '.join(LANGUAGES)}")
    if not given.sources:
        raise BadParameter("source", None, "at least one http(s) IRI of the account the record rests on")
    for url in given.sources:
        if not _WEB.match(url.strip()):
            raise BadParameter("source", url, "an http(s) IRI")
    if given.start_year and not _YEAR.match(given.start_year.strip()):
        raise BadParameter("startYear", given.start_year, "a four-digit year")


def build_record(store: Store, given: RecordInput) -> tuple[URIRef, rdflib.Graph]:
    """The record as RDF, with community and status resolved against the store.

    Raises BadParameter naming the field for an unknown community or status, a source that is
    not an http(s) IRI, a start year that is not four digits, or an unknown language. Everything
    else (e.g. an empty text) is left to the validation gate, which has the final word.
    """
    _check_fields(given)
    community, label = resolve_community(store, given.community)
    status = resolve_status(store, given.status)
    s = record_iri(community, given.on)
    g = new_graph()
    g.add((s, RDF.type, HCKG.VolgsysteemRecord))
    g.add((s, RDFS.label, Literal(f"Volgsysteem {label} {given.on.isoformat()}", lang="nl")))
    g.add((s, RDFS.label, Literal(f"Tracking record {label} {given.on.isoformat()}", lang="en")))
    g.add((s, HCKG.recordOf, URIRef(community)))
    g.add((s, HCKG.status, URIRef(status)))
    g.add((s, DCTERMS.date, Literal(given.on.isoformat(), datatype=XSD.date)))
    for url in given.sources:
        g.add((s, DCTERMS.source, URIRef(url.strip())))
    if given.start_year:
        g.add((s, HCKG.reportedStartYear, Literal(given.start_year.strip(), datatype=XSD.gYear)))
    for values, prop in ((given.examples, HCKG.example), (given.bottlenecks, HCKG.bottleneck),
                         (given.solutions, HCKG.solution), (given.outcomes, HCKG.outcome)):
        for text in values:
            if text.strip():
                g.add((s, prop, Literal(text.strip(), lang=given.lang)))
    return s, g


def add_record(settings: Settings, given: RecordInput, replace: bool = False) -> LoadReport:
    """Write one record as its own named graph through the validation gate (``hckg.gate.write.write_graphs``).

    Raises BadParameter for a field that cannot be resolved, GraphRefused when a record of that
    community and date exists and ``replace`` is false, ValidationFailed on a violation; in every
    case the store is left as it was.
    """
    store = open_configured_store(settings)
    subject, graph = build_record(store, given)
    community = str(graph.value(subject, HCKG.recordOf))
    target = record_graph_iri(community, given.on)
    label = f"volgsysteem-{slugify(community.removeprefix(COMMUNITY_PREFIX))}-{given.on.isoformat()}.ttl"
    data = graph.serialize(format="turtle", encoding="utf-8")
    [existed] = write_graphs(settings, [GraphWrite(target, graph, label, digest(data))], replace)
    return LoadReport(target, len(graph), existed)


def records_of(store: Store, community: str) -> list[Record]:
    """Every record of one community, newest first, with its values by property."""
    answer = run_text(store, internal("volgsysteem-records-of-community.rq"), {"community": community})
    assert isinstance(answer, ox.QuerySolutions)
    records: dict[str, Record] = {}
    for row in answer:
        iri = row["record"].value  # type: ignore[index]
        record = records.setdefault(iri, Record(iri, row["date"].value, row["status"].value,  # type: ignore[index]
                                                row["statusLabel"].value))  # type: ignore[index]
        prop = row["property"]
        if prop is not None:
            name = re.split(r"[#/]", prop.value)[-1]
            record.values.setdefault(name, []).append(row["value"].value)  # type: ignore[index]
    return list(records.values())


def parse_date(text: str) -> date:
    """An ISO date (YYYY-MM-DD); BadParameter naming the field otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as err:
        raise BadParameter("date", text, "an ISO date YYYY-MM-DD") from err


def split_values(values: Sequence[str] | None) -> tuple[str, ...]:
    """Non-empty values, stripped (repeated form fields or CLI options)."""
    return tuple(v.strip() for v in values or () if v and v.strip())
