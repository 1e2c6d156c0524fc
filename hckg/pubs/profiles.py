"""What the linker reads from the store: each community's names, acronyms and profile, each publication's text.

Names come from the community's label: the label itself, the label without its parenthesised part,
the parts around `` - ``, and the parenthesised pieces (an acronym when it looks like one, else
another name). A name or acronym that two communities share, or that lies inside another community's
label, is dropped: it would point at the wrong one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..queries.running import internal_records
from ..store.oxigraph import OxigraphStore
from .lexicon import Lexicon, align, fold

_PAREN = re.compile(r"\(([^()]*)\)")
_LEADING = re.compile(r"^(formerly|incl\.|including|opschaling|voorheen)\s+", re.IGNORECASE)
_TYPE_PREFIX = re.compile(r"^(lectoraat|practoraat)\s+", re.IGNORECASE)


def looks_like_acronym(piece: str) -> bool:
    """``CELTH``, ``CoE BBE``, ``CIV T&U``: short, two capitals or more, no long lower-case word."""
    words = piece.split()
    return (2 <= len(piece) <= 12 and sum(c.isupper() for c in piece) >= 2
            and not any(sum(c.islower() for c in w) >= 4 for w in words))


def name_variants(label: str) -> tuple[set[str], set[str]]:
    """(names, acronyms) a label gives; names are compared folded, acronyms as written.

    >>> sorted(name_variants("Centre of Expertise Leisure, Tourism & Hospitality (CELTH)")[1])
    ['CELTH']
    >>> [sorted(s) for s in name_variants("Generade - Centre of Expertise Genomics")]
    [['centre of expertise genomics', 'generade - centre of expertise genomics'], ['Generade']]
    """
    names, acronyms = {label}, set()
    bare = " ".join(_PAREN.sub(" ", label).split())
    names.add(bare)
    for part in bare.split(" - "):
        names.add(part.strip())
    for inner in _PAREN.findall(label):
        for piece in re.split(r"[,;]", inner):
            piece = _LEADING.sub("", piece.strip())
            if looks_like_acronym(piece):
                acronyms.add(piece)
            elif len(piece.split()) >= 2:
                names.add(piece)
    single = {n for n in names if len(n.split()) == 1}
    acronyms |= {n for n in single if looks_like_acronym(n)}
    # One word ("Generade", "EnTranCe", "Greenfield") is matched as written: folded, it is often a common word.
    acronyms |= {n for n in single if not looks_like_acronym(n) and len(n) >= 6}
    kept = {fold(n) for n in names - single}
    return kept, acronyms


@dataclass
class Community:
    iri: str
    label: str = ""
    names: set[str] = field(default_factory=set)
    acronyms: set[str] = field(default_factory=set)
    """Matched as written: acronyms, and one-word names (``words``) such as "Generade"."""
    words: set[str] = field(default_factory=set)
    core: str = ""
    """For a lectoraat or practoraat: its name without the type word, folded."""
    leads: set[str] = field(default_factory=set)
    lead_rors: set[str] = field(default_factory=set)
    profile: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    """Partner organisations' names: text evidence only, never a reason to drop a name as generic."""
    other_names: set[str] = field(default_factory=set)
    """Its other names as written (skos:altLabel): the register keeps former names and predecessors there."""

    @property
    def text(self) -> str:
        return " ".join([self.label, *sorted(self.names), *sorted(self.acronyms), *self.profile, *self.partners])


@dataclass
class PublicationText:
    iri: str
    doi: str = ""
    title: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    grants: list[str] = field(default_factory=list)
    rors: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    venue: list[str] = field(default_factory=list)
    publisher: str = ""
    url: str = ""
    year: int | None = None

    @property
    def text(self) -> str:
        return " ".join([self.title, self.abstract, *self.keywords, *self.affiliations])


def communities(store: OxigraphStore) -> list[Community]:
    found: dict[str, Community] = {}
    for row in internal_records(store, "pubs-community-profiles.rq"):
        c = found.setdefault(row["community"], Community(row["community"]))
        field_, value = row["field"], row["value"]
        if field_ == "label":
            c.label = c.label or value
            names, acronyms = name_variants(value)
            c.names |= names
            c.acronyms |= acronyms
            c.words |= {a for a in acronyms if " " not in a and a in value.split(" - ")[0].split()
                        and not a.isupper() and "(" + a not in value}
            bare = " ".join(_PAREN.sub(" ", value).split())
            if _TYPE_PREFIX.match(bare):
                c.core = fold(_TYPE_PREFIX.sub("", bare))
        elif field_ == "altLabel":
            c.other_names.add(value)
            names, acronyms = name_variants(value)
            c.names |= names
            c.acronyms |= acronyms
        elif field_ == "lead":
            if value.startswith("https://ror.org/"):
                c.lead_rors.add(value.rsplit("/", 1)[-1])
            elif not value.startswith("http"):
                c.leads |= {fold(value), fold(" ".join(_PAREN.sub(" ", value).split()))}
                c.leads |= {fold(p) for p in _PAREN.findall(value) if len(p) >= 3}
                c.profile.append(value)
        elif field_ == "partner":
            c.partners.append(value)
        else:
            c.profile.append(value)
    _drop_ambiguous(list(found.values()))
    return sorted(found.values(), key=lambda c: c.iri)


def _same_and(name: str) -> str:
    """"&", "and" and "en" as one word, so "sport & bewegen" is seen inside "sport en bewegen".

    >>> _same_and("sport & bewegen"), _same_and("research and innovation")
    ('sport en bewegen', 'research en innovation')
    """
    return re.sub(r"\s+(?:&|and)\s+", " en ", name)


def _drop_ambiguous(found: list[Community]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for c in found:
        for n in c.names:
            owners[n].add(c.iri)
        for a in c.acronyms:
            owners["acronym:" + a].add(c.iri)
    labels = {c.iri: _same_and(fold(c.label)) for c in found}
    # A lead institution's name or a topsector's label ("High Tech Systems and Materials") names no one community,
    # unless the lead is itself a community: "Centre of Expertise Healthy Ageing" leads an innovatiewerkplaats.
    leads = {lead for c in found for lead in c.leads}
    main_names = {fold(" ".join(_PAREN.sub(" ", c.label).split())) for c in found}
    generic = ({fold(v) for c in found for v in c.profile} | leads) - (leads & main_names)
    for c in found:
        c.names = {n for n in c.names if len(owners[n]) == 1 and n not in generic and not any(
            other != c.iri and re.search(rf"(?<!\w){re.escape(_same_and(n))}(?!\w)", label)
            for other, label in labels.items())}
        c.acronyms = {a for a in c.acronyms if len(owners["acronym:" + a]) == 1}


def publications(store: OxigraphStore) -> list[PublicationText]:
    found: dict[str, PublicationText] = {}
    for row in internal_records(store, "pubs-texts.rq"):
        p = found.setdefault(row["publication"], PublicationText(row["publication"]))
        field_, value = row["field"], row["value"]
        if field_ in ("title", "abstract", "doi", "publisher", "url"):
            setattr(p, field_, value)
        elif field_ == "year":
            p.year = int(value[:4]) if value[:4].isdigit() else None
        elif field_ == "author":
            p.authors.append(value)
        elif field_ == "venue":
            p.venue.append(value)
        elif field_ == "keyword":
            p.keywords.append(value)
        elif field_ == "affiliation":
            p.affiliations.append(value)
        elif field_ == "grant":
            p.grants.append(value)
        elif field_ == "ror":
            p.rors.append(value.rsplit("/", 1)[-1])
    return sorted(found.values(), key=lambda p: p.iri)


def lexicon(store: OxigraphStore) -> Lexicon:
    """Kinds of community and organisation (their words are no evidence) and Dutch → English words, from labels."""
    kinds = frozenset(w for row in internal_records(store, "pubs-type-words.rq") for w in re.findall(r"\w\w+", fold(row["value"])))
    return Lexicon(kinds, align((row["nl"], row["en"]) for row in internal_records(store, "pubs-label-pairs.rq")))


def grants(store: OxigraphStore) -> dict[str, set[str]]:
    """Grant number → communities it is for."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in internal_records(store, "pubs-grants.rq"):
        found[row["number"].strip()].add(row["community"])
    return dict(found)
