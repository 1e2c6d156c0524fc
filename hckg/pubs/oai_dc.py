"""Read Dublin Core records (``oai_dc``) as hogeschool repositories export them: an OAI-PMH ListRecords answer.

HBO Kennisbank, HAN/HvA/Fontys repositories and most DSpace/EPrints sites answer
``verb=ListRecords&metadataPrefix=oai_dc`` with ``<record><header>...<metadata><oai_dc:dc>``; a file
holding such an answer (or a bare ``<oai_dc:dc>`` or a list of them) is read here into ``Record`` s,
so it goes through the same importer, dedupe and gate as BibTeX.

The file is parsed without a DTD: a ``<!DOCTYPE`` (the only way to declare entities, and so to
expand a "billion laughs" or read a local file) refuses the whole file. Deleted records
(``<header status="deleted">``) have no metadata and are skipped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .records import BadRecord, Record, checked, clean_text, normalise_doi, parse_year, split_name

OAI = "{http://www.openarchives.org/OAI/2.0/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"
DC = "{http://purl.org/dc/elements/1.1/}"
_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_DOI_IN = re.compile(r"(10\.\d{4,9}/[^\s\"<>]+)")
_URL = re.compile(r"^https?://\S+$")
_TYPES = (("thesis", "thesis"), ("report", "report"), ("article", "article"), ("book part", "chapter"),
          ("chapter", "chapter"), ("book", "book"), ("dataset", "dataset"), ("conference", "conference-paper"),
          ("lecture", "other"))


def _texts(dc: ET.Element, name: str) -> list[str]:
    return [t for t in (clean_text("".join(e.itertext())) for e in dc.findall(DC + name)) if t]


def _kind(types: list[str]) -> str:
    for raw in types:
        low = raw.lower()
        for word, kind in _TYPES:
            if word in low:
                return kind
    return "other"


def _doi_and_url(identifiers: list[str]) -> tuple[str | None, str]:
    doi, url = None, ""
    for raw in identifiers:
        match = _DOI_IN.search(raw)
        if doi is None and match and ("doi" in raw.lower() or raw.startswith("10.")):
            try:
                doi = normalise_doi(match.group(1).rstrip(".,;"))
            except ValueError:
                pass
        elif not url and _URL.match(raw):
            url = raw
    return doi, url


def dc_record(path: str, key: str, dc: ET.Element) -> Record:
    """One ``<oai_dc:dc>`` element → a Record; ``key`` is the OAI identifier (or the position)."""
    titles = _texts(dc, "title")
    doi, url = _doi_and_url(_texts(dc, "identifier"))
    dates = _texts(dc, "date")
    publishers = _texts(dc, "publisher")
    relations = [r for r in _texts(dc, "relation") if not _URL.match(r)]
    return checked(Record(
        path, key, None, titles[0] if titles else "",
        tuple(split_name(n) for n in _texts(dc, "creator")),
        parse_year(dates[0]) if dates else None, doi,
        relations[0] if relations else "",
        " ".join(_texts(dc, "description")), tuple(_texts(dc, "subject")), _kind(_texts(dc, "type")),
        url=url, publisher="; ".join(publishers), series="; ".join(relations[1:])))


def read_oai_dc(path: Path, text: str) -> list[Record | BadRecord]:
    """Every record of an OAI-PMH ListRecords (or GetRecord) answer, or of bare ``oai_dc:dc`` elements."""
    if _DOCTYPE.search(text):
        raise BadRecord(str(path), None, None, "XML with a DOCTYPE or ENTITY declaration is refused "
                                                "(entities are never expanded); remove the DTD")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        raise BadRecord(str(path), None, err.position[0], f"not well-formed XML: {err}") from err
    found: list[Record | BadRecord] = []
    records = root.iter(OAI + "record")
    pairs: list[tuple[str, ET.Element | None]] = []
    for i, record in enumerate(records):
        header = record.find(OAI + "header")
        if header is not None and header.get("status") == "deleted":
            continue
        ident = header.findtext(OAI + "identifier", default="") if header is not None else ""
        pairs.append((ident.strip() or f"record {i + 1}", record.find(f"{OAI}metadata/{OAI_DC}dc")))
    if not pairs:
        pairs = [(f"record {i + 1}", dc) for i, dc in enumerate(root.iter(OAI_DC + "dc"))]
    if not pairs:
        raise BadRecord(str(path), None, None, "no oai_dc record: expected an OAI-PMH ListRecords answer "
                                                "(record/metadata/oai_dc:dc) or oai_dc:dc elements")
    for key, dc in pairs:
        if dc is None:
            found.append(BadRecord(str(path), key, None, "a record without oai_dc metadata (metadataPrefix=oai_dc?)"))
            continue
        try:
            found.append(dc_record(str(path), key, dc))
        except BadRecord as err:
            found.append(err)
        except (ValueError, TypeError) as err:
            found.append(BadRecord(str(path), key, None, str(err)))
    return found
