"""Every row of the seed documents' tables is in the graph, with the document as its source.

Expected values are read by hand from shared/seeds/000_ed3689f28a78d24d.txt (section 4's two
tables, section 5's budget table, the glossary) and 003_36c7823d8f9fce52.txt.
"""

from __future__ import annotations

import pytest

from helpers import select

PREFIXES = """
PREFIX hckg: <https://w3id.org/hckg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
DOC_2020 = "https://w3id.org/hckg/id/document/roadmap-hc-2020-2023"
DOC_2016 = "https://w3id.org/hckg/id/document/roadmap-hc-2016-2020"
ALL = {"agri-food", "chemie", "creatieve-industrie", "energie", "htsm", "lsh", "logistiek", "tu", "water-maritiem", "ict"}

# "Vergroten van de impact | Trekkers | Overig betrokken", row by row.
IMPACT_TABLE = {
    "challenge/energietransitie-duurzaamheid": (
        {"energie"}, {"chemie", "htsm", "agri-food", "tu", "logistiek", "ict", "water-maritiem", "creatieve-industrie"}),
    "challenge/gezondheid-zorg": ({"lsh"}, {"logistiek", "ict", "creatieve-industrie", "chemie", "agri-food"}),
    "challenge/landbouw-water-voedsel": ({"agri-food", "tu"}, {"water-maritiem", "chemie", "energie", "ict", "lsh"}),
    "challenge/veiligheid": ({"htsm", "ict"}, {"chemie", "energie", "creatieve-industrie", "water-maritiem"}),
    "challenge/circulaire-economie": (
        {"chemie"}, {"water-maritiem", "creatieve-industrie", "htsm", "agri-food", "tu", "ict", "energie"}),
    "impact-domain/sleuteltechnologieen": ({"htsm", "ict"}, {"creatieve-industrie", "chemie", "energie"}),
    "impact-domain/taakgroep-arbeidsmarkt-scholing-klimaatakkoord": ({"energie"}, ALL - {"energie"}),
    "impact-domain/regios": ({"ict", "chemie", "htsm"}, ALL - {"ict", "chemie", "htsm"}),
}


def keys(iris: str) -> set[str]:
    return {i.rsplit("/", 1)[1] for i in iris.split(" ") if i}


def test_the_impact_table_has_every_row_with_its_lead_and_involved_topsectors(store):
    rows = select(store, PREFIXES + """
        SELECT ?d (GROUP_CONCAT(DISTINCT STR(?lead)) AS ?leads) (GROUP_CONCAT(DISTINCT STR(?inv)) AS ?involved)
        WHERE {
          ?d skos:inScheme <https://w3id.org/hckg/id/scheme/challenges> ;
             dcterms:source <https://w3id.org/hckg/id/document/roadmap-hc-2020-2023> ;
             hckg:leadTopsector ?lead .
          OPTIONAL { ?d hckg:involvedTopsector ?inv }
        } GROUP BY ?d""")
    found = {r["d"].removeprefix("https://w3id.org/hckg/id/"): (keys(r["leads"]), keys(r["involved"])) for r in rows}
    assert found == IMPACT_TABLE


def test_the_five_societal_challenges_are_typed_as_such(store):
    rows = select(store, PREFIXES + "SELECT ?c WHERE { ?c a hckg:SocietalChallenge } ORDER BY ?c")
    assert [r["c"].rsplit("/", 1)[1] for r in rows] == [
        "circulaire-economie", "energietransitie-duurzaamheid", "gezondheid-zorg", "landbouw-water-voedsel", "veiligheid"]


# "Acties | Trekkers": topsector trekkers per action (empty cells in the extracted text stay empty).
ACTION_TREKKERS = {
    "pilot-volgsysteem": {"energie"},
    "onderzoeksprogramma-nwo": {"energie", "logistiek", "lsh"},
    "arbeidsmarktinformatie-stroomlijnen": {"chemie", "ict", "ptvt"},
    "pilot-digitale-leeromgeving": {"energie", "ict"},
    "verkenning-contextrijke-leeromgevingen": {"agri-food", "groenpact"},
    "verkenning-mkb": {"htsm"},
    "verkenning-sociale-innovatie": {"lsh", "logistiek"},
    "communicatiestrategie-uitwerken": {"ptvt"},
    "verankeren-in-innovatieprogrammas": {"ptvt", "energie", "ict"},
    "pilots-professional-centraal": {"lsh"},
    "coordinatie-uitvoering-roadmap": {"ptvt"},
}


def test_the_actions_table_has_every_row_in_its_group_with_its_trekkers(store):
    rows = select(store, PREFIXES + """
        SELECT ?a ?group ?source (GROUP_CONCAT(STR(?t)) AS ?trekkers) WHERE {
          ?a a hckg:Action ; hckg:inGroup ?group ; dcterms:source ?source .
          OPTIONAL { ?a hckg:trekker ?t }
        } GROUP BY ?a ?group ?source""")
    assert len(rows) == 17
    groups = [r["group"].rsplit("/", 1)[1] for r in rows]
    assert {g: groups.count(g) for g in set(groups)} == {
        "vergroten-impact": 3, "kennis-ontwikkelen-verspreiden": 7, "mobiliseren-versnellen": 5,
        "bestuurlijke-vertegenwoordiging": 1, "ondersteuning-coordinatie": 1}
    trekkers = {r["a"].rsplit("/", 1)[1]: keys(r["trekkers"]) for r in rows if r["trekkers"]}
    assert trekkers == ACTION_TREKKERS
    assert {r["source"] for r in rows} == {DOC_2020}


def test_the_glossary_has_all_41_terms_with_definitions(store):
    rows = select(store, PREFIXES + """
        SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {
          ?t skos:inScheme <https://w3id.org/hckg/id/scheme/glossary> ; skos:definition ?d ; dcterms:source ?s }""")
    assert rows == [{"n": "41"}]


@pytest.mark.parametrize(
    ("budget_line", "prop", "value"),
    [
        ("human-capital-inzet-topsectoren", "ftePerYear", "0.6"),
        ("projectuitvoering-ptvt-stimuleringsmiddelen", "amountEURPerYear", "200000"),
        ("overige-kosten", "amountEURPerYear", "200000"),
        ("communicatie-adviseur", "ftePerYear", "0.2"),
        ("nwo-onderzoeksprogramma-learning-communities", "totalAmountEUR", "30000000"),
    ],
)
def test_the_budget_table_amounts_are_in_the_graph(store, budget_line, prop, value):
    rows = select(store, PREFIXES + f"""
        SELECT ?v ?source WHERE {{
          <https://w3id.org/hckg/id/budget-line/{budget_line}> hckg:{prop} ?v ; dcterms:source ?source }}""")
    assert [(float(r["v"]), r["source"]) for r in rows] == [(float(value), DOC_2020)]


def test_the_100_extra_learning_communities_target_has_its_numbers(store):
    rows = select(store, PREFIXES + """
        SELECT ?value ?base ?year WHERE {
          <https://w3id.org/hckg/id/target/100-extra-learning-communities>
            hckg:targetValue ?value ; hckg:baselineYear ?base ; hckg:targetYear ?year }""")
    assert rows == [{"value": "100", "base": "2018", "year": "2023"}]


def test_the_2016_2020_roadmap_has_four_ambitions_and_five_action_lines(store):
    rows = select(store, PREFIXES + """
        SELECT ?class (COUNT(?x) AS ?n) WHERE {
          VALUES ?class { hckg:Ambition hckg:ActionLine }
          ?x a ?class ; dcterms:isPartOf ?doc ; dcterms:source ?doc } GROUP BY ?class ORDER BY ?class""")
    assert rows == [{"class": "https://w3id.org/hckg/def#ActionLine", "n": "5"},
                    {"class": "https://w3id.org/hckg/def#Ambition", "n": "4"}]
    docs = select(store, PREFIXES + "SELECT DISTINCT ?doc WHERE { ?x a hckg:Ambition ; dcterms:source ?doc }")
    assert docs == [{"doc": DOC_2016}]


def test_the_three_programme_lines_belong_to_the_2020_roadmap(store):
    rows = select(store, PREFIXES + """
        SELECT ?n ?label WHERE { ?p a hckg:ProgrammeLine ; skos:notation ?n ; rdfs:label ?label ;
                                    dcterms:isPartOf <https://w3id.org/hckg/id/document/roadmap-hc-2020-2023>
                                 FILTER(LANG(?label) = "nl") } ORDER BY ?n""")
    assert [r["n"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["label"].lower().startswith("vergroten van de impact")


def test_every_resource_of_the_roadmap_graphs_has_a_source(store):
    rows = select(store, PREFIXES + """
        SELECT DISTINCT ?s WHERE {
          VALUES ?g { <https://w3id.org/hckg/graph/roadmap/roadmap> <https://w3id.org/hckg/graph/roadmap/actions>
                      <https://w3id.org/hckg/graph/roadmap/impact-domains> <https://w3id.org/hckg/graph/roadmap/glossary> }
          GRAPH ?g { ?s a ?type }
          FILTER NOT EXISTS { ?s dcterms:source ?src }
          FILTER NOT EXISTS { ?s a hckg:Roadmap }
        }""")
    assert rows == []
