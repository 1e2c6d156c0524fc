"""One publication per work: the same DOI, or else the same title + year + first author, is one IRI.

OpenAIRE dedupes by persistent identifier first; records without one are compared on normalised
title, year and first author. The publication's IRI is derived from that key, so it is stable across
imports, and a ``Registry`` seeded from the store catches works already loaded from another file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdflib import URIRef

from ..iris import slugify, thing
from .records import Record, normalise_title


def title_key(title: str, year: int | None, family: str) -> str:
    return f"title:{normalise_title(title)}|{year or ''}|{normalise_title(family)}"


def dedupe_key(record: Record) -> str:
    """``doi:<doi>`` or ``title:<title>|<year>|<first author>``, all normalised."""
    if record.doi:
        return f"doi:{record.doi}"
    first = record.authors[0].family or record.authors[0].name if record.authors else ""
    return title_key(record.title, record.year, first)


def publication_iri(key: str) -> URIRef:
    """A readable, stable IRI from the dedupe key; the hash keeps keys that slug alike apart.

    >>> str(publication_iri("doi:10.5555/abc"))
    'https://w3id.org/hckg/id/publication/doi-10-5555-abc-9ea4a029'
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    if key.startswith("doi:"):
        stem = "doi-" + slugify(key[4:])[:60].strip("-")
    else:
        title, year, _ = key[6:].split("|", 2)
        stem = "-".join(p for p in ("t", slugify(title)[:50].strip("-"), year) if p)
    return thing("publication", f"{stem}-{digest}")


@dataclass
class Registry:
    """Known works by DOI and by title key; ``claim`` gives a record its IRI and says if it is new."""

    by_doi: dict[str, URIRef] = field(default_factory=dict)
    by_title: dict[str, URIRef] = field(default_factory=dict)
    first_seen: dict[URIRef, str] = field(default_factory=dict)
    doi_of: dict[URIRef, str] = field(default_factory=dict)

    def add(self, iri: URIRef, doi: str | None, key: str, where: str) -> None:
        if doi:
            self.by_doi.setdefault(doi, iri)
            self.doi_of.setdefault(iri, doi)
        self.by_title.setdefault(key, iri)
        self.first_seen.setdefault(iri, where)

    def claim(self, record: Record) -> tuple[URIRef, bool]:
        """(IRI, True) for a new work, (IRI of the known one, False) for a duplicate."""
        first = record.authors[0].family or record.authors[0].name if record.authors else ""
        tkey = title_key(record.title, record.year, first)
        known = self.by_doi.get(record.doi) if record.doi else None
        if known is None and tkey in self.by_title:
            # Two different DOIs are two works (a preprint and its article are kept apart, as OpenAIRE does).
            candidate = self.by_title[tkey]
            if not (record.doi and self.doi_of.get(candidate) not in (None, record.doi)):
                known = candidate
        if known is not None:
            self.add(known, record.doi, tkey, record.where)
            return known, False
        iri = publication_iri(dedupe_key(record))
        self.add(iri, record.doi, tkey, record.where)
        return iri, True
