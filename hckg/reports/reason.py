"""Consistency of the ontology plus the data under HermiT (owlready2), for `hckg reason`.

Queries never depend on a reasoner at query time; this is a check, run on demand and in tests.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import owlready2
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ..errors import HckgError


class ReasonerUnavailable(HckgError):
    """HermiT needs Java; says so instead of failing obscurely."""


class Inconsistent(HckgError):
    """The ontology plus data entail a contradiction."""


@dataclass(frozen=True)
class ReasonReport:
    triples: int
    unsatisfiable: list[str]


def reason(graph: rdflib.Graph) -> ReasonReport:
    """Run HermiT over ``graph``; raises Inconsistent with an explanation, or ReasonerUnavailable.

    ``xsd:gYear`` lies outside the OWL 2 datatype map, so unsupported datatypes are ignored
    (the SHACL shapes check years instead).
    """
    if shutil.which("java") is None:
        raise ReasonerUnavailable("HermiT runs on Java and `java` is not on PATH: install a JRE (Java 17)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False,
                                               ignore_unsupported_datatypes=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as err:
            raise Inconsistent(f"the ontology plus data are inconsistent: {explain(graph)}") from err
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
    return ReasonReport(len(graph), unsatisfiable)


def explain(graph: rdflib.Graph) -> str:
    """A readable reason for the common case: a resource typed with two disjoint classes."""
    disjoint = {(a, b) for a, b in graph.subject_objects(OWL.disjointWith)}
    for members in graph.objects(None, OWL.members):
        items = list(Collection(graph, members))
        disjoint |= {(a, b) for a in items for b in items if a != b}
    pairs = sorted({tuple(sorted((str(a), str(b)))) for a, b in disjoint})
    for resource in sorted(set(graph.subjects(RDF.type, None))):
        asserted = set(graph.objects(resource, RDF.type))
        types = {str(sup) for t in asserted for sup in graph.transitive_objects(t, RDFS.subClassOf)}
        for a, b in pairs:
            if a in types and b in types:
                shown = ", ".join(f"<{t}>" for t in sorted(asserted))
                return (f"<{resource}> is typed {shown}, so both <{a}> and <{b}>, "
                        "which the ontology declares disjoint")
    return "HermiT found a contradiction (no two disjoint types on one resource; check property ranges and cardinalities)"
