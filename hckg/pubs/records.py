"""The publication record every reader produces, and the normalisation of its fields.

A record keeps where it came from (file, entry key, line) so that every error about it can name
them. Normalisation is here, once, so that dedupe and RDF see the same DOI and the same title.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import HckgError

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
"""A DOI as Crossref describes modern ones: ``10.`` + registrant code + ``/`` + suffix without spaces."""
_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|urn:doi:)", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]{0,200}>")
_SPACE = re.compile(r"\s+")
ORCID_PATTERN = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
ROR_PATTERN = re.compile(r"^(?:https?://ror\.org/)?(0[a-z0-9]{6}\d{2})$")
YEARS = range(1900, 2101)
TYPES = ("article", "report", "thesis", "dataset", "chapter", "book", "conference-paper", "practice", "other")


class BadRecord(HckgError):
    """A record that breaks a rule; names the file, the entry key or line, and the rule."""

    def __init__(self, path: str, key: str | None, line: int | None, rule: str) -> None:
        self.path, self.key, self.line, self.rule = path, key, line, rule
        where = path + (f":{line}" if line is not None else "") + (f" entry {key!r}" if key else "")
        super().__init__(f"{where}: {rule}")


@dataclass(frozen=True)
class Author:
    name: str
    family: str = ""
    given: str = ""
    orcid: str | None = None
    affiliations: tuple[str, ...] = ()
    rors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Funding:
    funder: str
    funder_doi: str | None = None
    awards: tuple[str, ...] = ()


@dataclass
class Record:
    """One publication as read from one file; ``key`` and ``line`` locate it there."""

    path: str
    key: str
    line: int | None
    title: str
    authors: tuple[Author, ...] = ()
    year: int | None = None
    doi: str | None = None
    venue: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    kind: str = "other"
    funding: tuple[Funding, ...] = field(default_factory=tuple)
    url: str = ""
    """The landing page the file gives (BibTeX ``url``, oai_dc ``identifier``): its host and path are linker cues."""
    publisher: str = ""
    """Publisher or issuing institution (BibTeX ``publisher``/``institution``/``school``, oai_dc ``publisher``)."""
    series: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}#{self.key}"


def normalise_doi(raw: str) -> str:
    """The DOI in its canonical form: no resolver prefix, lower case (DOIs are case-insensitive).

    >>> normalise_doi(" https://doi.org/10.5555/ABC.1 ")
    '10.5555/abc.1'
    >>> normalise_doi("doi:10.5555/x")
    '10.5555/x'
    >>> normalise_doi("not a doi")
    Traceback (most recent call last):
    ...
    ValueError: 'not a doi' is not a DOI (expected 10.<registrant>/<suffix>)
    """
    text = _DOI_PREFIXES.sub("", raw.strip()).strip()
    text = unicodedata.normalize("NFC", text).lower()
    if not DOI_PATTERN.match(text):
        raise ValueError(f"{raw.strip()[:80]!r} is not a DOI (expected 10.<registrant>/<suffix>)")
    return text


def clean_text(raw: str | None) -> str:
    """Plain text: HTML/JATS tags and BibTeX braces removed, entities decoded, spaces collapsed.

    >>> clean_text("<i>Salmonella</i> in &amp; {Out}")
    'Salmonella in & Out'
    """
    if not raw:
        return ""
    text = html.unescape(_TAG.sub(" ", str(raw)))
    text = text.replace("{", "").replace("}", "")
    return unicodedata.normalize("NFC", _SPACE.sub(" ", text)).strip()


def normalise_title(title: str) -> str:
    """Letters and digits only, case-folded, accents dropped; any script is kept.

    >>> normalise_title("Café: A <b>Study</b>!") == normalise_title("cafe a study")
    True
    >>> normalise_title("学习社区")
    '学习社区'
    """
    folded = unicodedata.normalize("NFKD", clean_text(title).casefold())
    return "".join(ch for ch in folded if ch.isalnum())


def parse_year(raw: object) -> int | None:
    """The first four-digit year in ``raw`` (``2021``, ``2021-05-01``, ``[[2021, 5]]``), or None."""
    if raw is None or raw == "":
        return None
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", str(raw))
    if not match:
        raise ValueError(f"year {str(raw)[:40]!r} has no four-digit year")
    return int(match.group(1))


def split_name(name: str) -> Author:
    """``Family, Given`` or ``Given Family`` → an Author."""
    name = clean_text(name)
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
    else:
        parts = name.rsplit(" ", 1)
        given, family = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    return Author(name=name, family=family, given=given)


def orcid_of(raw: str | None) -> str | None:
    if not raw:
        return None
    match = ORCID_PATTERN.search(raw)
    return match.group(1) if match else None


def ror_of(raw: str | None) -> str | None:
    if not raw:
        return None
    match = ROR_PATTERN.match(raw.strip().lower())
    return match.group(1) if match else None


def checked(record: Record) -> Record:
    """The record if it keeps the rules the shapes also state; raises BadRecord naming the rule."""
    def bad(rule: str) -> BadRecord:
        return BadRecord(record.path, record.key, record.line, rule)

    if not record.title:
        raise bad("no title: every publication needs one")
    if len(record.title) > 2000:
        raise bad(f"title of {len(record.title)} characters; at most 2000")
    if record.year is not None and record.year not in YEARS:
        raise bad(f"year {record.year} outside 1900-2100")
    if record.kind not in TYPES:
        raise bad(f"type {record.kind!r}; expected one of {', '.join(TYPES)}")
    for author in record.authors:
        if not author.name:
            raise bad("an author without a name")
    return record
