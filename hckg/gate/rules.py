"""Closed-world rules for a written data graph, beyond what the SHACL shapes say.

The shapes check what they target; a subject no shape targets, with predicates nobody declared
(``<http://evil.example/x> <http://evil.example/p> "junk"``), passed them untouched. These rules
run on each graph a write creates or changes (in the store's copy, after the write, before the swap):

- ``known-type``: every subject has a type the ontology knows: a class the ontology graphs declare,
  or a class of a vocabulary the ontology reuses (SKOS, DCTERMS, schema.org, PROV, ORG, FOAF, BIBO,
  DCAT, VoID, DQV, OWL, RDFS, RDF, and any other namespace the ontology itself uses), or of a
  namespace ``HCKG_EXTRA_VOCABULARIES`` admits;
- ``declared-predicate``: every predicate is declared by the ontology or lies in such a vocabulary;
- ``xml-character``: no literal holds a character XML 1.0 forbids (NUL and the other C0 controls but
  tab, newline and carriage return; U+FFFE, U+FFFF): SPARQL XML and RDF/XML answers would not be
  well-formed;
- ``label-start``: no label starts with ``=``, ``+``, ``@`` or a control character, which a
  spreadsheet opening a CSV answer runs as a formula.

The ontology's own namespace is not a vocabulary here: an ``hckg:`` term must be declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from ..ingest.sources import ParsedFile
from ..iris import BASE, HCKG, ONTOLOGY_GRAPH
from ..store.base import Store
from ..store.oxigraph import in_parallel
from .validate import Violation

REUSED_VOCABULARIES = (
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://purl.org/dc/elements/1.1/",
    "http://schema.org/",
    "https://schema.org/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/org#",
    "http://xmlns.com/foaf/0.1/",
    "http://purl.org/ontology/bibo/",
    "http://www.w3.org/ns/dcat#",
    "http://rdfs.org/ns/void#",
    "http://www.w3.org/ns/dqv#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
)
"""Vocabularies the ontology reuses (docs/vocabulary.md); their terms need no declaration here."""

LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel",
    "http://www.w3.org/2004/02/skos/core#notation",
    "http://purl.org/dc/terms/title",
    "http://schema.org/name",
    "http://schema.org/alternateName",
    "http://xmlns.com/foaf/0.1/name",
)
"""Predicates whose values are shown as names (and land in the first columns of CSV answers)."""

XML_FORBIDDEN = "[\\\\x00-\\\\x08\\\\x0B\\\\x0C\\\\x0E-\\\\x1F\\\\x{FFFE}\\\\x{FFFF}]"
"""The characters XML 1.0 does not allow, as a regular expression inside a SPARQL string."""
FORMULA_START = "^[=+@\\\\x00-\\\\x1F\\\\x7F]"
"""A label start a spreadsheet runs (``=HYPERLINK(...)``) or that hides what follows."""

LIMIT = 20
"""Violations reported per rule and graph: enough to act on, and a huge bad file stays quick."""

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""``XML_FORBIDDEN`` for Python's ``re`` (``LiteralRules``)."""
_FORMULA_START = re.compile("[=+@\x00-\x1f\x7f]")
"""``FORMULA_START`` for ``re.match``."""
_LABEL_SET = frozenset(LABELS)

RULE = "urn:hckg:rule:"

MESSAGES = {
    "known-type": {"en": "the subject has no type the ontology knows (a class of the ontology, of a reused "
                         "vocabulary or of HCKG_EXTRA_VOCABULARIES)",
                   "nl": "het onderwerp heeft geen type dat de ontologie kent (een klasse van de ontologie, van "
                         "een hergebruikt vocabulaire of van HCKG_EXTRA_VOCABULARIES)"},
    "declared-predicate": {"en": "the predicate is not declared by the ontology nor part of a vocabulary it reuses "
                                 "(or HCKG_EXTRA_VOCABULARIES admits)",
                           "nl": "het predicaat is niet gedeclareerd in de ontologie en hoort niet bij een "
                                 "vocabulaire dat zij hergebruikt (of dat HCKG_EXTRA_VOCABULARIES toelaat)"},
    "xml-character": {"en": "the literal holds a character XML 1.0 forbids (a control character such as NUL)",
                      "nl": "de literal bevat een teken dat XML 1.0 verbiedt (een stuurteken zoals NUL)"},
    "label-start": {"en": "a label may not start with =, +, @ or a control character (spreadsheets run it as a "
                          "formula)",
                    "nl": "een label mag niet beginnen met =, +, @ of een stuurteken (spreadsheets voeren het uit "
                          "als formule)"},
}

_CLASS_KINDS = ("http://www.w3.org/2002/07/owl#Class", "http://www.w3.org/2000/01/rdf-schema#Class")
_PROPERTY_KINDS = ("http://www.w3.org/2002/07/owl#ObjectProperty", "http://www.w3.org/2002/07/owl#DatatypeProperty",
                   "http://www.w3.org/2002/07/owl#AnnotationProperty", "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property")


@dataclass(frozen=True)
class Vocabulary:
    """What a data graph may use: the ontology's classes and properties, and whole namespaces."""

    classes: frozenset[str]
    properties: frozenset[str]
    namespaces: tuple[str, ...]
    extra: tuple[str, ...] = ()
    """The namespaces ``HCKG_EXTRA_VOCABULARIES`` admits: a subject named in one is the user's own, typed or not."""

    def own_subjects_filter(self) -> str:
        """A SPARQL FILTER leaving out subjects in the admitted namespaces (empty when there are none)."""
        tests = " || ".join(f'STRSTARTS(STR(?s), "{ns}")' for ns in self.extra)
        return f"FILTER(!isIRI(?s) || !({tests}))" if tests else ""

    def knows(self, term: str) -> bool:
        return term in self.classes or term in self.properties or term.startswith(self.namespaces)


def namespace_of(iri: str) -> str:
    """``http://www.w3.org/ns/org#Organization`` -> ``http://www.w3.org/ns/org#``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


def _ontology_graphs(store: Store) -> list[str]:
    return [g for g in store.graph_names() if g == str(ONTOLOGY_GRAPH) or g.startswith(f"{ONTOLOGY_GRAPH}/")]


def _in(graphs: list[str], pattern: str) -> str:
    """``pattern`` in any of ``graphs``: one GRAPH block each (a GRAPH variable would read every graph)."""
    return " UNION ".join(f"{{ GRAPH <{g}> {{ {pattern} }} }}" for g in graphs) or "FILTER(false)"


def _column(store: Store, sparql: str, name: str) -> set[str]:
    answer = store.query(sparql)
    assert isinstance(answer, ox.QuerySolutions)
    return {row[name].value for row in answer if isinstance(row[name], ox.NamedNode)}  # type: ignore[index]


def vocabulary(store: Store, extra: Iterable[str] = ()) -> Vocabulary:
    """The terms and namespaces data may use, read from the ontology graphs of ``store``.

    A namespace the ontology uses for a predicate, or names as a super-class, super-property,
    equivalent, domain or range, counts as reused; ``extra`` adds namespaces (``HCKG_EXTRA_VOCABULARIES``).
    """
    ontology = _ontology_graphs(store)
    kinds = " ".join(f"<{k}>" for k in _CLASS_KINDS)
    classes = _column(store, f"SELECT DISTINCT ?c WHERE {{ VALUES ?k {{ {kinds} }} {_in(ontology, '?c a ?k')} }}", "c")
    classes |= _column(store, "SELECT DISTINCT ?c WHERE { " +
                       _in(ontology, "?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?super") + " }", "c")
    kinds = " ".join(f"<{k}>" for k in _PROPERTY_KINDS)
    properties = _column(store, f"SELECT DISTINCT ?p WHERE {{ VALUES ?k {{ {kinds} }} {_in(ontology, '?p a ?k')} }}", "p")
    properties |= _column(store, "SELECT DISTINCT ?p WHERE { " +
                          _in(ontology, "?p <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> ?super") + " }", "p")
    linking = " ".join(f"<{p}>" for p in (
        "http://www.w3.org/2000/01/rdf-schema#subClassOf", "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
        "http://www.w3.org/2002/07/owl#equivalentClass", "http://www.w3.org/2002/07/owl#equivalentProperty",
        "http://www.w3.org/2000/01/rdf-schema#domain", "http://www.w3.org/2000/01/rdf-schema#range"))
    used = _column(store, f"SELECT DISTINCT ?p WHERE {{ {_in(ontology, '?s ?p ?o')} }}", "p")
    used |= _column(store, f"SELECT DISTINCT ?o WHERE {{ VALUES ?l {{ {linking} }} {_in(ontology, '?s ?l ?o')} }}", "o")
    own = (str(HCKG), BASE)
    namespaces = {namespace_of(term) for term in used} | set(REUSED_VOCABULARIES) | {e for e in extra if e}
    return Vocabulary(frozenset(classes), frozenset(properties),
                      tuple(sorted(n for n in namespaces if n and not n.startswith(own))),
                      tuple(sorted({e for e in extra if e and '"' not in e and "\\" not in e})))


def _rows(store: Store, sparql: str) -> list[ox.QuerySolution]:
    answer = store.query(sparql)
    assert isinstance(answer, ox.QuerySolutions)
    return list(answer)


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
    return None if term is None else term.value


def _node(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A subject as a message names it: an IRI, or ``_:id`` for a blank node."""
    return str(term) if isinstance(term, ox.BlankNode) else _text(term) or ""


def _candidates(graph: str, known: set[str], vocab: Vocabulary) -> str:
    """The subjects of ``graph`` without a known type in ``graph`` itself (``known``: the known classes it
    uses), as a subquery. Most subjects of a good file are typed where they are written, and a hash of
    the graph's own type triples drops those at once: asking the store about each of 130k subjects one
    by one cost 4.7 s at 1M (``FILTER NOT EXISTS`` on every triple of the graph)."""
    values = " ".join(f"<{c}>" for c in sorted(known))
    typed = f"MINUS {{ GRAPH <{graph}> {{ ?s a ?k }} VALUES ?k {{ {values} }} }}" if known else ""  # no empty VALUES
    return f"{{ SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} {typed} {vocab.own_subjects_filter()} }} }}"


def _unknown_types(store: Store, graph: str, vocab: Vocabulary) -> list[tuple[str, str, str | None, str | None]]:
    """The ``known-type`` breaks of ``graph`` (at most LIMIT)."""
    used = _column(store, f"SELECT DISTINCT ?c WHERE {{ GRAPH <{graph}> {{ ?s a ?c }} }}", "c")
    if getattr(store, "counts_before_negation", False) and _all_typed(store, graph, {c for c in used if vocab.knows(c)}, vocab):
        return []
    candidates = _candidates(graph, {c for c in used if vocab.knows(c)}, vocab)
    untyped = _rows(store, f"SELECT ?s WHERE {{ {candidates} FILTER NOT EXISTS {{ ?s a ?any }} }} LIMIT {LIMIT}")
    if untyped:  # no type at all: found without reading every subject's types (100k blank nodes: 0.1 s, not 3 s)
        return [("known-type", _node(row["s"]), None, None) for row in untyped]
    types: dict[str, set[str]] = {}
    for row in _rows(store, f"SELECT ?s ?c WHERE {{ {candidates} OPTIONAL {{ ?s a ?c FILTER(isIRI(?c)) }} }}"):
        subject, kind = row["s"], row["c"]
        known = types.setdefault(_node(subject), set())
        if kind is not None and vocab.knows(kind.value):
            known.add(kind.value)
    return [("known-type", subject, None, None) for subject in sorted(s for s, k in types.items() if not k)[:LIMIT]]


def _all_typed(store: Store, graph: str, known: set[str], vocab: Vocabulary) -> bool:
    """Whether every subject of ``graph`` has a ``known`` type in ``graph`` itself (so ``_candidates`` is empty),
    by two counts: a store that negates slowly asks this first (``counts_before_negation``). On Virtuoso 7.2.5
    at 1M triples the counts took 2 s, the candidates' two queries 11 s and 13.6 s."""
    if not known:
        return False
    own = vocab.own_subjects_filter()
    values = " ".join(f"<{c}>" for c in sorted(known))
    counts = [next(iter(store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} {own} }}")))["n"].value  # type: ignore[index]
              for pattern in (f"GRAPH <{graph}> {{ ?s ?p ?o }}", f"GRAPH <{graph}> {{ ?s a ?k }} VALUES ?k {{ {values} }}")]
    return counts[0] == counts[1]


def _undeclared(store: Store, graph: str, vocab: Vocabulary) -> list[tuple[str, str, str | None, str | None]]:
    """The ``declared-predicate`` breaks of ``graph``: one example triple per unknown predicate."""
    found: list[tuple[str, str, str | None, str | None]] = []
    predicates = _column(store, f"SELECT DISTINCT ?p WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "p")
    for predicate in sorted(p for p in predicates if not vocab.knows(p))[:LIMIT]:
        row = _rows(store, f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s <{predicate}> ?o }} }} LIMIT 1")[0]
        found.append(("declared-predicate", _node(row["s"]), predicate, _text(row["o"])))
    return found


def _literal_rule(rule: str, sparql: str) -> Callable[[Store], list[tuple[str, str, str | None, str | None]]]:
    def breaks(store: Store) -> list[tuple[str, str, str | None, str | None]]:
        return [(rule, _node(row["s"]), row["p"].value, _text(row["o"]))  # type: ignore[union-attr]
                for row in _rows(store, sparql)]
    return breaks


class LiteralRules:
    """The two rules on literals (``xml-character``, ``label-start``), applied to each literal triple of an RDF
    file while ``hckg.ingest.sources.scan_rdf`` reads it anyway (``on_literal``).

    Why: a scanned file is bulk-loaded as the whole of its graph, so the graph then holds exactly these
    triples, and asking the store again costs a pass over every triple with a FILTER (at 1M triples 4.8 s for
    ``xml-character``, 1.5 s for ``label-start``, against ~0.4 s here in the scan). The same tests as the
    SPARQL of ``graph_violations``; the first LIMIT breaks of each rule in the file's order.
    """

    def __init__(self) -> None:
        self.found: dict[str, list[tuple[str, str, str | None, str | None]]] = {"xml-character": [], "label-start": []}

    def __call__(self, quad: ox.Quad) -> None:
        value = quad.object.value
        if _XML_FORBIDDEN.search(value) and len(self.found["xml-character"]) < LIMIT:
            self.found["xml-character"].append(("xml-character", _node(quad.subject), quad.predicate.value, value))
        if _FORMULA_START.match(value) and quad.predicate.value in _LABEL_SET and len(self.found["label-start"]) < LIMIT:
            self.found["label-start"].append(("label-start", _node(quad.subject), quad.predicate.value, value))


def scanned_literals(triples: object) -> LiteralRules | None:
    """The literal rules' findings of a scanned file (``LiteralRules`` saw it), else None (the store is asked)."""
    seen = triples.inspected_by if isinstance(triples, ParsedFile) else None
    return seen if isinstance(seen, LiteralRules) else None


def graph_violations(store: Store, graph: str, vocab: Vocabulary,
                     literals: LiteralRules | None = None) -> list[tuple[str, str, str | None, str | None]]:
    """(rule, subject, predicate, value) for each break of the rules in ``graph`` (at most LIMIT per rule).

    The rules' queries run side by side (``in_parallel``: Oxigraph lets go of the GIL while it
    evaluates), in the order of the rules in the answer. ``literals``: the literal rules' findings of the
    scan of the file that is the whole of ``graph`` (``LiteralRules``), used instead of asking the store."""
    parts: list[Callable[[Store], list[tuple[str, str, str | None, str | None]]]] = [
        lambda s: _unknown_types(s, graph, vocab),
        lambda s: _undeclared(s, graph, vocab)]
    if literals is None:
        labels = " ".join(f"<{p}>" for p in LABELS)
        parts += [
            _literal_rule("xml-character", f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}
                    FILTER(isLiteral(?o) && REGEX(STR(?o), "{XML_FORBIDDEN}")) }} LIMIT {LIMIT}"""),
            # the label predicates as VALUES, so the graph's triples are looked up by predicate (0.6 s at 1M)
            # instead of every triple read and tested (1.5 s)
            _literal_rule("label-start", f"""SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {labels} }} GRAPH <{graph}> {{ ?s ?p ?o }}
                    FILTER(isLiteral(?o) && REGEX(STR(?o), "{FORMULA_START}")) }} LIMIT {LIMIT}""")]
    else:
        parts += [lambda s: literals.found["xml-character"], lambda s: literals.found["label-start"]]
    return [found for part in in_parallel(lambda run: run(store), parts) for found in part]


Origins = dict[str, tuple[str, int | None]]


@dataclass(frozen=True)
class Written:
    """A graph a write created or changed: what names it in messages and where its lines are."""

    graph: str
    label: str
    """The file or request named in a violation ("data/people.csv", "SPARQL Update", "Graph Store PUT")."""
    origins: Origins
    """Subject -> (file, line) where the source knows it (a CSV row)."""
    file: Path | None = None
    """The file the graph was read from, searched for the line of a violation the origins do not place."""
    literals: LiteralRules | None = None
    """The literal rules' findings of the scan of ``file``, when it was bulk-loaded as the whole graph."""


def check_rules(store: Store, written: Iterable[Written], extra: Iterable[str] = ()) -> list[Violation]:
    """The rules' violations in each written graph of ``store`` (the copy a write changed).

    A violation names the triple (subject, predicate, value), the rule, the graph, and the file and
    line: from ``origins`` (a CSV row) or the first line of ``file`` that names the offending term.
    """
    written = list(written)
    if not written:
        return []
    vocab = vocabulary(store, extra)
    violations = []
    for item in written:
        for rule, subject, predicate, value in graph_violations(store, item.graph, vocab, item.literals):
            source, line = item.origins.get(subject, (item.label, None))
            if line is None and item.file is not None:
                terms = [value, predicate, subject] if rule in ("xml-character", "label-start") else [subject, predicate]
                line = first_line_naming(item.file, terms)
            messages = {lang: f"{text} (graph <{item.graph}>)" for lang, text in MESSAGES[rule].items()}
            violations.append(Violation(subject, predicate, value, "Violation", RULE + rule, messages, source, line))
    return violations


def first_line_naming(path: Path, terms: list[str | None]) -> int | None:
    """The first line of the file ``path`` that holds one of ``terms`` (in order of preference), written
    out in full, as ``<iri>`` or as the local name after a prefix; None when it is no readable file."""
    try:
        if not path.is_file() or path.stat().st_size > 50_000_000:
            return None
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for term in terms:
        if not term:
            continue
        forms = [f"<{term}>", term] if "\x00" not in term else [term, term.split("\x00", 1)[0] or term]
        local = term[len(namespace_of(term)):] if term.startswith(("http://", "https://", "urn:")) else ""
        if local:
            forms.append(":" + local)
        for number, text in enumerate(lines, start=1):
            if any(form in text for form in forms):
                return number
    return None
