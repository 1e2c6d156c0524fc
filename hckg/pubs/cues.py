"""The evidence a librarian uses to tie a publication to a community, one ``Cue`` per finding, with its words.

- ``author``: an author is a person the data names in a role at the community (``person_names``);
- ``lead`` / ``partner``: the publisher, venue or series, an author's affiliation, or the host of the
  record's URL is the community's lead institution or a partner (by name, other name (former names
  are kept as other names) or the host of its website);
- ``name``: a name or acronym of the community in the publisher, venue/series or the URL (host or path),
  or the URL on the community's own website (title and abstract are the rules' job, ``suggest``);
- ``core``: the distinctive part of a name (its words without kind words such as "centre", "expertise",
  "lectoraat", ``lexicon.kinds``; two words or more, owned by one community) in the title, publisher,
  venue/series or URL ("urban vitality" in ``hva.nl/urban-vitality/...``), or spelt without spaces inside
  one host or path part of the URL, as account and site names are ("hvaurbantechnology" on issuu,
  ``kennisdclogistiek.nl``; ``COMPACT_MIN`` letters or more);
- ``before_start``: the publication is older than the community (year < start year - 1): the year falls
  outside the community's lifetime (no end year is known, so only the start is checked). A community with
  other names in the register (``Facts.former``: former names and predecessors are kept as other names)
  gets ``earlier_name`` instead, evidence only: it may have existed under another name before.

A cue's ``value`` is its specificity: 1 when it points at this community only, 1/n when the same
finding (one person, one institution) points at n communities. ``trust`` turns cues into one number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..queries.running import internal_records
from ..store.oxigraph import OxigraphStore
from .lexicon import STOP_WORDS, fold
from .person_names import PeopleIndex
from .profiles import Community, PublicationText, looks_like_acronym

SHORT_NAME = 5
"""Names of institutions this short ("HAN", "HvA", "Avans") are matched as written, case and all."""
_PAREN = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class Cue:
    kind: str
    value: float
    evidence: str


@dataclass
class Institution:
    iri: str
    names: set[str] = field(default_factory=set)
    """Folded names (long) and as-written short names, see ``SHORT_NAME``."""
    hosts: set[str] = field(default_factory=set)
    label: str = ""


@dataclass
class Facts:
    """What the store says of one community that a cue can check."""

    iri: str
    label: str
    people: list[tuple[str, str]] = field(default_factory=list)
    lead: list[Institution] = field(default_factory=list)
    partners: list[Institution] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)
    start: int | None = None
    names: set[str] = field(default_factory=set)
    acronyms: set[str] = field(default_factory=set)
    description: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    """Labels (nl, en) of its top sectors, societal challenge and key technologies: topic words."""
    former: list[str] = field(default_factory=list)
    """Other names that are not acronyms: possibly a former name or a predecessor, so a lifetime may start earlier."""


def host_of(url: str) -> str:
    """The host without ``www.``: ``https://www.Hanze.nl/x`` → ``hanze.nl``."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def same_site(host: str, site: str) -> bool:
    """``research.hanze.nl`` is on ``hanze.nl``; ``hanze.nl.evil.com`` is not."""
    return bool(host and site) and (host == site or host.endswith("." + site))


def _institution_names(label: str) -> set[str]:
    names = set()
    bare = " ".join(_PAREN.sub(" ", label).split())
    for piece in [label, bare, *_PAREN.findall(label)]:
        piece = piece.strip()
        if len(piece) <= SHORT_NAME or looks_like_acronym(piece):
            if len(piece) >= 2:
                names.add(piece)
        elif len(piece) >= 4:
            names.add(fold(piece))
    return names


def facts(store: OxigraphStore, communities: list[Community]) -> dict[str, Facts]:
    found = {c.iri: Facts(c.iri, c.label, names=set(c.names), acronyms=set(c.acronyms),
                          former=sorted(n for n in c.other_names if not looks_like_acronym(n))) for c in communities}
    orgs: dict[tuple[str, str, str], Institution] = {}
    for row in internal_records(store, "pubs-community-cues.rq"):
        f = found.get(row["community"])
        if f is None:
            continue
        kind, value, extra = row["field"], row["value"], row.get("extra", "")
        if kind == "person":
            f.people.append((value, extra or "role"))
        elif kind in ("lead", "partner"):
            key = (f.iri, kind, extra)
            inst = orgs.get(key)
            if inst is None:
                inst = orgs[key] = Institution(extra)
                (f.lead if kind == "lead" else f.partners).append(inst)
            if value.startswith(("http://", "https://")):
                if host_of(value):
                    inst.hosts.add(host_of(value))
            else:
                inst.label = inst.label or value
                inst.names |= _institution_names(value)
        elif kind == "website" and host_of(value):
            f.hosts.add(host_of(value))
        elif kind == "start" and value[:4].isdigit():
            f.start = int(value[:4])
        elif kind == "description":
            f.description.append(value)
        elif kind == "theme":
            f.themes.append(value)
    return found


def core_of(name: str, kinds: frozenset[str]) -> str:
    """A name without kind words and stop words: "centre of expertise urban vitality" → "urban vitality".

    >>> core_of("Centre of Expertise Urban Vitality", frozenset({"centre", "expertise"}))
    'urban vitality'
    """
    return " ".join(w for w in re.findall(r"[^\W_]+", fold(name)) if w not in kinds and w not in STOP_WORDS)


def cores(found: dict[str, Facts], kinds: frozenset[str]) -> list[tuple[str, str]]:
    """(community, core) for cores of two words or more that one community owns."""
    owners: dict[str, set[str]] = defaultdict(set)
    for iri, f in found.items():
        # A label's parts around commas and dashes are names too: "U Create, Centre of Expertise ...".
        for name in {part for n in [*f.names, f.label] for part in [n, *re.split(r",| - | – ", n)]}:
            core = core_of(name, kinds)
            if len(core.split()) >= 2:
                owners[core].add(iri)
    return sorted((next(iter(o)), c) for c, o in owners.items() if len(o) == 1)


def _word(needle: str, text: str, folded: bool) -> bool:
    hay = fold(text) if folded else text
    return re.search(rf"(?<![\w]){re.escape(needle)}(?![\w])", hay) is not None


def _names_institution(inst: Institution, text: str) -> str | None:
    for name in sorted(inst.names, key=len, reverse=True):
        short = len(name) <= SHORT_NAME or looks_like_acronym(name)
        if _word(name, text, folded=not short):
            return name
    return None


COMPACT_MIN = 10
"""A name written without spaces ("hvaurbantechnology", "kennisdclogistiek") is matched inside a URL part
only when it has this many letters: shorter ones occur by chance inside longer words."""


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", fold(text))


def _url_segments(url: str) -> list[str]:
    """The URL's host labels and path segments, each folded and without separators: account and site names.

    >>> _url_segments("https://issuu.com/hvaurbantechnology/docs/x-y")
    ['issuu', 'com', 'hvaurbantechnology', 'docs', 'xy']
    """
    parts = urlsplit(url.strip())
    pieces = [*(parts.hostname or "").split("."), *parts.path.split("/")]
    return [c for c in (_compact(p) for p in pieces) if c and c != "www"]


def _url_words(url: str) -> str:
    parts = urlsplit(url.strip())
    return " ".join(re.split(r"[\W_]+", f"{parts.hostname or ''} {parts.path}"))


class CueFinder:
    """All cues of one publication for every community, built once per store."""

    def __init__(self, found: dict[str, Facts], kinds: frozenset[str] = frozenset()) -> None:
        self.facts = found
        self.people = PeopleIndex([(name, (iri, role)) for iri, f in found.items() for name, role in f.people])
        self.cores = cores(found, kinds)
        self.institution_hosts = {h for f in found.values() for i in [*f.lead, *f.partners] for h in i.hosts}

    def cues(self, pub: PublicationText) -> dict[str, list[Cue]]:
        raw: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # community → (kind, finding key, evidence)
        for author in dict.fromkeys(pub.authors):
            for person, (iri, role) in self.people.match(author):
                raw[iri].append(("author", "person:" + person.written,
                                 f"author {author!r} is {person.written} ({role}) of {self.facts[iri].label}"))
        places = [("publisher", pub.publisher), *(("venue/series", v) for v in pub.venue),
                  *(("affiliation", a) for a in pub.affiliations)]
        host = host_of(pub.url)
        url_words = _url_words(pub.url) if pub.url else ""
        for iri, f in self.facts.items():
            for kind, institutions in (("lead", f.lead), ("partner", f.partners)):
                for inst in institutions:
                    # The finding is the name or site matched, not the organisation's IRI: "Hogeschool van
                    # Amsterdam (Urban Vitality)", the lead of two living labs, is Hogeschool van Amsterdam too.
                    why, key = next(((f"{where} {text!r} names {inst.label or name!r}", "name:" + fold(name))
                                     for where, text in places if text
                                     for name in [_names_institution(inst, text)] if name), (None, ""))
                    if why is None and host:
                        site = next((h for h in sorted(inst.hosts) if same_site(host, h)), None)
                        if site:
                            why, key = f"URL host {host!r} is the website of {inst.label!r}", "site:" + site
                    if why:
                        verb = "leads" if kind == "lead" else "is a partner of"
                        raw[iri].append((kind, "org:" + key, f"{why}, which {verb} {f.label}"))
                        break
            # A community's website that is its institution's website (hva.nl) says nothing more than the institution.
            site = next((h for h in sorted(f.hosts - self.institution_hosts) if same_site(host, h)), None) if host else None
            if site:
                raw[iri].append(("name", "site:" + site, f"URL {pub.url!r} is on the community's website {site!r}"))
            else:
                said = self._name_in(f, places, url_words)
                if said:
                    raw[iri].append(("name", "name:" + iri, said))
            if f.start and pub.year and pub.year < f.start - 1:
                if f.former:
                    # Urban Vitality (2021) was the HvA speerpunt of that name before: its lifetime may start earlier.
                    raw[iri].append(("earlier_name", "year:" + iri, f"published {pub.year}, before the start under this "
                                     f"name ({f.start}); not held against it, as it has other names ({'; '.join(f.former[:3])})"))
                else:
                    raw[iri].append(("before_start", "year:" + iri, f"published {pub.year}, before the community started ({f.start})"))
        segments = _url_segments(pub.url) if pub.url else []
        for iri, core in self.cores:
            where = next((w for w, text in [("title", pub.title), *places[:-len(pub.affiliations) or None],
                                            ("URL", url_words)] if text and _word(core, text, folded=True)), None)
            if where:
                raw[iri].append(("core", "core:" + core, f"{where} names {core!r}, the distinctive part of its name"))
                continue
            spelt = _compact(core)
            segment = next((s for s in segments if len(spelt) >= COMPACT_MIN and spelt in s), None)
            if segment:
                raw[iri].append(("core", "core:" + core, f"URL part {segment!r} spells {core!r}, the distinctive "
                                 "part of its name (a site or repository account name)"))
        # Specificity: a finding (one person, one institution) shared by n communities counts 1/n for each.
        spread: dict[tuple[str, str], int] = defaultdict(int)
        for iri, items in raw.items():
            for kind, key, _ in set(items):
                spread[(kind, key)] += 1
        out: dict[str, list[Cue]] = {}
        for iri, items in raw.items():
            out[iri] = [Cue(kind, round(1 / spread[(kind, key)], 3), evidence) for kind, key, evidence in dict.fromkeys(items)]
        return out

    @staticmethod
    def _name_in(f: Facts, places: list[tuple[str, str]], url_words: str) -> str | None:
        for where, text in [*places, ("URL", url_words)]:
            if not text:
                continue
            for name in sorted(f.names, key=len, reverse=True):
                if len(name) >= 6 and _word(name, text, folded=True):
                    return f"{where} names {name!r}"
            for acronym in sorted(f.acronyms):
                if len(acronym) < 3:
                    continue
                if _word(acronym, text, folded=False) or (where == "URL" and _word(fold(acronym), fold(text), folded=False)):
                    return f"{where} names {acronym!r}"
        return None
