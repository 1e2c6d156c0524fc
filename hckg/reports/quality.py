"""How complete the loaded data is (`hckg quality`), measured in the store by SPARQL.

Every figure comes from the store, not from ``data/*.csv``, so data loaded later is measured too:

1. completeness: per class (learning community, each direct subclass of it, organisation, province,
   topsector) and per property its instances use or the ontology gives it (``rdfs:domain``), how
   many instances have at least one value; and per learning-community type and per province, the
   register's figures: communities with a start year, a challenge or a topsector (any; not marked the
   register's judgement; recorded as stated or derived), a key technology, a description and a lead
   institution;
2. coverage: learning communities per province and without one; per societal challenge, those
   whose source names it and those that serve it as the headline query defines it (named, or via
   a lead topsector: the saved query ``regions-lacking-community-caveat`` shares that logic), and
   those naming no challenge;
3. sources: instances with no, exactly one, or two or more ``dcterms:source``;
4. interlinking: instances linked to Wikidata (``owl:sameAs``) or carrying a ROR or Crossref
   funder identifier (``schema:identifier``);
5. provenance: per named graph its triples, source file and when it was *loaded* (``graph/meta``,
   ``prov:generatedAtTime``). The data records no date on which a source page was read, so
   none is reported.

As RDF each measure is one ``dqv:QualityMeasurement`` (W3C Data Quality Vocabulary) of a
``dqv:Metric``, computed on the class, province, challenge or graph it is about. Its ``dqv:value`` is
the share (``xsd:decimal``, four places) when the measure has a total, else the count
(``xsd:integer``); its labels state both counts ("87 of 116").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ..config import Settings
from ..formats import RDF_FORMATS
from ..iris import BASE, HCKG, ID, PREFIXES
from .provenance import graph_records
from ..queries.running import internal, run_saved, run_text, select
from ..store.base import Store

DQV = Namespace("http://www.w3.org/ns/dqv#")
METRIC = Namespace(str(ID) + "metric/")
MEASUREMENT = Namespace(str(ID) + "measurement/")
DIMENSION = Namespace(str(ID) + "dimension/")
CAVEAT_QUERY = "regions-lacking-community-caveat"
RATIO_PLACES = Decimal("0.0001")
LANGUAGES = ("en", "nl")


@dataclass(frozen=True)
class Metric:
    """What a measure counts, with its labels in English and Dutch."""

    slug: str
    dimension: str
    label_en: str
    label_nl: str
    definition_en: str
    definition_nl: str
    share: bool
    """True when its measures have a total, so ``dqv:value`` is a share (xsd:decimal)."""

    @property
    def iri(self) -> URIRef:
        return METRIC[self.slug]

    def label(self, lang: str) -> str:
        return self.label_nl if lang == "nl" else self.label_en


DIMENSIONS: dict[str, tuple[str, str]] = {
    "completeness": ("Completeness", "Volledigheid"),
    "coverage": ("Coverage", "Dekking"),
    "sources": ("Sources", "Bronnen"),
    "interlinking": ("Interlinking", "Koppeling"),
    "provenance": ("Provenance", "Herkomst"),
}

_FIXED = [
    Metric("instances", "completeness", "instances", "instanties",
           "Resources of the class, its subclasses included.",
           "Resources van de klasse, subklassen meegeteld.", False),
    Metric("in-province", "coverage", "learning communities in the province", "leergemeenschappen in de provincie",
           "Learning communities whose hckg:province is this province, of all learning communities.",
           "Leergemeenschappen met deze provincie als hckg:province, van alle leergemeenschappen.", True),
    Metric("without-province", "coverage", "without a province", "zonder provincie",
           "Learning communities with no hckg:province: they count for no province in a 'regions lacking' answer.",
           "Leergemeenschappen zonder hckg:province: ze tellen voor geen enkele provincie mee.", True),
    Metric("names-challenge", "coverage", "source names the challenge", "bron noemt de opgave",
           "Learning communities whose source names this societal challenge (hckg:societalChallenge).",
           "Leergemeenschappen waarvan de bron deze maatschappelijke opgave noemt (hckg:societalChallenge).", True),
    Metric("serves-challenge", "coverage", "serves the challenge (named or lead topsector)",
           "dient de opgave (genoemd of trekker)",
           "Learning communities that serve this challenge as the headline query regions-lacking-community "
           "defines it: the source names it, or one of their topsectors leads it.",
           "Leergemeenschappen die deze opgave dienen zoals de hoofdvraag regions-lacking-community het "
           "bepaalt: de bron noemt haar, of een van hun topsectoren is trekker.", True),
    Metric("names-no-challenge", "coverage", "names no challenge", "noemt geen opgave",
           "Learning communities with no hckg:societalChallenge.",
           "Leergemeenschappen zonder hckg:societalChallenge.", True),
    Metric("communities", "completeness", "learning communities", "leergemeenschappen",
           "Learning communities of the group: of the type (subclasses included) or in the province.",
           "Leergemeenschappen van de groep: van het type (subklassen meegeteld) of in de provincie.", False),
    Metric("with-start-year", "completeness", "with a start year", "met een startjaar",
           "Learning communities of the group with a start year (hckg:startYear).",
           "Leergemeenschappen van de groep met een startjaar (hckg:startYear).", True),
    Metric("with-challenge-or-topsector", "completeness", "with a challenge or a topsector",
           "met een opgave of een topsector",
           "Learning communities of the group with a societal challenge or a topsector: only these can serve a "
           "challenge in a 'regions lacking' answer.",
           "Leergemeenschappen van de groep met een maatschappelijke opgave of een topsector: alleen die kunnen "
           "in een 'regio's zonder'-antwoord een opgave dienen.", True),
    Metric("with-challenge-or-topsector-not-judgement", "completeness",
           "with a challenge or a topsector not marked judgement", "met een opgave of topsector die geen oordeel is",
           "Learning communities of the group with a societal challenge or a topsector whose basis is not recorded as "
           "the register's judgement (hckg:BasisJudgement): stated, derived or not recorded.",
           "Leergemeenschappen van de groep met een maatschappelijke opgave of topsector waarvan de grondslag niet als "
           "oordeel van het register (hckg:BasisJudgement) is vastgelegd: genoemd, afgeleid of niet vastgelegd.", True),
    Metric("with-challenge-or-topsector-stated", "completeness",
           "with a challenge or a topsector recorded as stated", "met een opgave of topsector die een bron noemt",
           "Learning communities of the group with a societal challenge or a topsector whose basis is recorded as "
           "stated or derived (hckg:BasisStated, hckg:BasisDerived).",
           "Leergemeenschappen van de groep met een maatschappelijke opgave of topsector waarvan de grondslag als "
           "genoemd of afgeleid is vastgelegd (hckg:BasisStated, hckg:BasisDerived).", True),
    Metric("with-key-technology", "completeness", "with a key technology", "met een sleuteltechnologie",
           "Learning communities of the group with a key technology (hckg:keyTechnology).",
           "Leergemeenschappen van de groep met een sleuteltechnologie (hckg:keyTechnology).", True),
    Metric("with-description", "completeness", "with a description", "met een beschrijving",
           "Learning communities of the group with a description (schema:description).",
           "Leergemeenschappen van de groep met een beschrijving (schema:description).", True),
    Metric("with-lead-institution", "completeness", "with a lead institution", "met een penvoerder",
           "Learning communities of the group with a lead institution (hckg:leadInstitution).",
           "Leergemeenschappen van de groep met een penvoerder (hckg:leadInstitution).", True),
    Metric("no-source", "sources", "no source", "geen bron",
           "Instances with no dcterms:source.", "Instanties zonder dcterms:source.", True),
    Metric("one-source", "sources", "exactly one source", "precies één bron",
           "Instances with exactly one dcterms:source.", "Instanties met precies één dcterms:source.", True),
    Metric("two-or-more-sources", "sources", "two or more sources", "twee of meer bronnen",
           "Instances with two or more distinct dcterms:source values.",
           "Instanties met twee of meer verschillende dcterms:source-waarden.", True),
    Metric("wikidata-link", "interlinking", "linked to Wikidata", "gekoppeld aan Wikidata",
           "Instances with an owl:sameAs to a Wikidata item.",
           "Instanties met een owl:sameAs naar een Wikidata-item.", True),
    Metric("ror-identifier", "interlinking", "ROR identifier", "ROR-identificatie",
           "Instances with a schema:identifier at https://ror.org/.",
           "Instanties met een schema:identifier onder https://ror.org/.", True),
    Metric("crossref-funder-identifier", "interlinking", "Crossref funder identifier", "Crossref-funder-identificatie",
           "Instances with a schema:identifier that is a Crossref Funder Registry DOI (10.13039/...).",
           "Instanties met een schema:identifier die een DOI van het Crossref Funder Registry is (10.13039/...).", True),
    Metric("triples-in-graph", "provenance", "triples in the graph", "triples in de graaf",
           "Triples of the named graph; its source file and load time are in graph/meta.",
           "Triples van de named graph; bronbestand en laadtijd staan in graph/meta.", False),
]
METRICS: dict[str, Metric] = {m.slug: m for m in _FIXED}
COMMUNITY_COMPLETENESS = (("with-start-year", "withStartYear"), ("with-challenge-or-topsector", "withChallengeOrTopsector"),
                          ("with-challenge-or-topsector-not-judgement", "withChallengeOrTopsectorNotJudgement"),
                          ("with-challenge-or-topsector-stated", "withChallengeOrTopsectorStated"),
                          ("with-key-technology", "withKeyTechnology"), ("with-description", "withDescription"),
                          ("with-lead-institution", "withLeadInstitution"))
"""Metric slug and column of quality-community-completeness.rq, in the order they are reported."""


def _curie(iri: str) -> str:
    """``hckg:province`` for a known namespace, else the IRI itself."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z_][\w-]*", iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _key(text: str) -> str:
    """A path segment from any text, case kept: runs of other characters become one hyphen."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def property_metric(prop: str) -> Metric:
    """The completeness metric of one property: ``metric/has-<prefix>-<name>``."""
    curie = _curie(prop)
    return Metric(
        f"has-{_key(curie)}", "completeness", f"with {curie}", f"met {curie}",
        f"Instances of the class with at least one value of {curie} ({prop}).",
        f"Instanties van de klasse met ten minste één waarde van {curie} ({prop}).", True,
    )


@dataclass(frozen=True)
class Measure:
    """One figure: ``count`` of ``total`` (None when a bare count) for ``metric`` on ``subject``."""

    dimension: str
    subject: str
    subject_labels: tuple[str, str]
    """Label of the subject in English and in Dutch (the source file for a graph)."""
    metric: Metric
    count: int
    total: int | None = None
    loaded_at: str = ""
    """For graph measures: prov:generatedAtTime of the graph in graph/meta (when it was loaded)."""

    lang: str = "en"
    """Language of ``subject_label`` and of the table and CSV output."""

    @property
    def subject_label(self) -> str:
        return self.subject_labels[1] if self.lang == "nl" else self.subject_labels[0]

    @property
    def ratio(self) -> Decimal | None:
        if self.total is None or self.total == 0:
            return None
        return (Decimal(self.count) / Decimal(self.total)).quantize(RATIO_PLACES, rounding=ROUND_HALF_EVEN)

    @property
    def iri(self) -> URIRef:
        """``id/measurement/<metric>/<subject>``, the subject as its IRI after the HCKG base.

        >>> m = Measure("coverage", "https://w3id.org/hckg/id/province/PV20", ("Groningen", "Groningen"),
        ...             METRICS["in-province"], 4, 116)
        >>> str(m.iri)
        'https://w3id.org/hckg/id/measurement/in-province/id-province-PV20'
        """
        subject = self.subject[len(BASE):] if self.subject.startswith(BASE) else self.subject
        return MEASUREMENT[f"{self.metric.slug}/{_key(subject)}"]

    def as_row(self) -> dict[str, Any]:
        """The measure as one flat record (CSV and JSON)."""
        ratio = self.ratio
        return {
            "dimension": self.dimension,
            "subject": self.subject,
            "subject_label": self.subject_label,
            "metric": self.metric.slug,
            "metric_iri": str(self.metric.iri),
            "count": self.count,
            "total": "" if self.total is None else self.total,
            "ratio": "" if ratio is None else str(ratio),
            "loaded_at": self.loaded_at,
        }


ROW_FIELDS = ("dimension", "subject", "subject_label", "metric", "metric_iri", "count", "total", "ratio", "loaded_at")


@dataclass(frozen=True)
class QualityReport:
    measures: list[Measure]
    generated_at: str
    """When the measures were computed (UTC, xsd:dateTime lexical form)."""

    def find(self, metric: str, subject: str) -> Measure:
        """The measure of ``metric`` (slug) on ``subject`` (IRI); KeyError when there is none."""
        for m in self.measures:
            if m.metric.slug == metric and m.subject == subject:
                return m
        raise KeyError((metric, subject))


def _rows(store: Store, query: str, iris: dict[str, str] | None = None) -> list[dict[str, Any]]:
    answer = select(run_text(store, internal(f"{query}.rq"), iris or {}))
    variables = [v.value for v in answer.variables]
    return [{v: row[v] for v in variables} for row in answer]


def _int(term: Any) -> int:
    return 0 if term is None else int(term.value)


class _Labels:
    """English and Dutch labels of resources (the other language, then the IRI's last part, as fallback)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[str, tuple[str, str]] = {}

    def __call__(self, iri: str) -> tuple[str, str]:
        if iri not in self.cache:
            rows = [r for r in _rows(self.store, "labels-of-resource", {"resource": iri})
                    if r["predicate"].value in (str(RDFS.label), str(SKOS.prefLabel))]

            def best(lang: str) -> str:
                ranked = sorted(rows, key=lambda r: (r["label"].language != lang, r["label"].language is None,
                                                     r["predicate"].value != str(RDFS.label), r["label"].value))
                return ranked[0]["label"].value if ranked else re.split(r"[/#]", iri)[-1]

            self.cache[iri] = (best("en"), best("nl"))
        return self.cache[iri]


def measure(store: Store, lang: str = "en", now: datetime | None = None) -> QualityReport:
    """Compute every measure on ``store``; labels of subjects in ``lang`` (en or nl) where they exist."""
    label = _Labels(store)
    found: list[Measure] = []
    classes = [row["class"].value for row in _rows(store, "quality-classes")]

    for cls in classes:
        rows = _rows(store, "quality-properties", {"class": cls})
        total = _int(rows[0]["total"]) if rows else _int(_rows(store, "quality-sources", {"class": cls})[0]["total"])
        found.append(Measure("completeness", cls, label(cls), METRICS["instances"], total))
        for row in sorted(rows, key=lambda r: _curie(r["property"].value)):
            found.append(Measure("completeness", cls, label(cls), property_metric(row["property"].value),
                                 _int(row["filled"]), total))

    # Per type and per province, the figures the register's goals are stated in. Per-type values of
    # single properties are above too; these add "challenge or topsector" and put provinces beside them.
    for row in _rows(store, "quality-community-completeness"):
        iri, total = row["group"].value, _int(row["communities"])
        found.append(Measure("completeness", iri, label(iri), METRICS["communities"], total))
        for slug, column in COMMUNITY_COMPLETENESS:
            found.append(Measure("completeness", iri, label(iri), METRICS[slug], _int(row[column]), total))

    lc = str(HCKG.LearningCommunity)
    gaps = _rows(store, "quality-community-gaps")[0]
    communities = _int(gaps["total"])
    for row in _rows(store, "quality-provinces"):
        iri = row["province"].value
        found.append(Measure("coverage", iri, label(iri), METRICS["in-province"], _int(row["communities"]), communities))
    found.append(Measure("coverage", lc, label(lc), METRICS["without-province"], _int(gaps["withoutProvince"]), communities))
    for row in _rows(store, "quality-challenges"):
        iri = row["challenge"].value
        found.append(Measure("coverage", iri, label(iri), METRICS["names-challenge"], _int(row["named"]), communities))
        found.append(Measure("coverage", iri, label(iri), METRICS["serves-challenge"], _serving(store, iri), communities))
    found.append(Measure("coverage", lc, label(lc), METRICS["names-no-challenge"], _int(gaps["withoutChallenge"]), communities))

    for cls in classes:
        row = _rows(store, "quality-sources", {"class": cls})[0]
        total = _int(row["total"])
        for slug, column in (("no-source", "none"), ("one-source", "one"), ("two-or-more-sources", "several")):
            found.append(Measure("sources", cls, label(cls), METRICS[slug], _int(row[column]), total))

    for cls in classes:
        row = _rows(store, "quality-identifiers", {"class": cls})[0]
        total = _int(row["total"])
        for slug, column in (("wikidata-link", "wikidata"), ("ror-identifier", "ror"),
                             ("crossref-funder-identifier", "crossrefFunder")):
            found.append(Measure("interlinking", cls, label(cls), METRICS[slug], _int(row[column]), total))

    for record in graph_records(store):
        found.append(Measure("provenance", record.iri, (record.source_file, record.source_file), METRICS["triples-in-graph"],
                             record.triples, loaded_at=record.loaded_at))

    found = [replace(m, lang=lang) for m in found]
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    return QualityReport(found, stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _serving(store: Store, challenge: str) -> int:
    """Learning communities serving ``challenge`` by the headline's rule, from the caveat query."""
    answer = run_saved(store, Settings.from_env().queries_dir, CAVEAT_QUERY, {"challenge": [challenge], "type": [str(HCKG.LearningCommunity)]})
    assert isinstance(answer, ox.QuerySolutions)
    return int(next(iter(answer))["serving"].value)  # type: ignore[union-attr]


def _value(m: Measure) -> Literal:
    ratio = m.ratio
    if m.metric.share and ratio is not None:
        return Literal(str(ratio), datatype=XSD.decimal)
    return Literal(m.count, datatype=XSD.integer)


def to_graph(report: QualityReport) -> rdflib.Graph:
    """The report as DQV: a dqv:QualityMeasurement per measure, its metrics and dimensions."""
    g = rdflib.Graph()
    g.bind("dqv", DQV)
    g.bind("prov", PROV)
    g.bind("skos", SKOS)
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    at = Literal(report.generated_at, datatype=XSD.dateTime, normalize=False)
    dimensions = {m.dimension for m in report.measures}
    for slug in dimensions:
        en, nl = DIMENSIONS[slug]
        g.add((DIMENSION[slug], RDF.type, DQV.Dimension))
        g.add((DIMENSION[slug], SKOS.prefLabel, Literal(en, lang="en")))
        g.add((DIMENSION[slug], SKOS.prefLabel, Literal(nl, lang="nl")))
    for metric in {m.metric.slug: m.metric for m in report.measures}.values():
        g.add((metric.iri, RDF.type, DQV.Metric))
        g.add((metric.iri, SKOS.prefLabel, Literal(metric.label_en, lang="en")))
        g.add((metric.iri, SKOS.prefLabel, Literal(metric.label_nl, lang="nl")))
        g.add((metric.iri, SKOS.definition, Literal(metric.definition_en, lang="en")))
        g.add((metric.iri, SKOS.definition, Literal(metric.definition_nl, lang="nl")))
        g.add((metric.iri, DQV.expectedDataType, XSD.decimal if metric.share else XSD.integer))
        g.add((metric.iri, DQV.inDimension, DIMENSION[metric.dimension]))
    for m in report.measures:
        node = m.iri
        g.add((node, RDF.type, DQV.QualityMeasurement))
        g.add((node, DQV.isMeasurementOf, m.metric.iri))
        g.add((node, DQV.computedOn, URIRef(m.subject)))
        g.add((node, DQV.value, _value(m)))
        g.add((node, PROV.generatedAtTime, at))
        for lang in LANGUAGES:
            g.add((node, RDFS.label, Literal(_describe(m, lang), lang=lang)))
    return g


def _describe(m: Measure, lang: str) -> str:
    """``Groningen: learning communities in the province: 4 of 116`` in English or Dutch."""
    subject = m.subject_labels[1 if lang == "nl" else 0] or m.subject
    figure = str(m.count) if m.total is None else f"{m.count} {'van' if lang == 'nl' else 'of'} {m.total}"
    text = f"{subject}: {m.metric.label(lang)}: {figure}"
    if m.loaded_at:
        text += f" ({'geladen op' if lang == 'nl' else 'loaded at'} {m.loaded_at})"
    return text


def to_csv(report: QualityReport) -> str:
    """The report as CSV, one measure a row (the columns of ``ROW_FIELDS``), as ``hckg quality --format csv``."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ROW_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(m.as_row() for m in report.measures)
    return out.getvalue()


def to_json(report: QualityReport) -> str:
    """The report as JSON ``{"generated_at", "measures": [...]}``, as ``hckg quality --format json``."""
    import json

    rows = [m.as_row() for m in report.measures]
    return json.dumps({"generated_at": report.generated_at, "measures": rows}, ensure_ascii=False, indent=1) + "\n"


def to_rdf(report: QualityReport, fmt: str) -> str:
    """The report's DQV graph in ``fmt`` (ttl, jsonld or nt); KeyError for another name."""
    if fmt not in ("ttl", "jsonld", "nt"):
        raise KeyError(fmt)
    return to_graph(report).serialize(format=RDF_FORMATS[fmt].rdflib)
