"""The project's CSV tables and how each row becomes RDF.

A table is recognised by its header. Every mapping reports a bad cell as a SourceError naming the
file, the line and the rule broken, so nothing half-mapped reaches the store.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, RDFS, SKOS, XSD

from ..errors import SourceError
from ..iris import HCKG, PREFIXES, SCHEMA, WD, fact_key, slugify, thing
from .lookup import COMMUNITY_TYPES, Lookup

SOURCE_DOCUMENTS = ("roadmap-hc-2020-2023", "roadmap-hc-2016-2020")
_ACRONYM = re.compile(r"\(([^()]+)\)")
_YEAR = re.compile(r"^\d{4}$")
_QID = re.compile(r"^Q\d+$")
_SECTION = re.compile(r"^(section [1-6](\.[1-3])?|tekstbox [1-9]|glossary|heading: \S.*)$")
"""How ``hckg:sourceSection`` names a part of a seed document (docs/vocabulary.md, Facts and their section)."""


@dataclass(frozen=True)
class Row:
    """One CSV record with the line it starts on."""

    path: Path
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def values(self, column: str) -> list[str]:
        """The ``;``-separated values of a cell, stripped, empties dropped."""
        return [v.strip() for v in self[column].split(";") if v.strip()]

    def fail(self, message: str) -> SourceError:
        return SourceError(self.path, message, self.line, unreadable=False)


@dataclass(frozen=True)
class Table:
    """A CSV table the project knows: its exact columns and the mapping of its rows."""

    name: str
    columns: tuple[str, ...]
    map_rows: Callable[[list[Row], Lookup, SourceGraph], None]
    optional: tuple[str, ...] = ()
    """Columns a file may leave out: added later, so files written before them still load."""

    def accepts(self, header: list[str]) -> bool:
        """Whether ``header`` is this table's columns, each once, plus any of its optional ones."""
        required = [h for h in header if h not in self.optional]
        return len(set(header)) == len(header) and sorted(required) == sorted(self.columns)


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """Header and rows of a UTF-8 CSV file; each row knows the line it starts on."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise SourceError(path, f"not UTF-8 text (byte {err.start}: {err.reason})", line) from err
    if not text.strip():
        raise SourceError(path, "empty file: expected a header row")
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    try:
        start = 1
        header = [h.strip() for h in (reader.fieldnames or [])]
        rows: list[Row] = []
        start = reader.line_num + 1
        for record in reader:
            if None in record:
                raise SourceError(path, f"more cells than the {len(header)} columns of the header", start)
            if any(v is None for v in record.values()):
                raise SourceError(path, f"fewer cells than the {len(header)} columns of the header", start)
            rows.append(Row(path, start, {k.strip(): v for k, v in record.items()}))
            start = reader.line_num + 1
    except csv.Error as err:
        raise SourceError(path, f"malformed CSV (record starting here): {err}", start) from err
    return header, rows


def recognise(path: Path, header: list[str]) -> Table:
    """The table whose columns are exactly ``header``; else an error listing the known headers."""
    for table in TABLES:
        if table.accepts(header):
            return table
    best = max(TABLES, key=lambda t: len(set(t.columns) & set(header)))
    missing = [c for c in best.columns if c not in header]
    extra = [c for c in header if c not in best.columns + best.optional]
    detail = []
    if missing:
        detail.append(f"missing column(s) {', '.join(missing)}")
    if extra:
        detail.append(f"unknown column(s) {', '.join(extra)}")
    raise SourceError(
        path,
        f"header is not one of the project's tables; closest is {best.name!r} ({'; '.join(detail)})",
        1,
    )


def table_of(path: Path) -> Table:
    """The table a CSV file holds, judged by its header line alone."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), [])
    except UnicodeDecodeError as err:
        raise SourceError(path, f"not UTF-8 text ({err.reason})", 1) from err
    if not header:
        raise SourceError(path, "empty file: expected a header row")
    return recognise(path, [h.strip() for h in header])


def map_csv(path: Path, lookup: Lookup, read: tuple[list[str], list[Row]] | None = None) -> tuple[Table, SourceGraph]:
    """Read, recognise and map one CSV file into a new graph; ``read`` is ``read_rows(path)`` when the
    caller has already read the table (a load reads it once for the store look-up and the mapping)."""
    header, rows = read if read is not None else read_rows(path)
    table = recognise(path, header)
    graph = new_graph()
    table.map_rows(rows, lookup, graph)
    return table, graph


class SourceGraph(rdflib.Graph):
    """A graph mapped from one source, remembering the line each main resource came from."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[URIRef, int] = {}


def new_graph() -> SourceGraph:
    """An empty graph with the project's prefixes bound (for readable Turtle dumps)."""
    graph = SourceGraph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


# --- cell helpers ------------------------------------------------------------------------------


def _iri(row: Row, column: str, value: str) -> URIRef:
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
        raise row.fail(f"{column} {value!r} is not an http(s) IRI")
    return URIRef(value)


def _sources(row: Row, graph: rdflib.Graph, subject: URIRef, column: str = "source_url") -> None:
    urls = row.values(column)
    if not urls:
        raise row.fail(f"{column} is empty: every row needs the source it was read from")
    for url in urls:
        graph.add((subject, DCTERMS.source, _iri(row, column, url)))


def _document(row: Row, column: str = "source") -> URIRef:
    key = row[column]
    if key not in SOURCE_DOCUMENTS:
        raise row.fail(f"{column} {key!r} is not a seed document; use one of {', '.join(SOURCE_DOCUMENTS)}")
    return thing("document", key)


def _labels(graph: rdflib.Graph, subject: URIRef, nl: str, en: str = "") -> None:
    for text, lang in ((nl, "nl"), (en, "en")):
        if text:
            graph.add((subject, RDFS.label, Literal(text, lang=lang)))
            graph.add((subject, SKOS.prefLabel, Literal(text, lang=lang)))


def _scheme(g: SourceGraph, key: str, nl: str, en: str) -> URIRef:
    """A SKOS concept scheme the rows of one table belong to."""
    scheme = thing("scheme", key)
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    _labels(g, scheme, nl, en)
    return scheme


def _resource(g: SourceGraph, kind: str, key: str, cls_: URIRef, row: Row) -> URIRef:
    """The resource a row describes, typed, remembering the row's line for error reports."""
    s = thing(kind, key)
    g.lines.setdefault(s, row.line)
    g.add((s, RDF.type, cls_))
    return s


def _note(graph: rdflib.Graph, subject: URIRef, row: Row) -> None:
    if row["notes"]:
        graph.add((subject, SKOS.editorialNote, Literal(row["notes"], lang="en")))


def _same_as_wikidata(row: Row, graph: rdflib.Graph, subject: URIRef, column: str = "wikidata_qid") -> None:
    qid = row[column]
    if qid:
        if not _QID.match(qid):
            raise row.fail(f"{column} {qid!r} is not a Wikidata QID like Q752")
        graph.add((subject, OWL.sameAs, WD[qid]))


def _resolve_one(row: Row, column: str, value: str, cls_: URIRef, lookup: Lookup, what: str) -> URIRef:
    found = lookup.resolve(cls_, value)
    if len(found) == 1:
        return next(iter(found))
    if not found:
        raise row.fail(f"{column}: unknown {what} {value!r}; known: {', '.join(lookup.labels(cls_)) or '(none)'}")
    raise row.fail(f"{column}: {value!r} names several {what}s: {', '.join(sorted(found))}")


def _keys(rows: list[Row], column: str = "key") -> Iterator[tuple[Row, str]]:
    seen: dict[str, int] = {}
    for row in rows:
        key = row[column]
        if not key:
            raise row.fail(f"{column} is empty")
        if key in seen:
            raise row.fail(f"duplicate {column} {key!r} (first on line {seen[key]})")
        seen[key] = row.line
        yield row, key


# --- reference tables --------------------------------------------------------------------------


def map_provinces(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    for row, code in _keys(rows, "cbs_code"):
        if not re.match(r"^PV\d{2}$", code):
            raise row.fail(f"cbs_code {code!r} is not a CBS province code like PV20")
        s = _resource(g, "province", code, HCKG.Province, row)
        _labels(g, s, row["name_nl"], row["name_en"])
        g.add((s, HCKG.cbsCode, Literal(code)))
        g.add((s, HCKG.iso3166Code, Literal(row["iso_3166_2"])))
        g.add((s, HCKG.capital, Literal(row["capital"])))
        _same_as_wikidata(row, g, s)
        _sources(row, g, s)
        _note(g, s, row)


def map_topsectors(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    for row, key in _keys(rows):
        s = _resource(g, "topsector", key, HCKG.Topsector, row)
        _labels(g, s, row["name_nl"], row["name_en"])
        for alt in row.values("alt_labels"):
            g.add((s, SKOS.altLabel, Literal(alt, lang="nl")))
        if row["tki_or_organisation"]:
            g.add((s, HCKG.tki, Literal(row["tki_or_organisation"])))
        if row["website"]:
            g.add((s, SCHEMA.url, _iri(row, "website", row["website"])))
        _same_as_wikidata(row, g, s)
        _sources(row, g, s)
        _note(g, s, row)


def map_key_technologies(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    scheme = _scheme(g, "key-technologies", "Sleuteltechnologieën", "Key technologies")
    for row, key in _keys(rows):
        s = _resource(g, "key-technology", key, HCKG.KeyTechnology, row)
        g.add((s, SKOS.inScheme, scheme))
        _labels(g, s, row["name_nl"], row["name_en"])
        _sources(row, g, s)
        _note(g, s, row)


def map_missions(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    scheme = _scheme(g, "missions", "Missies", "Missions")
    for row, key in _keys(rows):
        challenge = thing("challenge", row["theme"])
        if not lookup.has_member(HCKG.SocietalChallenge, challenge):
            raise row.fail(f"theme {row['theme']!r} is not a known societal challenge key")
        if key.startswith("theme-"):
            # A theme row names the challenge itself: its wording becomes another label and source.
            for text, lang in ((row["name_nl"], "nl"), (row["name_en"], "en")):
                if text:
                    g.add((challenge, SKOS.altLabel, Literal(text, lang=lang)))
            _sources(row, g, challenge)
            continue
        s = _resource(g, "mission", key, HCKG.Mission, row)
        g.add((s, SKOS.inScheme, scheme))
        g.add((s, HCKG.missionOf, challenge))
        _labels(g, s, row["name_nl"], row["name_en"])
        _sources(row, g, s)
        _note(g, s, row)


ORGANISATION_KINDS = {
    "funder": HCKG.Funder,
    "ministry": HCKG.Ministry,
    "network": HCKG.Network,
    "employer-organisation": HCKG.EmployerOrganisation,
    "research-institute": HCKG.ResearchInstitute,
    "education-association": HCKG.EducationAssociation,
    "platform": HCKG.Platform,
    "advisory-council": HCKG.AdvisoryCouncil,
    # Institutions reconciled from the communities table's free-text names (issue 10): the kind is what
    # the name states (Hogeschool, ROC, University), else the plain class.
    "hbo-institution": HCKG.HboInstitution,
    "mbo-institution": HCKG.MboInstitution,
    "university": HCKG.University,
    "education-institution": HCKG.EducationInstitution,
    "organisation": HCKG.Organisation,
}


def map_organisations(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    for row, key in _keys(rows):
        kind = ORGANISATION_KINDS.get(row["kind"])
        if kind is None:
            raise row.fail(f"kind {row['kind']!r} is not one of {', '.join(ORGANISATION_KINDS)}")
        s = _resource(g, "organisation", key, kind, row)
        name = row["name"]
        g.add((s, RDFS.label, Literal(name, lang="nl")))
        g.add((s, SKOS.prefLabel, Literal(name, lang="nl")))
        # "Sociaal-Economische Raad (SER)" is also known as "SER": the acronym is an alternative label.
        for acronym in _ACRONYM.findall(name):
            g.add((s, SKOS.altLabel, Literal(acronym, lang="nl")))
        # Other names of the same institution, so the communities table's cells resolve to this one IRI.
        for alt in row.values("alt_labels"):
            g.add((s, SKOS.altLabel, Literal(alt, lang="nl")))
        if row["website"]:
            g.add((s, SCHEMA.url, _iri(row, "website", row["website"])))
        _same_as_wikidata(row, g, s)
        if row["ror_id"]:
            g.add((s, SCHEMA.identifier, _iri(row, "ror_id", "https://ror.org/" + row["ror_id"])))
        if row["crossref_funder_id"]:
            g.add((s, SCHEMA.identifier, _iri(row, "crossref_funder_id", "https://doi.org/" + row["crossref_funder_id"])))
        _sources(row, g, s)
        _note(g, s, row)


# --- the learning communities ------------------------------------------------------------------


def _organisation(row: Row, column: str, name: str, lookup: Lookup, g: SourceGraph) -> URIRef:
    """A known organisation with that name, or a new one keyed by the slug of the name.

    The communities table names organisations in free text; the row's sources are the evidence
    that the organisation exists, so they become its sources too.
    """
    found = lookup.resolve(HCKG.Organisation, name)
    if len(found) == 1:
        return next(iter(found))
    known = thing("organisation", slugify(name))
    if lookup.has_member(HCKG.Organisation, known):
        # Another spelling of an organisation of organisations.csv whose key is this name's slug
        # ("CA-ICT" for "Stichting CA-ICT ..." keyed ca-ict): the same resource, the spelling an alternative.
        g.add((known, SKOS.altLabel, Literal(name, lang="nl")))
        return known
    s = _resource(g, "organisation", slugify(name), HCKG.Organisation, row)
    if (s, SKOS.prefLabel, None) in g:
        # Same key, other spelling ("Lentiz Onderwijsgroep" / "Lentiz onderwijsgroep"): keep the first as
        # the preferred label, the others as alternatives.
        if (s, SKOS.prefLabel, Literal(name, lang="nl")) not in g:
            g.add((s, SKOS.altLabel, Literal(name, lang="nl")))
    else:
        g.add((s, RDFS.label, Literal(name, lang="nl")))
        g.add((s, SKOS.prefLabel, Literal(name, lang="nl")))
    _sources(row, g, s)
    return s


def map_learning_communities(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    seen: dict[URIRef, int] = {}
    for row in rows:
        name = row["name"]
        if not name:
            raise row.fail("name is empty")
        s = thing("community", slugify(name))
        g.lines.setdefault(s, row.line)
        if s in seen:
            raise row.fail(f"name {name!r} gives the same key as line {seen[s]} ({s})")
        seen[s] = row.line
        if not row["type"]:
            raise row.fail("type is empty: every learning community needs one")
        g.add((s, RDF.type, _resolve_one(row, "type", row["type"], COMMUNITY_TYPES, lookup, "community type")))
        g.add((s, RDFS.label, Literal(name, lang="nl")))
        g.add((s, SKOS.prefLabel, Literal(name, lang="nl")))
        # Co-led communities ("Windesheim;NHL Stenden" for GreenPAC) name each lead, split like partners:
        # read whole, the cell became one organisation called "Windesheim;NHL Stenden".
        for lead in row.values("lead_institution"):
            g.add((s, HCKG.leadInstitution, _organisation(row, "lead_institution", lead, lookup, g)))
        for partner in row.values("partners"):
            g.add((s, HCKG.partner, _organisation(row, "partners", partner, lookup, g)))
        if row["city"]:
            g.add((s, SCHEMA.addressLocality, Literal(row["city"])))
        if row["province"]:
            g.add((s, HCKG.province, _resolve_one(row, "province", row["province"], HCKG.Province, lookup, "province")))
        for ts in row.values("topsectors"):
            g.add((s, HCKG.topsector, _resolve_one(row, "topsectors", ts, HCKG.Topsector, lookup, "topsector")))
        for ch in row.values("societal_challenge"):
            g.add((s, HCKG.societalChallenge,
                   _resolve_one(row, "societal_challenge", ch, HCKG.SocietalChallenge, lookup, "societal challenge")))
        if row["start_year"]:
            if not _YEAR.match(row["start_year"]):
                raise row.fail(f"start_year {row['start_year']!r} is not a four-digit year")
            g.add((s, HCKG.startYear, Literal(row["start_year"], datatype=XSD.gYear)))
        if row["website"]:
            g.add((s, SCHEMA.url, _iri(row, "website", row["website"])))
        for kt in row.values("key_technologies"):
            g.add((s, HCKG.keyTechnology,
                   _resolve_one(row, "key_technologies", kt, HCKG.KeyTechnology, lookup, "key technology")))
        # Former names (before a merger or renaming) stay findable: publications and pages still use them.
        for alt in row.values("alt_names"):
            g.add((s, SKOS.altLabel, Literal(alt, lang="nl")))
        for column, lang in (("description", "en"), ("description_nl", "nl")):
            if row[column]:
                g.add((s, SCHEMA.description, Literal(row[column], lang=lang)))
        _sources(row, g, s)
        _note(g, s, row)


ATTRIBUTION_BASES: dict[str, URIRef] = {
    "stated": HCKG.BasisStated, "derived": HCKG.BasisDerived, "judgement": HCKG.BasisJudgement,
}
"""The values of the ``topsectors_basis`` and ``societal_challenge_basis`` columns of community_bases.csv."""


def map_community_bases(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    """What each community's topsectors and challenges rest on, so stated ones can be counted apart.

    Its own table, keyed by community, so the register's table keeps its columns; an empty cell means
    the register did not record the basis. The shapes refuse a basis of a cell the community lacks.
    """
    for row in rows:
        # Keyed as the register keys it (the slug of the exact name), not by label: a former name of one
        # community may be another's name.
        community = thing("community", slugify(row["community"]))
        if not lookup.has_member(HCKG.LearningCommunity, community):
            raise row.fail(f"community: unknown learning community {row['community']!r} (no {community} in "
                           "learning_communities.csv; write the name exactly as the register does)")
        g.lines.setdefault(community, row.line)
        for column, prop in (("topsectors_basis", HCKG.topsectorBasis), ("societal_challenge_basis", HCKG.challengeBasis)):
            value = row[column]
            if not value:
                continue
            if value not in ATTRIBUTION_BASES:
                raise row.fail(f"{column} {value!r} is not one of {', '.join(ATTRIBUTION_BASES)}")
            g.add((community, prop, ATTRIBUTION_BASES[value]))


ROLES: dict[str, tuple[str, str]] = {
    "lector": ("Lector", "Professor of applied sciences (lector)"),
    "practor": ("Practor", "Practor"),
    "programme-leader": ("Programmaleider", "Programme leader"),
    "director": ("Directeur", "Director"),
    "quartermaster": ("Kwartiermaker", "Quartermaster (kwartiermaker)"),
    "coordinator": ("Coördinator", "Coordinator"),
    "chair": ("Voorzitter", "Chair"),
    "project-leader": ("Projectleider", "Project leader"),
    "associate-lector": ("Associate lector", "Associate professor of applied sciences (associate lector)"),
    "founder": ("Initiatiefnemer", "Founder or initiator"),
    "board-member": ("Bestuurslid", "Board or steering-group member"),
    "manager": ("Manager", "Manager"),
}
"""The public roles the people table records, keyed as its ``role`` column writes them."""


def map_people(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    """People a public page names in a role at a learning community, as ``org:Membership``.

    Publications are linked through them: an author who is the community's lector ties the
    publication to the community. The person is keyed by the slug of the name as written, so
    one person named the same way at two communities is one resource with two memberships.
    """
    for row in rows:
        name, role = row["name"], row["role"]
        if not name:
            raise row.fail("name is empty")
        if role not in ROLES:
            raise row.fail(f"role {role!r} is not one of {', '.join(ROLES)}")
        community = _resolve_one(row, "community", row["community"], HCKG.LearningCommunity, lookup,
                                 "learning community")
        person = _resource(g, "person", slugify(name), SCHEMA.Person, row)
        g.add((person, SCHEMA.name, Literal(name)))
        g.add((person, RDFS.label, Literal(name, lang="nl")))
        _sources(row, g, person)
        role_iri = thing("role", role)
        g.add((role_iri, RDF.type, ORG.Role))
        _labels(g, role_iri, *ROLES[role])
        key = f"{community.rsplit('/', 1)[-1]}--{slugify(name)}--{role}"
        membership = _resource(g, "membership", key, ORG.Membership, row)
        g.add((membership, ORG.member, person))
        g.add((membership, ORG.organization, community))
        g.add((membership, ORG.role, role_iri))
        _sources(row, g, membership)
        _note(g, membership, row)


# --- the roadmap's own tables ------------------------------------------------------------------


def map_impact_domains(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    scheme = _scheme(g, "challenges", "Maatschappelijke uitdagingen en andere impactdomeinen",
                     "Societal challenges and other impact domains")
    g.add((scheme, DCTERMS.source, thing("document", "roadmap-hc-2020-2023")))
    for row, key in _keys(rows):
        kinds = {"challenge": ("challenge", HCKG.SocietalChallenge), "other": ("impact-domain", HCKG.ImpactDomain)}
        if row["kind"] not in kinds:
            raise row.fail(f"kind {row['kind']!r} is not 'challenge' or 'other'")
        kind, cls_ = kinds[row["kind"]]
        s = thing(kind, key)
        g.lines.setdefault(s, row.line)
        g.add((s, RDF.type, cls_))
        g.add((s, SKOS.inScheme, scheme))
        _labels(g, s, row["label_nl"], row["label_en"])
        for column, lang in (("alt_labels_nl", "nl"), ("alt_labels_en", "en")):
            for alt in row.values(column):
                g.add((s, SKOS.altLabel, Literal(alt, lang=lang)))
        for column, prop in (("lead_topsectors", HCKG.leadTopsector), ("involved_topsectors", HCKG.involvedTopsector)):
            for ts in row.values(column):
                g.add((s, prop, _topsector_key(row, column, ts, lookup)))
        flag = row["involves_all_topsectors"].lower()
        if flag not in ("true", "false"):
            raise row.fail(f"involves_all_topsectors {flag!r} is not true or false")
        g.add((s, HCKG.involvesAllTopsectors, Literal(flag == "true")))
        if flag == "true":
            # "Alle topsectoren": every topsector that does not lead is involved.
            leads = set(g.objects(s, HCKG.leadTopsector))
            for ts in lookup.members(HCKG.Topsector) - leads:
                g.add((s, HCKG.involvedTopsector, ts))
        g.add((s, DCTERMS.source, _document(row)))
        if row["source_row"]:
            g.add((s, HCKG.sourceRow, Literal(row["source_row"])))
        _note(g, s, row)


def _topsector_key(row: Row, column: str, key: str, lookup: Lookup) -> URIRef:
    s = thing("topsector", key)
    if not lookup.has_member(HCKG.Topsector, s):
        raise row.fail(f"{column}: unknown topsector key {key!r}")
    return s


def _organisation_key(row: Row, column: str, key: str, lookup: Lookup) -> URIRef:
    s = thing("organisation", key)
    if not lookup.has_member(HCKG.Organisation, s):
        raise row.fail(f"{column}: unknown organisation key {key!r}")
    return s


ACTION_GROUPS = (
    "vergroten-impact",
    "kennis-ontwikkelen-verspreiden",
    "mobiliseren-versnellen",
    "bestuurlijke-vertegenwoordiging",
    "ondersteuning-coordinatie",
)


def _sections(row: Row, column: str, values: list[str]) -> list[str]:
    """The section(s) a fact column's values are stated in: required when there are values, else empty."""
    sections = row.values(column)
    if values and not sections:
        raise row.fail(f"{column} is empty: say which section of the seed states the facts")
    if sections and not values:
        raise row.fail(f"{column} names a section, but its fact column is empty")
    for section in sections:
        if not _SECTION.match(section):
            raise row.fail(f"{column} {section!r} is not 'section <n>[.<m>]', 'tekstbox <n>', 'glossary' or 'heading: ...'")
    return sections


def _fact(g: SourceGraph, subject: URIRef, predicate: URIRef, value: URIRef | Literal, sections: list[str],
          document: URIRef) -> None:
    """Assert a fact and, per section that states it, its reified statement with hckg:sourceSection."""
    g.add((subject, predicate, value))
    for section in sections:
        statement = thing("fact", fact_key(str(subject), str(predicate), str(value), section))
        g.add((statement, RDF.type, RDF.Statement))
        g.add((statement, RDF.subject, subject))
        g.add((statement, RDF.predicate, predicate))
        g.add((statement, RDF.object, value))
        g.add((statement, HCKG.sourceSection, Literal(section)))
        g.add((statement, DCTERMS.source, document))


def _impact_domain_key(row: Row, column: str, key: str, lookup: Lookup) -> URIRef:
    for kind in ("challenge", "impact-domain"):
        s = thing(kind, key)
        if lookup.has_member(HCKG.ImpactDomain, s):
            return s
    raise row.fail(f"{column}: unknown impact-domain key {key!r} (keys of impact_domains.csv)")


def map_actions(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    for position, (row, key) in enumerate(_keys(rows), start=1):
        if row["group"] not in ACTION_GROUPS:
            raise row.fail(f"group {row['group']!r} is not one of {', '.join(ACTION_GROUPS)}")
        s = _resource(g, "action", key, HCKG.Action, row)
        g.add((s, RDFS.label, Literal(row["label_nl"], lang="nl")))
        g.add((s, HCKG.inGroup, thing("programme-line", row["group"])))
        g.add((s, SKOS.notation, Literal(position)))
        for ts in row.values("trekker_topsectors"):
            g.add((s, HCKG.trekker, _topsector_key(row, "trekker_topsectors", ts, lookup)))
        for org in row.values("trekker_organisations"):
            g.add((s, HCKG.trekker, _organisation_key(row, "trekker_organisations", org, lookup)))
        if row["trekker_text"]:
            g.add((s, HCKG.trekkerText, Literal(row["trekker_text"])))
        document = _document(row)
        # Facts the prose states about the action, each with the section(s) that state it.
        domains = row.values("impact_domains")
        sections = _sections(row, "impact_domains_section", domains)
        for key in domains:
            _fact(g, s, HCKG.servesImpactDomain, _impact_domain_key(row, "impact_domains", key, lookup), sections, document)
        start = row.values("start_year")
        sections = _sections(row, "start_year_section", start)
        if len(start) > 1 or (start and not _YEAR.match(start[0])):
            raise row.fail(f"start_year {row['start_year']!r} is not one four-digit year")
        if start:
            _fact(g, s, SCHEMA.startDate, Literal(start[0], datatype=XSD.gYear), sections, document)
        g.add((s, DCTERMS.source, document))
        _note(g, s, row)


def map_glossary(rows: list[Row], lookup: Lookup, g: SourceGraph) -> None:
    scheme = _scheme(g, "glossary", "Uitleg van begrippen en afkortingen", "Glossary of terms and abbreviations")
    g.add((scheme, DCTERMS.source, thing("document", "roadmap-hc-2020-2023")))
    for row, key in _keys(rows):
        s = _resource(g, "term", key, SKOS.Concept, row)
        g.add((s, SKOS.inScheme, scheme))
        g.add((s, SKOS.prefLabel, Literal(row["term"], lang="nl")))
        g.add((s, RDFS.label, Literal(row["term"], lang="nl")))
        g.add((s, SKOS.definition, Literal(row["definition_nl"], lang="nl")))
        if row["related"]:
            g.add((s, RDFS.seeAlso, _iri(row, "related", row["related"])))
        g.add((s, DCTERMS.source, _document(row)))


TABLES: tuple[Table, ...] = (
    Table("provinces", ("name_nl", "name_en", "cbs_code", "iso_3166_2", "wikidata_qid", "capital", "source_url", "notes"),
          map_provinces),
    Table("topsectors", ("key", "name_nl", "name_en", "alt_labels", "tki_or_organisation", "website", "wikidata_qid",
                         "source_url", "notes"), map_topsectors),
    Table("key_technologies", ("key", "name_nl", "name_en", "source_url", "notes"), map_key_technologies),
    Table("organisations", ("key", "name", "kind", "website", "wikidata_qid", "ror_id", "crossref_funder_id",
                            "source_url", "notes"), map_organisations, optional=("alt_labels",)),
    Table("impact_domains", ("key", "kind", "label_nl", "label_en", "alt_labels_nl", "alt_labels_en",
                             "lead_topsectors", "involved_topsectors", "involves_all_topsectors", "source",
                             "source_row", "notes"), map_impact_domains),
    Table("missions", ("key", "theme", "name_nl", "name_en", "source_url", "notes"), map_missions),
    Table("actions", ("key", "group", "label_nl", "trekker_topsectors", "trekker_organisations", "trekker_text",
                      "source", "notes"), map_actions,
          optional=("impact_domains", "impact_domains_section", "start_year", "start_year_section")),
    Table("glossary", ("key", "term", "definition_nl", "related", "source"), map_glossary),
    Table("learning_communities", ("name", "type", "lead_institution", "partners", "city", "province", "topsectors",
                                   "societal_challenge", "start_year", "website", "source_url"),
          map_learning_communities,
          optional=("notes", "description", "description_nl", "key_technologies", "alt_names")),
    Table("people", ("name", "role", "community", "source_url"), map_people, optional=("notes",)),
    Table("community_bases", ("community", "topsectors_basis", "societal_challenge_basis", "notes"), map_community_bases),
)
"""In dependency order: a table may refer to resources of the tables before it."""
