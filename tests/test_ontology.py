"""The OWL ontology ontology/hckg.ttl keeps the contract of docs/vocabulary.md and stays usable by reasoners."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import owlready2
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_PATH = ROOT / "ontology" / "hckg.ttl"
VOCABULARY_PATH = ROOT / "docs" / "vocabulary.md"

HCKG = Namespace("https://w3id.org/hckg/def#")
ONTOLOGY_IRI = URIRef("https://w3id.org/hckg/def")
ROADMAP = URIRef("https://w3id.org/hckg/id/document/roadmap-hc-2020-2023")
VANN = Namespace("http://purl.org/vocab/vann/")
# A plain Namespace: rdflib's closed XSD namespace warns when pytest probes module attributes.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

COMMUNITY_TYPES = {
    "CentreOfExpertise": "CoE",
    "CentrumInnovatiefVakmanschap": "CIV",
    "Fieldlab": "Fieldlab",
    "Skillslab": "Skillslab",
    "LivingLab": "LivingLab",
    "Lectoraat": "Lectoraat",
    "Practoraat": "Practoraat",
    "OtherLearningCommunity": "Other",
    "Campus": "Campus",
    "PracticeCentre": "PracticeCentre",
    "RegionalInvestmentFundProject": "RIF",
    "ExpertiseCentre": "ExpertiseCentre",
    "InnovationHub": "InnovationHub",
    "LearningNetwork": "LearningNetwork",
}

# Terms the ontology may declare although docs/vocabulary.md does not list them in its tables (none today).
NOT_IN_VOCABULARY_TABLES: set[str] = set()

# The OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps); HermiT supports these only.
OWL2_DATATYPE_MAP = {
    RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational,
    *(XSD[name] for name in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short "
        "byte unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token "
        "language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp"
    ).split()),
}
# Ranges the vocabulary contract requires although they lie outside that map: years are xsd:gYear (HermiT must
# be told to ignore it) and missionStatement is rdf:langString (RDF 1.1's name for language-tagged strings).
DATATYPES_OUTSIDE_THE_MAP = {XSD.gYear, RDF.langString}

requires_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="HermiT runs on Java and `java` is not on PATH"
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def _vocabulary_names(section: str) -> set[str]:
    """The backticked local names in the first column of a table of docs/vocabulary.md.

    Parenthesised codes and types (`CoE`, `xsd:gYear`) are not term names; "`x` via `skos:y`" names the
    reused term skos:y; prefixed names (`schema:addressLocality`) are reused terms, not hckg: ones.
    """
    text = VOCABULARY_PATH.read_text(encoding="utf-8")
    match = re.search(rf"^## {section}\b[^\n]*\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"{VOCABULARY_PATH}: no '## {section}' section"
    names: set[str] = set()
    for line in match.group(1).splitlines():
        cells = line.split("|")
        if not line.startswith("|") or len(cells) < 3:
            continue
        first = re.sub(r"\([^)]*\)", "", cells[1])
        if " via " in first:
            first = first.split(" via ", 1)[1]
        names.update(n for n in re.findall(r"`([^`]+)`", first) if ":" not in n)
    return names


def _terms(graph: Graph, *kinds: URIRef) -> set[URIRef]:
    return {s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(HCKG))}


def _languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def _load_in_owlready(graph: Graph, tmp_path: Path) -> owlready2.World:
    """A fresh owlready2 World holding graph (owlready2 reads N-Triples, not Turtle)."""
    path = tmp_path / "hckg.nt"
    graph.serialize(destination=path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    return world


def _run_hermit(world: owlready2.World) -> None:
    # xsd:gYear is outside the OWL 2 datatype map, see test_only_gyear_and_langstring_lie_outside_...
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, ignore_unsupported_datatypes=True, debug=0)


def test_the_ontology_parses_and_declares_an_owl_ontology(ontology: Graph) -> None:
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]


def test_the_ontology_header_gives_titles_licence_version_source_and_prefix(ontology: Graph) -> None:
    assert _languages(ontology, ONTOLOGY_IRI, DCTERMS.title) == {"nl", "en"}
    assert _languages(ontology, ONTOLOGY_IRI, DCTERMS.description) == {"nl", "en"}
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.source) == ROADMAP
    assert ontology.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("hckg")


def test_the_vocabulary_doc_and_the_ontology_declare_the_same_terms(ontology: Graph) -> None:
    doc_classes = _vocabulary_names("Classes")
    doc_properties = _vocabulary_names("Properties")
    assert {"LearningCommunity", "CentreOfExpertise", "University"} <= doc_classes  # the parser read the table
    assert {"provenanceKind", "targetYear", "amountEURPerYear"} <= doc_properties

    classes = {HCKG[n] for n in doc_classes}
    properties = {HCKG[n] for n in doc_properties}
    declared_classes = _terms(ontology, OWL.Class)
    declared_properties = _terms(ontology, OWL.ObjectProperty, OWL.DatatypeProperty)

    assert sorted(classes - declared_classes) == []
    assert sorted(properties - declared_properties) == []
    assert sorted(declared_classes - classes) == sorted(HCKG[n] for n in NOT_IN_VOCABULARY_TABLES)
    assert sorted(declared_properties - properties) == []


def test_every_hckg_term_has_dutch_and_english_labels_and_definitions(ontology: Graph) -> None:
    terms = _terms(ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    assert len(terms) > 70
    missing = [
        (term.removeprefix(str(HCKG)), predicate.n3(ontology.namespace_manager), language)
        for term in sorted(terms)
        for predicate in (RDFS.label, SKOS.definition)
        for language in ("nl", "en")
        if language not in _languages(ontology, term, predicate)
    ]
    assert missing == []


@pytest.mark.parametrize(("name", "code"), sorted(COMMUNITY_TYPES.items()))
def test_each_community_type_has_its_csv_code_as_notation_and_is_a_learning_community(
    ontology: Graph, name: str, code: str
) -> None:
    assert set(ontology.objects(HCKG[name], SKOS.notation)) == {Literal(code)}
    assert set(ontology.objects(HCKG[name], RDFS.subClassOf)) == {HCKG.LearningCommunity}


def test_the_community_types_are_pairwise_disjoint_and_provinces_are_no_learning_communities(
    ontology: Graph,
) -> None:
    member_lists = [
        {str(m).removeprefix(str(HCKG)) for m in Collection(ontology, ontology.value(axiom, OWL.members))}
        for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert member_lists == [set(COMMUNITY_TYPES)]
    assert (HCKG.Province, OWL.disjointWith, HCKG.LearningCommunity) in ontology


def test_every_term_the_ontology_uses_is_declared(ontology: Graph) -> None:
    """Undeclared terms make an ontology OWL 2 Full, and reasoners then refuse or misread it."""
    built_in = (str(RDF), str(RDFS), str(OWL))
    properties = {
        p for kind in (OWL.AnnotationProperty, OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in ontology.subjects(RDF.type, kind)
    }
    used_properties = {p for p in ontology.predicates() if not str(p).startswith(built_in)}
    used_properties |= set(ontology.objects(None, RDFS.subPropertyOf))
    undeclared_predicates = used_properties - properties

    class_positions = [o for p in (RDFS.subClassOf, OWL.disjointWith, RDFS.domain) for o in ontology.objects(None, p)]
    class_positions += [ontology.value(p, RDFS.range) for p in ontology.subjects(RDF.type, OWL.ObjectProperty)]
    for p in (OWL.unionOf, OWL.members):
        for head in ontology.objects(None, p):
            class_positions += list(Collection(ontology, head))
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    undeclared_classes = {c for c in class_positions if isinstance(c, URIRef)} - classes

    untyped_anonymous_classes = [c for c in class_positions if isinstance(c, BNode) and c not in classes]

    assert sorted(undeclared_predicates) == []
    assert sorted(undeclared_classes) == []
    assert untyped_anonymous_classes == []


def test_only_gyear_and_langstring_lie_outside_the_owl2_datatype_map(ontology: Graph) -> None:
    ranges = {ontology.value(p, RDFS.range) for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)}
    assert None not in ranges, "every datatype property has a range"
    assert ranges - OWL2_DATATYPE_MAP == DATATYPES_OUTSIDE_THE_MAP


def test_owlready2_loads_the_ontology_with_learning_community_among_its_classes(
    ontology: Graph, tmp_path: Path
) -> None:
    world = _load_in_owlready(ontology, tmp_path)
    iris = {c.iri for c in world.classes()}
    assert str(HCKG.LearningCommunity) in iris
    assert str(HCKG.CentreOfExpertise) in iris


@requires_java
@pytest.mark.slow
def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_classes(ontology: Graph, tmp_path: Path) -> None:
    world = _load_in_owlready(ontology, tmp_path)
    _run_hermit(world)
    assert list(world.inconsistent_classes()) == []


@requires_java
@pytest.mark.parametrize(
    ("first", "second"),
    [("Province", "CentreOfExpertise"), ("Fieldlab", "Skillslab"), ("Lectoraat", "OtherLearningCommunity")],
)
def test_hermit_rejects_an_individual_of_two_disjoint_classes(
    ontology: Graph, tmp_path: Path, first: str, second: str
) -> None:
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    both = URIRef("https://w3id.org/hckg/id/test/both")
    graph.add((both, RDF.type, OWL.NamedIndividual))
    graph.add((both, RDF.type, HCKG[first]))
    graph.add((both, RDF.type, HCKG[second]))
    world = _load_in_owlready(graph, tmp_path)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _run_hermit(world)
