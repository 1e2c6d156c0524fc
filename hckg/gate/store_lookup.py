"""Resolve a CSV table's cells against the store itself, by index look-ups, never a copy of its labels.

A load of a CSV table used to copy every label and type of the store into rdflib first (``Lookup.from_graph``
over a CONSTRUCT): 36 of 40 s of a 20-row table's load into a 1M-triple store. ``StoreLookup`` answers the
same questions (``resolve``, ``members``, ``has_member``, ``labels``) by SPARQL on the store, as the mapping
asks them:

- the class hierarchy of the kept graphs (a few hundred ``rdfs:subClassOf`` triples) is read once;
- ``resolve`` first looks the text up as written (trimmed, spaces collapsed; tagged nl, en or plain): one
  index look-up per literal, and the table's other cells (``hints``) ride along in the same query. Only
  when that finds nothing of the class are the labels of every instance of the class read (once per
  class) and compared loosely (``normalise``: case, accents, spacing), as the copy did. So a label written
  exactly as the cell wins over one that differs only in case or accents; the copy found both and called
  the cell ambiguous;
- what ``resolve`` returns is checked subject by subject against the kept graphs only, so a graph being
  replaced (and what the inferred graph entailed from it) never resolves a cell, exactly as before.

Reading a string from Oxigraph costs ~20 us (under load): scanning the 88k labels of a 1M store for a
loose match takes seconds, an exact look-up a millisecond.

"Kept" graphs are every named graph except the provenance and inferred graphs and the graph the load
replaces (``hckg.gate.write._mapped``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS

from ..ingest.lookup import COMMUNITY_TYPES, LABEL_PREDICATES, Lookup
from ..iris import HCKG, normalise
from ..store.base import Store

_LABEL_PATH = "|".join(f"<{p}>" for p in LABEL_PREDICATES)
_LABEL_LIST = ", ".join(f"<{p}>" for p in LABEL_PREDICATES)


def _rows(answer: object) -> ox.QuerySolutions:
    assert isinstance(answer, ox.QuerySolutions)
    return answer


class StoreLookup(Lookup):
    """A ``Lookup`` that asks the store, class by class, instead of holding a copy of it.

    Whatever is added with ``add_graph`` (the mapped table itself) is indexed in memory as in ``Lookup``
    and answers too.
    """

    def __init__(self, store: Store, excluded: list[str], hints: Iterable[str] = ()) -> None:
        super().__init__()
        self._hints = sorted({h for h in hints if h.strip()})
        """Texts the mapping will look up (a table's cells): asked about in one query with the first."""
        self._exact: dict[str, set[rdflib.URIRef]] = {}
        self.store = store
        self.excluded = sorted(set(excluded))
        self._kept = f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in self.excluded)}))" if self.excluded else ""
        self._store_superclasses: dict[rdflib.URIRef, set[rdflib.URIRef]] = defaultdict(set)
        for row in _rows(store.query(
                f"SELECT DISTINCT ?sub ?sup WHERE {{ GRAPH ?g {{ ?sub <{RDFS.subClassOf}> ?sup }} "
                f"FILTER(isIRI(?sub) && isIRI(?sup)) {self._kept} }}")):
            self._store_superclasses[rdflib.URIRef(row["sub"].value)].add(  # type: ignore[index]
                rdflib.URIRef(row["sup"].value))  # type: ignore[index]
        self.superclasses.update({k: set(v) for k, v in self._store_superclasses.items()})
        self._candidates: dict[rdflib.URIRef, dict[str, set[rdflib.URIRef]]] = {}
        self._store_members: dict[rdflib.URIRef, set[rdflib.URIRef]] = {}
        self._facts: dict[rdflib.URIRef, tuple[set[rdflib.URIRef], set[str]]] = {}

    # --- what the store's kept graphs say ------------------------------------------------------

    def subclasses(self, cls_: rdflib.URIRef) -> set[rdflib.URIRef]:
        """``cls_`` and every class of the kept graphs below it (the store's hierarchy)."""
        below: dict[rdflib.URIRef, set[rdflib.URIRef]] = defaultdict(set)
        for sub, sups in self._store_superclasses.items():
            for sup in sups:
                below[sup].add(sub)
        seen, todo = {cls_}, [cls_]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        return seen

    def _classes_below(self, cls_: rdflib.URIRef) -> set[rdflib.URIRef]:
        """The classes whose instances count as ``cls_``: its subclasses, or for ``COMMUNITY_TYPES``
        none (the community types are the classes themselves, see ``_community_types``)."""
        return set() if cls_ == COMMUNITY_TYPES else self.subclasses(cls_)

    def _community_types(self) -> set[rdflib.URIRef]:
        """Classes stated (in a kept graph) to be direct subclasses of hckg:LearningCommunity."""
        return {sub for sub, sups in self._store_superclasses.items() if HCKG.LearningCommunity in sups}

    def _facts_of(self, subject: rdflib.URIRef) -> tuple[set[rdflib.URIRef], set[str]]:
        """The classes and normalised labels the kept graphs give ``subject`` (one query, cached)."""
        if subject not in self._facts:
            types: set[rdflib.URIRef] = set()
            labels: set[str] = set()
            answer = self.store.query(
                f"SELECT ?p ?o WHERE {{ GRAPH ?g {{ <{subject}> ?p ?o }} "
                f"FILTER(?p IN (<{RDF.type}>, {_LABEL_LIST})) {self._kept} }}")
            for row in _rows(answer):
                p, o = row["p"].value, row["o"]  # type: ignore[index]
                if p == str(RDF.type):
                    if isinstance(o, ox.NamedNode):
                        types.add(rdflib.URIRef(o.value))
                else:
                    labels.add(normalise(o.value))  # type: ignore[union-attr]
            self._facts[subject] = (types, labels)
        return self._facts[subject]

    def _holds(self, subject: rdflib.URIRef, cls_: rdflib.URIRef, key: str) -> bool:
        """Whether the kept graphs make ``subject`` a ``cls_`` labelled ``key`` (normalised)."""
        types, labels = self._facts_of(subject)
        if key not in labels:
            return False
        if cls_ == COMMUNITY_TYPES:
            return subject in self._community_types()
        return bool(types & self.subclasses(cls_))

    def _candidates_of(self, cls_: rdflib.URIRef) -> dict[str, set[rdflib.URIRef]]:
        """Normalised label -> instances of ``cls_`` in the union graph (a superset of the kept graphs'),
        read once per class."""
        if cls_ not in self._candidates:
            found: dict[str, set[rdflib.URIRef]] = defaultdict(set)
            if cls_ == COMMUNITY_TYPES:
                patterns = [f"VALUES ?s {{ {' '.join(f'<{c}>' for c in sorted(self._community_types()))} }} "
                            f"?s {_LABEL_PATH} ?l ."]
            else:
                patterns = [f"?s a <{c}> ; {_LABEL_PATH} ?l ." for c in sorted(self._classes_below(cls_))]
            for pattern in patterns:
                for row in _rows(self.store.query(f"SELECT ?s ?l WHERE {{ {pattern} FILTER(isIRI(?s)) }}")):
                    found[normalise(row["l"].value)].add(rdflib.URIRef(row["s"].value))  # type: ignore[index]
            self._candidates[cls_] = found
        return self._candidates[cls_]

    # --- the Lookup interface ------------------------------------------------------------------

    def resolve(self, cls_: rdflib.URIRef, text: str) -> set[rdflib.URIRef]:
        """The resources of ``cls_`` with a label written as ``text`` is (any of the usual language tags), or
        else with a label equal to it but for case, accents and spacing (``normalise``)."""
        key = normalise(text)
        found = {s for s in self._written(text) if self._holds(s, cls_, key)}
        if not found:
            found = {s for s in self._candidates_of(cls_).get(key, ()) if self._holds(s, cls_, key)}
        return found | super().resolve(cls_, text)

    def _written(self, text: str) -> set[rdflib.URIRef]:
        """Subjects with a label literally ``text`` in the union graph: index look-ups, the hints' too."""
        if text not in self._exact:
            wanted = [text, *(h for h in self._hints if h not in self._exact)]
            literals = {form: [f"{ox.Literal(variant, language=tag) if tag else ox.Literal(variant)}"
                               for variant in {form, form.strip(), " ".join(form.split())} if variant
                               for tag in ("nl", "en", None)] for form in wanted}
            by_literal: dict[str, set[rdflib.URIRef]] = defaultdict(set)
            values = " ".join(sorted({lit for lits in literals.values() for lit in lits}))
            if values:
                for row in _rows(self.store.query(
                        f"SELECT ?s ?l WHERE {{ VALUES ?l {{ {values} }} ?s ?p ?l "
                        f"FILTER(isIRI(?s) && ?p IN ({_LABEL_LIST})) }}")):
                    by_literal[str(row["l"])].add(rdflib.URIRef(row["s"].value))  # type: ignore[index]
            for form, lits in literals.items():
                self._exact[form] = set().union(*(by_literal.get(lit, set()) for lit in lits))
        return self._exact[text]

    def members(self, cls_: rdflib.URIRef) -> set[rdflib.URIRef]:
        """Every instance of ``cls_`` the kept graphs type (one query per class below it, cached)."""
        if cls_ not in self._store_members:
            found: set[rdflib.URIRef] = set()
            for c in sorted(self._classes_below(cls_)):
                answer = self.store.query(
                    f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{c}> }} FILTER(isIRI(?s)) {self._kept} }}")
                found |= {rdflib.URIRef(row["s"].value) for row in _rows(answer)}  # type: ignore[index]
            self._store_members[cls_] = found
        return self._store_members[cls_] | super().members(cls_)

    def has_member(self, cls_: rdflib.URIRef, iri: rdflib.URIRef) -> bool:
        """One query about ``iri`` rather than every member of ``cls_`` (unless those are read already)."""
        if super().has_member(cls_, iri):
            return True
        if cls_ in self._store_members:
            return iri in self._store_members[cls_]
        return cls_ != COMMUNITY_TYPES and bool(self._facts_of(iri)[0] & self.subclasses(cls_))

    def labels(self, cls_: rdflib.URIRef) -> list[str]:
        """The labels the kept graphs give the instances of ``cls_``, for error messages (the error path: each
        instance with a label is asked about, one query each)."""
        members = self._community_types() if cls_ == COMMUNITY_TYPES else self.members(cls_)
        kept = {key for key, subjects in self._candidates_of(cls_).items()
                if any(key in self._facts_of(s)[1] for s in subjects & members)}
        return sorted(kept | set(super().labels(cls_)))
