"""Namespaces and the rules that turn source keys into stable IRIs (see docs/vocabulary.md)."""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

BASE = "https://w3id.org/hckg/"
HCKG = Namespace(BASE + "def#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SCHEMA = Namespace("http://schema.org/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_GRAPH = GRAPH["ontology"]
META_GRAPH = GRAPH["meta"]

PREFIXES: dict[str, str] = {
    "hckg": str(HCKG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "void": str(VOID),
    "bibo": str(BIBO),
}

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower case, accents removed, runs of other characters as one hyphen.

    >>> slugify("Centre of Expertise Biobased Economy (CoE BBE)")
    'centre-of-expertise-biobased-economy-coe-bbe'
    >>> slugify("Fryslân")
    'fryslan'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub("-", plain.lower()).strip("-")


def thing(kind: str, key: str) -> URIRef:
    """The IRI of a thing: ``id/<kind>/<key>``.

    >>> str(thing("province", "PV20"))
    'https://w3id.org/hckg/id/province/PV20'
    """
    if not key or "/" in key or any(c.isspace() for c in key):
        raise ValueError(f"not a usable key for {kind}: {key!r}")
    return ID[f"{kind}/{key}"]


def fact_key(subject: str, predicate: str, value: str, section: str) -> str:
    """The key of the reified statement (``id:fact/<key>``) of one fact stated in one section.

    ``subject`` is an ``id:`` IRI (its kind and key are used), ``predicate`` a property IRI (its local
    name), ``value`` an IRI (its last segment) or a literal's lexical form.

    >>> fact_key("https://w3id.org/hckg/id/action/pilot-volgsysteem", "http://schema.org/startDate", "2020",
    ...          "section 3.2")
    'action-pilot-volgsysteem-startdate-2020-section-3-2'
    """
    kind_key = subject.removeprefix(str(ID)).replace("/", "-")
    local = re.split(r"[#/]", predicate)[-1]
    value_key = value.rstrip("/").rsplit("/", 1)[-1] if re.match(r"^https?://", value) else value
    return slugify(f"{kind_key} {local} {value_key} {section}")


SCRATCH = "urn:hckg:"
"""Prefix of working graphs and terms that live only in a copy of the store while it is checked."""
FOCUS_GRAPH = SCRATCH + "gate-focus"
"""The gate's scratch graph of focus nodes in a copy of the store (``hckg.gate.checks``); the remote
engine's staged write keeps it in its dataset and drops it on commit."""


def normalise(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a label.

    >>> normalise("  Fryslân ") == normalise("fryslan")
    True
    """
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


class BadIri(ValueError):
    """Text that is not an absolute IRI a store or a query can hold."""


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


def checked_iri(text: str) -> str:
    """``text`` when it is an absolute IRI that can stand between ``<`` and ``>`` in SPARQL; else BadIri.

    >>> checked_iri("https://w3id.org/hckg/id/province/PV20")
    'https://w3id.org/hckg/id/province/PV20'
    >>> try:
    ...     checked_iri("a b <c>")
    ... except BadIri as err:
    ...     print(err)
    not an IRI: 'a b <c>' holds ' ', which an IRI may not contain
    """
    bad = _IRI_FORBIDDEN.search(text)
    if bad:
        raise BadIri(f"not an IRI: {text[:80]!r} holds {bad.group(0)!r}, which an IRI may not contain")
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text):
        raise BadIri(f"not an absolute IRI: {text[:80]!r} (no scheme)")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise BadIri(f"not an IRI: {text[:80]!r} holds an unpaired surrogate")
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError as err:
        raise BadIri(f"not an IRI: {text[:80]!r} ({err})") from None
    return text
