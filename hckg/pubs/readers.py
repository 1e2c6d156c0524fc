"""Read publication files (BibTeX, RIS, CSL-JSON, Crossref and OpenAlex works JSON, oai_dc XML) into records.

Files only, never the network. A reader returns every entry of its file, each either a ``Record``
or the ``BadRecord`` that says why it cannot be one, so the importer can refuse the whole file or,
with ``--skip-bad``, keep the good entries. A file that cannot be read at all raises ``BadRecord``
without an entry key (``SourceError`` for an unreadable file).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
from pathlib import Path
from typing import Any, Callable, Iterable

import bibtexparser
import rispy
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

from ..errors import SourceError
from .records import (Author, BadRecord, Funding, Record, checked, clean_text, normalise_doi, orcid_of,
                      parse_year, ror_of, split_name)

log = logging.getLogger(__name__)

Entry = Record | BadRecord

_BIB_TYPES = {"article": "article", "techreport": "report", "report": "report", "phdthesis": "thesis",
              "mastersthesis": "thesis", "thesis": "thesis", "dataset": "dataset", "inproceedings": "conference-paper",
              "conference": "conference-paper", "incollection": "chapter", "inbook": "chapter", "book": "book"}
_RIS_TYPES = {"JOUR": "article", "JFULL": "article", "EJOUR": "article", "RPRT": "report", "THES": "thesis",
              "DATA": "dataset", "CONF": "conference-paper", "CPAPER": "conference-paper", "CHAP": "chapter",
              "BOOK": "book"}
_CSL_TYPES = {"article-journal": "article", "article": "article", "report": "report", "thesis": "thesis",
              "dataset": "dataset", "paper-conference": "conference-paper", "chapter": "chapter", "book": "book"}
_CROSSREF_TYPES = {"journal-article": "article", "report": "report", "dissertation": "thesis", "dataset": "dataset",
                   "proceedings-article": "conference-paper", "book-chapter": "chapter", "book": "book",
                   "posted-content": "other"}
_OPENALEX_TYPES = {"article": "article", "report": "report", "dissertation": "thesis", "dataset": "dataset",
                   "book-chapter": "chapter", "book": "book", "preprint": "article"}
MAX_AUTHORS = 20_000
"""More authors than any real paper has had (the largest lists run to about 5,000): a file with more is
taken for a broken export, not a publication."""


def _entry(path: str, key: str, line: int | None, build: Callable[[], Record]) -> Entry:
    """Build one record, turning a broken field into a BadRecord that names the entry."""
    try:
        return checked(build())
    except BadRecord as err:
        return err
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        return BadRecord(path, key, line, str(err))


def _doi(raw: Any) -> str | None:
    if raw is None or str(raw).strip() == "":
        return None
    return normalise_doi(str(raw))


def _keywords(raw: Any) -> tuple[str, ...]:
    if not raw:
        return ()
    items = raw if isinstance(raw, list) else re.split(r"[,;]", str(raw))
    return tuple(k for k in (clean_text(str(i)) for i in items) if k)


def _authors(authors: Iterable[Author]) -> tuple[Author, ...]:
    found = tuple(authors)
    if len(found) > MAX_AUTHORS:
        raise ValueError(f"{len(found)} authors; at most {MAX_AUTHORS:,} (a broken export?)")
    return found


# --- BibTeX ------------------------------------------------------------------------------------

def read_bibtex(path: Path, text: str) -> list[Entry]:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        library = bibtexparser.parse_string(text)
    found: list[tuple[int, Entry]] = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            found.append((line, BadRecord(str(path), block.key, line, f"duplicate entry key {block.key!r}")))
        elif isinstance(block, ParsingFailedBlock):
            error = getattr(block, "error", None)
            rule = f"BibTeX entry does not parse ({error})" if error else "BibTeX entry does not parse"
            head = block.raw.strip().splitlines()[0][:60] if block.raw.strip() else ""
            if "{" in block.raw and block.raw.count("{") != block.raw.count("}"):
                rule = "unbalanced braces: an entry or field is not closed"
            found.append((line, BadRecord(str(path), _bib_key(head), line, rule)))
    for entry in library.entries:
        line = entry.start_line + 1
        found.append((line, _entry(str(path), entry.key, line, lambda e=entry, ln=line: _bib_record(path, e, ln))))
    return [e for _, e in sorted(found, key=lambda pair: pair[0])]


def _bib_key(head: str) -> str | None:
    match = re.match(r"@\w+\s*[{(]\s*([^,\s]+)", head)
    return match.group(1) if match else None


def _bib_record(path: Path, entry: Any, line: int) -> Record:
    fields = {k.lower(): v for k, v in entry.fields_dict.items()}

    def value(name: str) -> str:
        return str(fields[name].value) if name in fields else ""

    # An edited work (a magazine, a bundle) is tied to its people by its editors when it names no author.
    people = value("author") or value("editor")
    authors = _authors(split_name(a) for a in re.split(r"\s+and\s+", people) if a.strip())
    funding = ()
    if value("funder") or value("grant"):
        funding = (Funding(clean_text(value("funder")), None, tuple(_keywords(value("grant")))),)
    return Record(str(path), entry.key, line, clean_text(value("title")), authors,
                  parse_year(value("year") or value("date")), _doi(value("doi")),
                  clean_text(value("journal") or value("booktitle") or value("institution") or value("school")),
                  clean_text(value("abstract")), _keywords(value("keywords")),
                  _BIB_TYPES.get(entry.entry_type.lower(), "other"), funding,
                  url=clean_text(value("url") or value("howpublished")),
                  publisher="; ".join(dict.fromkeys(x for x in (clean_text(value(n)) for n in
                                                                 ("publisher", "institution", "school", "organization")) if x)),
                  series=clean_text(value("series")))


# --- RIS ---------------------------------------------------------------------------------------

_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def read_ris(path: Path, text: str) -> list[Entry]:
    lines = text.splitlines()
    starts, open_at = [], None
    for number, raw in enumerate(lines, start=1):
        match = _RIS_TAG.match(raw.rstrip())
        if not match:
            continue
        if match.group(1) == "TY":
            if open_at is not None:
                raise BadRecord(str(path), None, open_at, "RIS record has no ER tag before the next TY")
            open_at = number
        elif match.group(1) == "ER":
            if open_at is None:
                raise BadRecord(str(path), None, number, "ER tag without a TY tag opening the record")
            starts.append(open_at)
            open_at = None
    if open_at is not None:
        raise BadRecord(str(path), None, open_at, "RIS record has no ER tag (every record ends with 'ER  - ')")
    if not starts:
        raise BadRecord(str(path), None, None, "no RIS record (TY ... ER) in the file")
    try:
        items = rispy.loads(text)
    except Exception as err:  # rispy raises plain exceptions for malformed tags
        raise BadRecord(str(path), None, None, f"does not parse as RIS: {err}") from err
    if len(items) != len(starts):
        raise BadRecord(str(path), None, None, f"{len(starts)} RIS records delimited but {len(items)} read")
    return [_entry(str(path), str(item.get("id") or f"record {i + 1}"), line,
                   lambda item=item, line=line, i=i: _ris_record(path, item, line, i))
            for i, (item, line) in enumerate(zip(items, starts))]


def _ris_record(path: Path, item: dict[str, Any], line: int, index: int) -> Record:
    names = (item.get("authors") or []) + (item.get("first_authors") or [])
    return Record(str(path), str(item.get("id") or f"record {index + 1}"), line,
                  clean_text(item.get("title") or item.get("primary_title")),
                  _authors(split_name(n) for n in names),
                  parse_year(item.get("year") or item.get("publication_year") or item.get("date")),
                  _doi(item.get("doi")),
                  clean_text(item.get("journal_name") or item.get("secondary_title") or item.get("alternate_title1")),
                  clean_text(item.get("abstract") or item.get("notes_abstract")), _keywords(item.get("keywords")),
                  _RIS_TYPES.get(str(item.get("type_of_reference", "")).upper(), "other"))


# --- JSON: CSL, Crossref, OpenAlex -------------------------------------------------------------

def read_json(path: Path, text: str) -> list[Entry]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise BadRecord(str(path), None, err.lineno, f"not JSON: {err.msg}") from err
    kind, items = _json_items(document)
    if kind is None:
        raise BadRecord(str(path), None, None, "JSON that is neither CSL-JSON (a list of items), a Crossref "
                                               "works answer (message.items) nor an OpenAlex works answer (results)")
    if not items:
        raise BadRecord(str(path), None, None, "no records in the file")
    build = {"csl": _csl_record, "crossref": _crossref_record, "openalex": _openalex_record}[kind]
    found: list[Entry] = []
    for i, item in enumerate(items):
        key = _json_key(item, i)
        if not isinstance(item, dict):
            found.append(BadRecord(str(path), key, None, "an item that is not a JSON object"))
            continue
        found.append(_entry(str(path), key, None, lambda item=item, key=key: build(path, item, key)))
    return found


def _json_items(document: Any) -> tuple[str | None, list[Any]]:
    if isinstance(document, list):
        if document and isinstance(document[0], dict) and "id" in document[0] and str(document[0]["id"]).startswith("https://openalex.org/"):
            return "openalex", document
        return "csl", document
    if not isinstance(document, dict):
        return None, []
    if isinstance(document.get("message"), dict):
        message = document["message"]
        return "crossref", message["items"] if isinstance(message.get("items"), list) else [message]
    if isinstance(document.get("results"), list):
        return "openalex", document["results"]
    if str(document.get("id", "")).startswith("https://openalex.org/"):
        return "openalex", [document]
    if isinstance(document.get("title"), list):
        return "crossref", [document]
    if "title" in document:
        return "csl", [document]
    return None, []


def _json_key(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for name in ("id", "DOI", "doi"):
            if item.get(name):
                return str(item[name]).rsplit("/", 1)[-1] if name == "id" and "openalex" in str(item[name]) else str(item[name])
    return f"item {index + 1}"


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)


def _date_year(item: dict[str, Any], *names: str) -> int | None:
    for name in names:
        parts = (item.get(name) or {}).get("date-parts") if isinstance(item.get(name), dict) else None
        if parts and parts[0] and parts[0][0] is not None:
            return parse_year(parts[0][0])
    return None


def _csl_record(path: Path, item: dict[str, Any], key: str) -> Record:
    authors = _authors(Author(name=clean_text(a.get("literal") or ", ".join(x for x in (a.get("family"), a.get("given")) if x)),
                              family=clean_text(a.get("family") or a.get("literal")), given=clean_text(a.get("given")),
                              orcid=orcid_of(a.get("ORCID")))
                       for a in item.get("author") or [])
    return Record(str(path), key, None, clean_text(_first(item.get("title"))), authors,
                  _date_year(item, "issued"), _doi(item.get("DOI")), clean_text(_first(item.get("container-title"))),
                  clean_text(item.get("abstract")), _keywords(item.get("keyword")),
                  _CSL_TYPES.get(str(item.get("type")), "other"))


def _crossref_record(path: Path, item: dict[str, Any], key: str) -> Record:
    authors = []
    for a in item.get("author") or []:
        affiliations = tuple(clean_text(x.get("name")) for x in a.get("affiliation") or [] if x.get("name"))
        rors = tuple(r for r in (ror_of(i.get("id")) for x in a.get("affiliation") or [] for i in x.get("id") or []
                                 if str(i.get("id-type", "")).upper() == "ROR") if r)
        name = ", ".join(x for x in (a.get("family"), a.get("given")) if x) or a.get("name") or ""
        authors.append(Author(clean_text(name), clean_text(a.get("family") or a.get("name")), clean_text(a.get("given")),
                              orcid_of(a.get("ORCID")), affiliations, rors))
    funding = tuple(Funding(clean_text(f.get("name")), f.get("DOI"), tuple(str(x) for x in f.get("award") or []))
                    for f in item.get("funder") or [])
    return Record(str(path), key, None, clean_text(_first(item.get("title"))), _authors(authors),
                  _date_year(item, "issued", "published", "published-print", "published-online"), _doi(item.get("DOI")),
                  clean_text(_first(item.get("container-title"))), clean_text(item.get("abstract")),
                  _keywords(item.get("subject")), _CROSSREF_TYPES.get(str(item.get("type")), "other"), funding)


def _inverted(index: dict[str, list[int]] | None) -> str:
    """OpenAlex gives abstracts as word → positions; put the words back in order."""
    if not index:
        return ""
    slots = sorted((pos, word) for word, positions in index.items() for pos in positions)
    return " ".join(word for _, word in slots)


def _openalex_record(path: Path, item: dict[str, Any], key: str) -> Record:
    authors = []
    for a in item.get("authorships") or []:
        person = a.get("author") or {}
        institutions = a.get("institutions") or []
        affiliations = tuple(clean_text(x) for x in a.get("raw_affiliation_strings") or []) or tuple(
            clean_text(i.get("display_name")) for i in institutions if i.get("display_name"))
        rors = tuple(r for r in (ror_of(i.get("ror")) for i in institutions) if r)
        name = clean_text(person.get("display_name") or a.get("raw_author_name"))
        authors.append(Author(name, split_name(name).family, split_name(name).given, orcid_of(person.get("orcid")),
                              affiliations, rors))
    funding = tuple(Funding(clean_text(g.get("funder_display_name")), None, (str(g["award_id"]),) if g.get("award_id") else ())
                    for g in item.get("grants") or [])
    keywords = tuple(clean_text(k.get("display_name") if isinstance(k, dict) else k) for k in item.get("keywords") or [])
    source = ((item.get("primary_location") or {}).get("source") or {}).get("display_name")
    return Record(str(path), key, None, clean_text(item.get("title") or item.get("display_name")), _authors(authors),
                  parse_year(item.get("publication_year")), _doi(item.get("doi")), clean_text(source),
                  _inverted(item.get("abstract_inverted_index")), keywords,
                  _OPENALEX_TYPES.get(str(item.get("type")), "other"), funding)


def read_xml(path: Path, text: str) -> list[Entry]:
    from .oai_dc import read_oai_dc  # Dublin Core from hogeschool repositories (OAI-PMH)
    return read_oai_dc(path, text)


READERS = {".xml": read_xml, ".bib": read_bibtex, ".bibtex": read_bibtex, ".ris": read_ris, ".json": read_json, ".csljson": read_json}


def read_file(path: Path) -> list[Entry]:
    """Every entry of ``path``; raises SourceError or BadRecord when the file as a whole is unusable."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError(path, f"unsupported publication file type {path.suffix!r}; expected one of {', '.join(READERS)}")
    if not path.is_file():
        raise SourceError(path, "no such file")
    raw = path.read_bytes()
    if not raw.strip():
        raise SourceError(path, "empty file: no publication records")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SourceError(path, f"not UTF-8 text (byte {err.start})") from err
    entries = reader(path, text)
    if not entries:
        raise SourceError(path, "no publication records in the file")
    return entries
