"""The SHACL shapes of shapes/: valid SHACL, the real data conforms, and planted faults are caught.

Issue 4 (validation gate). The data graph is always merged with ontology/hckg.ttl before it is
validated, so sh:class sees the ontology's rdfs:subClassOf triples (a hckg:Funder is a hckg:Organisation).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Union

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from hckg.config import PROJECT_ROOT
from hckg.store.oxigraph import OxigraphStore

SHAPES_DIR = PROJECT_ROOT / "shapes"
ONTOLOGY_PATH = PROJECT_ROOT / "ontology" / "hckg.ttl"
SHACL_SHACL_PATH = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"

HS = Namespace("https://w3id.org/hckg/shapes#")
HCKG = Namespace("https://w3id.org/hckg/def#")
ID = Namespace("https://w3id.org/hckg/id/")
GRAPH = Namespace("https://w3id.org/hckg/graph/")
SCHEMA = Namespace("http://schema.org/")
# Plain Namespaces: rdflib's closed XSD and PROV namespaces warn when pytest probes module attributes.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
PROV = Namespace("http://www.w3.org/ns/prov#")

Path_ = Union[URIRef, tuple, None]
Finding = tuple[Node, Path_, Node]
"""(focus node, result path, source shape) of one validation result."""

# Parameters that make a shape report something (SHACL Core and SHACL-SPARQL).
CONSTRAINT_PARAMETERS = {
    SH[name] for name in (
        "class datatype nodeKind minCount maxCount minInclusive maxInclusive minExclusive maxExclusive minLength "
        "maxLength pattern languageIn uniqueLang equals disjoint lessThan lessThanOrEquals not and or xone node "
        "qualifiedValueShape closed hasValue in sparql"
    ).split()
}

# Real-data problems found by these shapes and reported to the maintainers (issue 4). The ontology and
# data/ are fixed outside this test's reach: when an entry is fixed, this test fails, and the entry goes.
KNOWN_DATA_PROBLEMS: set[Finding] = set()


# --- helpers ---------------------------------------------------------------------------------


def load_shapes() -> Graph:
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def _path_key(report: Graph, path: Node | None) -> Path_:
    """A result path as a comparable value: an IRI, ("^", p) for an inverse path, a tuple for a sequence."""
    if path is None or isinstance(path, URIRef):
        return path
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return ("^", _path_key(report, inverse))
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return ("|", tuple(_path_key(report, p) for p in Collection(report, alternatives)))
    if report.value(path, RDF.first) is not None:
        return tuple(_path_key(report, p) for p in Collection(report, path))
    raise AssertionError(f"unexpected path form in report: {list(report.predicate_objects(path))}")


@dataclass(frozen=True)
class Result:
    finding: Finding
    severity: Node
    component: Node
    messages: frozenset[Literal]

    def says_it_in_dutch_and_english(self) -> bool:
        languages = {m.language for m in self.messages}
        if self.component == SH.SPARQLConstraintComponent:
            # pySHACL 0.40 drops the language tags of SPARQL-based messages (Literal(msg) in
            # constraint_component.py): both texts are there, untagged.
            return len(self.messages) == 2
        return {"nl", "en"} <= languages


def results(report: Graph) -> list[Result]:
    found = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        assert focus is not None
        finding = (focus, _path_key(report, report.value(r, SH.resultPath)), report.value(r, SH.sourceShape))
        messages = frozenset(m for m in report.objects(r, SH.resultMessage) if isinstance(m, Literal))
        found.append(Result(finding, report.value(r, SH.resultSeverity),  # type: ignore[arg-type]
                            report.value(r, SH.sourceConstraintComponent), messages))  # type: ignore[arg-type]
    return found


def validate(data: Graph, shapes: Graph) -> list[Result]:
    """Validate ``data`` merged with the ontology; warnings are reported but do not fail."""
    _, report, _ = pyshacl.validate(data + _ontology(), shacl_graph=shapes, allow_warnings=True)
    assert isinstance(report, Graph)
    return results(report)


def violations(found: list[Result]) -> set[Finding]:
    return {r.finding for r in found if r.severity == SH.Violation}


def closure(data: Graph, *nodes: URIRef) -> Graph:
    """The triples of ``nodes`` and of every resource they reach (not following rdf:type)."""
    out = Graph()
    todo: list[Node] = list(nodes)
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in data.triples((node, None, None)):
            out.add((s, p, o))
            if p != RDF.type and isinstance(o, (URIRef, BNode)):
                todo.append(o)
    return out


def replace(g: Graph, s: Node, p: URIRef, *new: Node) -> None:
    g.remove((s, p, None))
    for o in new:
        g.add((s, p, o))


def drop_language(g: Graph, s: Node, p: URIRef, lang: str) -> None:
    for o in list(g.objects(s, p)):
        if isinstance(o, Literal) and o.language == lang:
            g.remove((s, p, o))


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def real_data(store: OxigraphStore) -> Graph:
    """The union of every named graph of the store built from the real data (ontology included)."""
    buffer = io.BytesIO()
    store.dump(buffer, ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=buffer.getvalue(), format="nt")


@pytest.fixture(scope="module")
def real_validation(real_data: Graph, shapes: Graph) -> tuple[list[Result], float]:
    started = time.perf_counter()
    found = validate(real_data, shapes)
    return found, time.perf_counter() - started


# --- the shapes are valid SHACL ----------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SHAPES_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_every_shapes_file_parses_as_turtle_and_holds_shapes(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    assert set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))


def test_the_shapes_conform_to_the_shacl_shacl_shapes_graph(shapes: Graph) -> None:
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=Graph().parse(SHACL_SHACL_PATH, format="turtle"))
    assert conforms, text


def test_every_shape_that_reports_has_a_severity_and_a_message_in_dutch_and_english(shapes: Graph) -> None:
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    node_shapes = {s for t in targets for s in shapes.subjects(t, None)}
    reporting = node_shapes | {p for s in node_shapes for p in shapes.objects(s, SH.property)}
    missing = []
    for shape in reporting:
        present = {p for p in CONSTRAINT_PARAMETERS if (shape, p, None) in shapes}
        if present and shapes.value(shape, SH.severity) is None:
            missing.append(shape)
        # SPARQL-based constraints carry their own messages; every other constraint uses the shape's.
        carriers = list(shapes.objects(shape, SH.sparql)) + ([shape] if present - {SH.sparql} else [])
        for carrier in carriers:
            if not {"nl", "en"} <= {m.language for m in shapes.objects(carrier, SH.message) if isinstance(m, Literal)}:
                missing.append(carrier)
    assert not missing, f"shapes without severity or nl/en message: {sorted(map(str, missing))}"


def test_every_class_the_data_asserts_is_the_target_of_a_shape(store: OxigraphStore, shapes: Graph) -> None:
    """Classes typed in the data's own graphs (not the ontology, not graph/inferred's entailments)."""
    answer = store.query(f"""SELECT DISTINCT ?class WHERE {{
        GRAPH ?g {{ ?s a ?class }} FILTER (?g NOT IN (<{GRAPH["ontology"]}>, <{GRAPH["inferred"]}>)) }}""")
    assert isinstance(answer, ox.QuerySolutions)
    used = {URIRef(row["class"].value) for row in answer}  # type: ignore[union-attr]
    targeted = set(shapes.objects(None, SH.targetClass))
    assert used and used - targeted == set()


# --- the real data ---------------------------------------------------------------------------


def test_the_real_data_with_the_ontology_conforms_except_for_the_reported_problems(
        real_validation: tuple[list[Result], float]) -> None:
    found, seconds = real_validation
    print(f"pySHACL on the real data: {seconds:.2f} s")
    assert violations(found) == KNOWN_DATA_PROBLEMS


# --- planted faults ----------------------------------------------------------------------------

RDM = ID["community/rdm-centre-of-expertise"]
TECHYOURFUTURE = ID["community/techyourfuture-centre-of-expertise-techniekonderwijs"]
NWO = ID["organisation/nwo"]
TNO = ID["organisation/tno"]
GRONINGEN = ID["province/PV20"]
FRYSLAN = ID["province/PV21"]
ENERGIE = ID["topsector/energie"]
FOREIGN_TOPSECTOR = URIRef("http://example.org/topsector/energie")
VEILIGHEID = ID["challenge/veiligheid"]
LANDBOUW = ID["challenge/landbouw-water-voedsel"]
MISSION = ID["mission/gz-4-dementie"]
BUDGET_LINE = ID["budget-line/overige-kosten"]
TARGET = ID["target/100-extra-learning-communities"]
ACTION = ID["action/pilot-volgsysteem"]
TERM = ID["term/ptvt"]
HC_LINE = ID["budget-line/human-capital-inzet-topsectoren"]
FACT = ID["fact/budget-line-human-capital-inzet-topsectoren-minimumjointfteperyear-0-2-section-5"]
KATAPULT = ID["organisation/katapult"]
PROVINCES_GRAPH = GRAPH["provinces"]
SAME_LABEL = (RDFS.label, ("^", RDFS.label))
SAME_IDENTIFIER = (SCHEMA.identifier, ("^", SCHEMA.identifier))
SAME_CBS_CODE = (HCKG.cbsCode, ("^", HCKG.cbsCode))
NAMES = ("|", (RDFS.label, SKOS.altLabel))
SAME_NAME = (NAMES, ("^", NAMES))


def _copy_as(g: Graph, old: URIRef, new: URIRef) -> None:
    for _, p, o in list(g.triples((old, None, None))):
        g.add((new, p, o))


def _same_label(g: Graph) -> None:
    replace(g, TECHYOURFUTURE, RDFS.label, *g.objects(RDM, RDFS.label))


@dataclass(frozen=True)
class Fault:
    name: str
    resources: tuple[URIRef, ...]
    plant: Callable[[Graph], None]
    expected: set[Finding]


FAULTS = [
    Fault("a community typed only as LearningCommunity has none of the eight types", (RDM,),
          lambda g: replace(g, RDM, RDF.type, HCKG.LearningCommunity), {(RDM, RDF.type, HS["Community-type"])}),
    Fault("a community without any type", (RDM,),
          lambda g: replace(g, RDM, RDF.type), {(RDM, RDF.type, HS.HasType)}),
    Fault("a community with two types", (RDM,),
          lambda g: g.add((RDM, RDF.type, HCKG.Fieldlab)), {(RDM, RDF.type, HS["Community-type"])}),
    Fault("a community in an unknown province", (RDM,),
          lambda g: replace(g, RDM, HCKG.province, ID["province/PV99"]),
          {(RDM, HCKG.province, HS["Community-province"])}),
    Fault("a community in two provinces", (RDM, GRONINGEN),
          lambda g: g.add((RDM, HCKG.province, GRONINGEN)), {(RDM, HCKG.province, HS["Community-province"])}),
    Fault("a community that starts in 3020", (RDM,),
          lambda g: replace(g, RDM, HCKG.startYear, Literal("3020", datatype=XSD.gYear)),
          {(RDM, HCKG.startYear, HS["Community-startYear"])}),
    Fault("a start year written as plain text", (RDM,),
          lambda g: replace(g, RDM, HCKG.startYear, Literal("2014")),
          {(RDM, HCKG.startYear, HS["Community-startYear"])}),
    Fault("a source written as a literal instead of an IRI", (RDM,),
          lambda g: g.add((RDM, DCTERMS.source, Literal("https://www.rdmcoe.nl"))),
          {(RDM, DCTERMS.source, HS.SourceIsWebIri)}),
    Fault("a website that is not http(s)", (RDM,),
          lambda g: replace(g, RDM, SCHEMA.url, URIRef("ftp://www.rdmcoe.nl")), {(RDM, SCHEMA.url, HS.UrlIsWebIri)}),
    Fault("a community without a source", (RDM,),
          lambda g: replace(g, RDM, DCTERMS.source), {(RDM, DCTERMS.source, HS.SourceRequired)}),
    Fault("a topsector basis beside no topsector", (RDM,),
          lambda g: (replace(g, RDM, HCKG.topsector), g.add((RDM, HCKG.topsectorBasis, HCKG.BasisStated))),
          {(RDM, HCKG.topsector, HS["TopsectorBasis-topsector"])}),
    Fault("a challenge basis beside no challenge", (RDM,),
          lambda g: (replace(g, RDM, HCKG.societalChallenge), g.add((RDM, HCKG.challengeBasis, HCKG.BasisJudgement))),
          {(RDM, HCKG.societalChallenge, HS["ChallengeBasis-societalChallenge"])}),
    Fault("two bases for one community's topsectors", (RDM,),
          lambda g: (g.add((RDM, HCKG.topsectorBasis, HCKG.BasisStated)), g.add((RDM, HCKG.topsectorBasis, HCKG.BasisJudgement))),
          {(RDM, HCKG.topsectorBasis, HS["Community-topsectorBasis"])}),
    Fault("a challenge basis that is not one of the three", (RDM,),
          lambda g: g.add((RDM, HCKG.challengeBasis, HCKG.RealData)),
          {(RDM, HCKG.challengeBasis, HS["Community-challengeBasis"])}),
    Fault("a partner that is a province, not an organisation", (RDM, GRONINGEN),
          lambda g: g.add((RDM, HCKG.partner, GRONINGEN)), {(RDM, HCKG.partner, HS["Community-partner"])}),
    Fault("two communities with the same label", (RDM, TECHYOURFUTURE), _same_label,
          {(RDM, SAME_LABEL, HS["Community-uniqueLabel"]), (TECHYOURFUTURE, SAME_LABEL, HS["Community-uniqueLabel"])}),
    Fault("an organisation without a source", (NWO,),
          lambda g: replace(g, NWO, DCTERMS.source), {(NWO, DCTERMS.source, HS.SourceRequired)}),
    Fault("two organisations with the same ROR identifier", (NWO, TNO),
          lambda g: replace(g, TNO, SCHEMA.identifier, URIRef("https://ror.org/04jsz6e67")),
          {(NWO, SAME_IDENTIFIER, HS["Organisation-uniqueIdentifier"]),
           (TNO, SAME_IDENTIFIER, HS["Organisation-uniqueIdentifier"])}),
    Fault("two organisations with the same abbreviation (issue 10: one institution, one IRI)", (NWO, TNO),
          lambda g: g.add((TNO, SKOS.altLabel, Literal("NWO", lang="nl"))),
          {(NWO, SAME_NAME, HS["Organisation-uniqueName"]), (TNO, SAME_NAME, HS["Organisation-uniqueName"])}),
    Fault("a province without a Dutch label", (GRONINGEN,),
          lambda g: drop_language(g, GRONINGEN, RDFS.label, "nl"), {(GRONINGEN, RDFS.label, HS.DutchLabel)}),
    Fault("a province with CBS code PV99", (GRONINGEN,),
          lambda g: replace(g, GRONINGEN, HCKG.cbsCode, Literal("PV99")),
          {(GRONINGEN, HCKG.cbsCode, HS["Province-cbsCode"])}),
    Fault("two provinces with the same CBS code", (GRONINGEN, FRYSLAN),
          lambda g: replace(g, FRYSLAN, HCKG.cbsCode, Literal("PV20")),
          {(GRONINGEN, SAME_CBS_CODE, HS["Province-uniqueCbsCode"]),
           (FRYSLAN, SAME_CBS_CODE, HS["Province-uniqueCbsCode"])}),
    Fault("a topsector with an IRI outside the project namespace", (ENERGIE,),
          lambda g: _copy_as(g, ENERGIE, FOREIGN_TOPSECTOR), {(FOREIGN_TOPSECTOR, None, HS.TopsectorShape)}),
    Fault("a topsector without an English label", (ENERGIE,),
          lambda g: drop_language(g, ENERGIE, RDFS.label, "en"), {(ENERGIE, RDFS.label, HS.EnglishLabel)}),
    Fault("a challenge with a lead topsector the roadmap does not name", (VEILIGHEID,),
          lambda g: g.add((VEILIGHEID, HCKG.leadTopsector, ID["topsector/lsh"])),
          {(VEILIGHEID, HCKG.leadTopsector, HS["Leads-veiligheid-leadTopsector"])}),
    Fault("a challenge missing one of its two lead topsectors", (LANDBOUW,),
          lambda g: g.remove((LANDBOUW, HCKG.leadTopsector, ID["topsector/tu"])),
          {(LANDBOUW, HCKG.leadTopsector, HS["Leads-landbouw-water-voedsel-leadTopsector"])}),
    Fault("a lead topsector also listed as involved", (VEILIGHEID,),
          lambda g: g.add((VEILIGHEID, HCKG.involvedTopsector, ID["topsector/htsm"])),
          {(VEILIGHEID, HCKG.leadTopsector, HS["ImpactDomain-leadTopsector"])}),
    Fault("a mission of a topsector instead of a challenge", (MISSION, ENERGIE),
          lambda g: replace(g, MISSION, HCKG.missionOf, ENERGIE), {(MISSION, HCKG.missionOf, HS["Mission-missionOf"])}),
    Fault("a negative budget", (BUDGET_LINE,),
          lambda g: replace(g, BUDGET_LINE, HCKG.amountEURPerYear, Literal("-200000", datatype=XSD.decimal)),
          {(BUDGET_LINE, HCKG.amountEURPerYear, HS["BudgetLine-amountEURPerYear"])}),
    Fault("a budget period that ends before it starts", (BUDGET_LINE,),
          lambda g: replace(g, BUDGET_LINE, HCKG.periodStart, Literal("2024", datatype=XSD.gYear)),
          {(BUDGET_LINE, HCKG.periodStart, HS["BudgetLine-periodOrder"])}),
    Fault("a negative target value", (TARGET,),
          lambda g: replace(g, TARGET, HCKG.targetValue, Literal(-100)),
          {(TARGET, HCKG.targetValue, HS["Target-targetValue"])}),
    Fault("an action in no group", (ACTION,),
          lambda g: replace(g, ACTION, HCKG.inGroup), {(ACTION, HCKG.inGroup, HS["Action-inGroup"])}),
    Fault("a fact statement without its source section", (FACT,),
          lambda g: replace(g, FACT, HCKG.sourceSection),
          {(FACT, HCKG.sourceSection, HS["Fact-sourceSection"]), (HC_LINE, None, HS.FactHasSectionShape)}),
    Fault("a fact statement naming a section the seed does not have", (FACT,),
          lambda g: replace(g, FACT, HCKG.sourceSection, Literal("chapter five")),
          {(FACT, HCKG.sourceSection, HS["Fact-sourceSection"])}),
    Fault("a fact statement whose value is not the asserted one", (FACT,),
          lambda g: replace(g, FACT, RDF.object, Literal("0.3", datatype=XSD.decimal)),
          {(FACT, RDF.object, HS["Fact-asserted"]), (HC_LINE, None, HS.FactHasSectionShape)}),
    Fault("a fact value without a statement of its section", (FACT,),
          lambda g: replace(g, HC_LINE, HCKG.minimumJointFtePerYear, Literal("0.3", datatype=XSD.decimal)),
          {(HC_LINE, None, HS.FactHasSectionShape), (FACT, RDF.object, HS["Fact-asserted"])}),
    Fault("a minimum for joint activities above the line's fte", (HC_LINE,),
          lambda g: replace(g, HC_LINE, HCKG.minimumJointFtePerYear, Literal("0.8", datatype=XSD.decimal)),
          {(HC_LINE, HCKG.minimumJointFtePerYear, HS["BudgetLine-minimumWithinFte"])}),
    Fault("an action serving a topsector instead of an impact domain", (ACTION, ENERGIE),
          lambda g: g.add((ACTION, HCKG.servesImpactDomain, ENERGIE)),
          {(ACTION, HCKG.servesImpactDomain, HS["Action-servesImpactDomain"])}),
    Fault("a count of partnerships written as text", (KATAPULT,),
          lambda g: replace(g, KATAPULT, HCKG.partnershipCount, Literal("driehonderd")),
          {(KATAPULT, HCKG.partnershipCount, HS["Organisation-partnershipCount"])}),
    Fault("a glossary term without a definition", (TERM,),
          lambda g: replace(g, TERM, SKOS.definition), {(TERM, None, HS.GlossaryTermShape)}),
    Fault("a named graph whose sha256 has the wrong length", (PROVINCES_GRAPH,),
          lambda g: replace(g, PROVINCES_GRAPH, HCKG.sha256, Literal("0123456789abcdef")),
          {(PROVINCES_GRAPH, HCKG.sha256, HS["Graph-sha256"])}),
    Fault("a named graph of an unknown provenance kind", (PROVINCES_GRAPH,),
          lambda g: replace(g, PROVINCES_GRAPH, HCKG.provenanceKind, HCKG.GuessedData),
          {(PROVINCES_GRAPH, HCKG.provenanceKind, HS["Graph-provenanceKind"])}),
    Fault("a load time written as plain text", (PROVINCES_GRAPH,),
          lambda g: replace(g, PROVINCES_GRAPH, PROV.generatedAtTime, Literal("2026-11-23")),
          {(PROVINCES_GRAPH, PROV.generatedAtTime, HS["Graph-generatedAtTime"])}),
    Fault("a lead institution that is a funder is accepted (sh:class through rdfs:subClassOf)", (RDM, NWO),
          lambda g: replace(g, RDM, HCKG.leadInstitution, NWO), set()),
]


@pytest.fixture(scope="module")
def baselines(real_data: Graph, shapes: Graph) -> dict[tuple[URIRef, ...], tuple[Graph, set[Finding]]]:
    """Per set of real resources: their small graph and what it yields before any fault."""
    cache: dict[tuple[URIRef, ...], tuple[Graph, set[Finding]]] = {}
    for fault in FAULTS:
        if fault.resources not in cache:
            small = closure(real_data, *fault.resources)
            cache[fault.resources] = (small, {r.finding for r in validate(small, shapes)})
    return cache


def test_every_planted_fault_is_made_on_real_resources(real_data: Graph) -> None:
    for fault in FAULTS:
        for resource in fault.resources:
            assert (resource, RDF.type, None) in real_data, f"{fault.name}: {resource} is not in the data"


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_a_planted_fault_yields_exactly_the_expected_violation(
        fault: Fault, baselines: dict[tuple[URIRef, ...], tuple[Graph, set[Finding]]], shapes: Graph) -> None:
    """A real resource (with what it refers to) plus the fault adds exactly the expected results.

    Compared with the same small graph without the fault: a small graph lacks the impact domains
    the per-challenge shapes target by sh:targetNode, and those absences are reported in both.
    """
    small, before = baselines[fault.resources]
    faulty = Graph()
    for triple in small:
        faulty.add(triple)
    fault.plant(faulty)
    found = validate(faulty, shapes)
    new = [r for r in found if r.finding not in before]
    assert {r.finding for r in new} == fault.expected
    for r in new:
        assert r.severity == SH.Violation, r
        assert r.says_it_in_dutch_and_english(), f"{r.finding}: messages {sorted(r.messages)}"
