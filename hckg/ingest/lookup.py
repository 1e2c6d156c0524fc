"""Resolve what people type (labels, codes, notations) to the IRIs of known resources.

The mappings use it to link a CSV cell such as ``Fryslân`` or ``High Tech Systemen en Materialen``
to its resource; saved-query parameters use the same normalisation, so a label that maps in
the data also works on the command line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDF, RDFS, SKOS

from ..iris import HCKG, normalise

LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.notation)
COMMUNITY_TYPES = rdflib.URIRef("urn:hckg:community-types")
"""Pseudo-class under which the learning-community type classes are indexed by notation and label."""


@dataclass
class Lookup:
    """Labels of the resources of each class, normalised, mapped to their IRIs."""

    by_class: dict[rdflib.URIRef, dict[str, set[rdflib.URIRef]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    superclasses: dict[rdflib.URIRef, set[rdflib.URIRef]] = field(default_factory=lambda: defaultdict(set))
    instances: dict[rdflib.URIRef, set[rdflib.URIRef]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def from_graph(cls, graph: rdflib.Graph) -> Lookup:
        """Index every labelled instance of every class, and community types by notation."""
        lookup = cls()
        lookup.add_graph(graph)
        return lookup

    def add_graph(self, graph: rdflib.Graph) -> None:
        """Index the labels of ``graph`` too (mapped sources are added as the build goes).

        A resource is indexed under its classes and their superclasses, so an organisation typed
        ``hckg:Funder`` is found when an ``hckg:Organisation`` is asked for. Superclasses come from
        the graphs added before (the ontology is added first).
        """
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, rdflib.URIRef) and isinstance(sup, rdflib.URIRef):
                self.superclasses[sub].add(sup)
        for subject, cls_ in graph.subject_objects(RDF.type):
            if isinstance(subject, rdflib.URIRef) and isinstance(cls_, rdflib.URIRef):
                for each in self._with_superclasses(cls_):
                    self.instances[each].add(subject)
                    self._index(graph, subject, each)
        for subject in graph.subjects(RDFS.subClassOf, HCKG.LearningCommunity):
            if isinstance(subject, rdflib.URIRef):
                self._index(graph, subject, COMMUNITY_TYPES)

    def _with_superclasses(self, cls_: rdflib.URIRef) -> set[rdflib.URIRef]:
        seen = {cls_}
        todo = [cls_]
        while todo:
            for sup in self.superclasses.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    def _index(self, graph: rdflib.Graph, subject: rdflib.URIRef, cls_: rdflib.URIRef) -> None:
        for predicate in LABEL_PREDICATES:
            for label in graph.objects(subject, predicate):
                self.by_class[cls_][normalise(str(label))].add(subject)

    def resolve(self, cls_: rdflib.URIRef, text: str) -> set[rdflib.URIRef]:
        """Every resource of ``cls_`` one of whose labels matches ``text`` (empty set when none)."""
        return set(self.by_class.get(cls_, {}).get(normalise(text), set()))

    def members(self, cls_: rdflib.URIRef) -> set[rdflib.URIRef]:
        """Every known instance of ``cls_`` (subclasses included), labelled or not."""
        return set(self.instances.get(cls_, set()))

    def has_member(self, cls_: rdflib.URIRef, iri: rdflib.URIRef) -> bool:
        """Whether ``iri`` is a known instance of ``cls_`` (a store-backed lookup asks about this one IRI)."""
        return iri in self.instances.get(cls_, ())

    def labels(self, cls_: rdflib.URIRef) -> list[str]:
        """The known labels of ``cls_``, for error messages that list valid values."""
        return sorted(self.by_class.get(cls_, {}))
