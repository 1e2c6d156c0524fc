"""RDF/XML without a DTD: a document type declaration is refused before any parser sees the file.

An XML parser expands the entities a DOCTYPE declares: ten nested declarations of ten references
each ("billion laughs") make a 1 kB file expand to 10^9 characters, and a SYSTEM identifier makes
the parser fetch a URL. RDF/XML never needs either (the RDF/XML syntax specification uses entities
only as a shorthand for namespace IRIs), so any ``<!DOCTYPE`` or ``<!ENTITY`` is refused, naming
the file, the line and the rule, before rdflib or Oxigraph parses a byte. Nothing is expanded and
nothing is fetched.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import SourceError

RDFXML_SUFFIXES = (".rdf", ".owl")
"""File suffixes HCKG reads as RDF/XML (``hckg.formats.RDF_SUFFIXES``)."""

FORBIDDEN = ("<!DOCTYPE", "<!ENTITY")
"""Markup that only a DTD uses: a document type declaration, an entity declaration."""

RULE = ("RDF/XML with a document type declaration (DOCTYPE) or entity declarations is refused before parsing: "
        "entities can expand without limit and a DTD can make the parser fetch a URL; write the IRIs out in full")

_WIDE = ((codecs.BOM_UTF32_LE, "utf-32-le", True), (codecs.BOM_UTF32_BE, "utf-32-be", True),
         (codecs.BOM_UTF16_LE, "utf-16-le", True), (codecs.BOM_UTF16_BE, "utf-16-be", True),
         (b"<\x00?\x00", "utf-16-le", False), (b"\x00<\x00?", "utf-16-be", False))
"""Byte-order marks and UTF-16 starts without one: the encodings in which ``<!`` is not ASCII."""


def _as_text(data: bytes) -> str:
    """The document as text for the search: a UTF-16/32 file decoded, anything else read byte for byte
    (in every other encoding an XML parser reads, ``<!DOCTYPE`` is the same ASCII bytes)."""
    for mark, codec, strip in _WIDE:
        if data.startswith(mark):
            return data[len(mark) if strip else 0:].decode(codec, errors="replace")
    return data.decode("latin-1")


def refuse_dtd(path: Path | str, data: bytes) -> None:
    """Raise SourceError (file, line, rule) when the RDF/XML ``data`` declares a DTD or an entity."""
    text = _as_text(data)
    found = [(text.find(needle), needle) for needle in FORBIDDEN]
    found = [(at, needle) for at, needle in found if at >= 0]
    if found:
        at, needle = min(found)
        raise SourceError(path, f"{needle[2:]} declaration: {RULE}; store unchanged", text.count("\n", 0, at) + 1)


def is_rdfxml(path: Path) -> bool:
    return path.suffix.lower() in RDFXML_SUFFIXES
