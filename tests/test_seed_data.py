"""Every row of the seed documents' tables is in the graph, with the document as its source.

Expected values are read by hand from shared/seeds/000_ed3689f28a78d24d.txt (section 4's two
tables, section 5's budget table, the glossary) and 003_36c7823d8f9fce52.txt. The facts of the prose
(counts, years, minimums, the impact domains an action serves) are checked against the seed text itself:
each is found, with its value as written, in the section its rdf:Statement names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pytest

from helpers import select
from hckg.config import PROJECT_ROOT

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


# --- facts of the prose, each with the section that states it (issue 20) ----------------------------------
#
# Every rdf:Statement of the roadmap graphs (docs/vocabulary.md, "Facts and their section") is listed here with
# the phrase of the seed that states it. The test reads the seed, cuts out the named section and finds the
# phrase in it; the value as written there ("0,2", "driehonderd", "€ 30 mln", "december 2015", a challenge's
# name) must be in the phrase and read back to the value in the graph. A wrong value, a wrong section, or a
# statement without an entry here fails.

SEEDS = Path(os.environ.get("HCKG_SEEDS_DIR", PROJECT_ROOT.parent / "shared" / "seeds"))
SEED_2020 = "000_ed3689f28a78d24d.txt"
SEED_2016 = "003_36c7823d8f9fce52.txt"
HCKG = "https://w3id.org/hckg/def#"
SCHEMA = "http://schema.org/"
DCT = "http://purl.org/dc/terms/"
ID = "https://w3id.org/hckg/id/"
FACT_2020 = ("roadmap-hc-2020-2023", SEED_2020)
MAATSCHAPPELIJKE_UITDAGINGEN = "maatschappelijke uitdagingen"
"""Written for each of the cabinet's four challenges that footnote 9 lists."""


@dataclass(frozen=True)
class Fact:
    subject: str
    predicate: str
    value: str
    section: str
    phrases: tuple[str, ...]
    written: str
    document: tuple[str, str] = FACT_2020


def _domains(action: str, section: str, phrases: tuple[str, ...], written: dict[str, str]) -> list[Fact]:
    return [Fact(f"action/{action}", HCKG + "servesImpactDomain", ID + domain, section, phrases + extra, name)
            for domain, (name, extra) in ((d, w if isinstance(w, tuple) else (w, ())) for d, w in written.items())]


TABLE_4 = "voor de maatschappelijke uitdagingen en sleuteltechnologieën. Aanjagen learning communities op terreinen die nodig zijn.\tZie onderstaande tabel"
WERKGROEPEN = "deelnemen aan werk- en stuurgroepen maatschappelijke uitdagingen, sleuteltechnologieën"
NWO_3_2 = "Deze commissie adviseert een programma op te zetten met een eigen budget van € 30 mln over vier jaar."
NWO_6 = "Deze commissie adviseert een flexibel en praktisch ingericht onderzoeksprogramma op te zetten met een eigen budget van € 30 mln. over vier jaar."
VOLGSYSTEEM = ("In 2020 start de Topsector Energie voor de maatschappelijke uitdaging Energietransitie & Duurzaamheid "
               "een pilot voor de ontwikkeling van het volgsysteem")
HC = "budget-line/human-capital-inzet-topsectoren"
PTVT = "budget-line/projectuitvoering-ptvt-stimuleringsmiddelen"
NWO = "budget-line/nwo-onderzoeksprogramma-learning-communities"
TARGET = "target/100-extra-learning-communities"

FACTS = [
    Fact(HC, HCKG + "minimumJointFtePerYear", "0.2", "section 5",
         ("Elke topsector investeert daarvan minimaal 0,2 fte in de gezamenlijke Roadmap-activiteiten.",), "0,2"),
    Fact(HC, HCKG + "ftePerYear", "0.6", "section 5",
         ("vragen wij van alle topsectoren een minimale inzet van 3 dagen in de week (0,6 fte)",), "0,6"),
    Fact(PTVT, HCKG + "ftePerYear", "1.0", "section 5", ("opgehoogd naar ca 1,0 fte",), "1,0"),
    Fact(PTVT, HCKG + "periodStart", "2020", "section 5",
         ("Daarom zal met ingang van 2020 de projectuitvoering worden verzaamd",), "2020"),
    Fact("budget-line/communicatie-adviseur", HCKG + "ftePerYear", "0.2", "section 5",
         ("die namens het collectief voor 0,2 fte de roadmap ondersteunt",), "0,2"),
    Fact(NWO, HCKG + "periodStart", "2020", "section 3.2",
         ("Inzet is om in 2020 in nauwe samenwerking met NWO een meerjarig onderzoeksprogramma",), "2020"),
    Fact(NWO, HCKG + "partOfContract", "Kennis- en Innovatiecontract 2020-2023", "section 3.2",
         ("Het onderzoeksprogramma wordt onderdeel van het Kennis- en Innovatiecontract 2020-2023.",),
         "Kennis- en Innovatiecontract 2020-2023"),
    Fact(NWO, HCKG + "totalAmountEUR", "30000000", "section 3.2", (NWO_3_2,), "€ 30 mln"),
    Fact(NWO, HCKG + "totalAmountEUR", "30000000", "section 6", (NWO_6,), "€ 30 mln."),
    Fact(NWO, SCHEMA + "duration", "P4Y", "section 3.2", (NWO_3_2,), "vier jaar"),
    Fact(NWO, SCHEMA + "duration", "P4Y", "section 6", (NWO_6,), "vier jaar"),
    Fact(TARGET, HCKG + "targetValue", "100", "section 2",
         ("in 2023 op 100 extra plaatsen het concept learning community gerealiseerd",), "100"),
    Fact(TARGET, HCKG + "targetValue", "100", "section 3.1",
         ("zijn er in 2023 t.o.v. 2018 100 extra learning communities gerealiseerd",), "100"),
    Fact(TARGET, HCKG + "targetValue", "100", "section 6", ("realiseren we 100 extra learning communities",), "100"),
    Fact(TARGET, HCKG + "baselineYear", "2018", "section 2", ("Vergeleken met 2018 is op de maatschappelijke uitdagingen",),
         "2018"),
    Fact(TARGET, HCKG + "baselineYear", "2018", "section 3.1", ("zijn er in 2023 t.o.v. 2018 100 extra",), "2018"),
    Fact(TARGET, HCKG + "targetYear", "2023", "section 2", ("in 2023 op 100 extra plaatsen",), "2023"),
    Fact(TARGET, HCKG + "targetYear", "2023", "section 3.1", ("zijn er in 2023 t.o.v. 2018 100 extra",), "2023"),
    Fact(TARGET, HCKG + "targetYear", "2023", "section 6",
         ("### Tussen nu en 2023 verzetten we samen veel werk", "realiseren we 100 extra learning communities"), "2023"),
    Fact("organisation/katapult", HCKG + "partnershipCount", "300", "section 2",
         ("Katapult (de driehonderd publiek-private partnerships in mbo en hbo)",), "driehonderd"),
    Fact("organisation/katapult", HCKG + "partnershipCount", "300", "section 3.3",
         ("Katapultdag (met 300 publiek-private samenwerkingsverbanden in mbo en hbo)",), "300"),
    Fact("organisation/katapult", HCKG + "partnershipCount", "300", "glossary",
         ("**Katapult:** Netwerk van meer dan 300 - publiek-private",), "300"),
    Fact("organisation/techniekpact", HCKG + "regionCount", "5", "section 6",
         ("een samenwerking met 5 landsdelen van het Techniepact",), "5"),
    Fact("organisation/groenpact", HCKG + "memberCount", "40", "glossary",
         ("**Groenpact:**", "Ruim 40 partijen uit bedrijfsleven, onderwijs en overheid vormen de fundering van dit pact."),
         "40"),
    Fact("organisation/vno-ncw", HCKG + "memberCount", "185000", "glossary",
         ("**VNO/NCW:**", "namens de 185.000 bedrijven die via brancheorganisaties lid zijn"), "185.000"),
    Fact("document/roadmap-hc-2016-2020", DCT + "dateAccepted", "2015-12", "heading: Start samenwerking Topsectoren in 2015",
         ('In december 2015 is de roadmap "Human Capital Topsectoren 2016 – 2020" vastgesteld',), "december 2015",
         ("roadmap-hc-2016-2020", SEED_2016)),
    Fact("action/pilot-volgsysteem", SCHEMA + "startDate", "2020", "section 3.2", (VOLGSYSTEEM,), "2020"),
    *_domains("pilot-volgsysteem", "section 3.2", (VOLGSYSTEEM,),
              {"challenge/energietransitie-duurzaamheid": "Energietransitie & Duurzaamheid"}),
    *_domains("analyses-acties-uitdagingen-sleuteltechnologieen", "section 4", (TABLE_4,), {
        "challenge/energietransitie-duurzaamheid": ("Energie & Duurzaamheid", ("\nEnergie & Duurzaamheid\tEnergie\t",)),
        "challenge/gezondheid-zorg": ("Gezondheid & Zorg", ("\nGezondheid & Zorg\tLife Sciences & Health\t",)),
        "challenge/landbouw-water-voedsel": ("Landbouw, Water & Voedsel", ("\nLandbouw, Water & Voedsel\tAgri & Food",)),
        "challenge/veiligheid": ("Veiligheid", ("\nVeiligheid\tHTSM / dutch digital delta\t",)),
        "challenge/circulaire-economie": ("Circulaire Economie", ("\nCirculaire Economie\tChemie\t",)),
        "impact-domain/sleuteltechnologieen": ("Sleuteltechnologieën", ("\nSleuteltechnologieën\tHTSM / dutch digital delta\t",)),
    }),
    *_domains("regionale-investeringsagendas", "section 3.1",
              ("## Impact voor de regio's",
               "Daartoe kijken we met de samenwerkingspartners naar de regionale investeringsagenda's."),
              {"impact-domain/regios": "regio's"}),
    *_domains("werk-en-stuurgroepen", "section 4", (WERKGROEPEN,), {
        "challenge/energietransitie-duurzaamheid": MAATSCHAPPELIJKE_UITDAGINGEN,
        "challenge/gezondheid-zorg": MAATSCHAPPELIJKE_UITDAGINGEN,
        "challenge/landbouw-water-voedsel": MAATSCHAPPELIJKE_UITDAGINGEN,
        "challenge/veiligheid": MAATSCHAPPELIJKE_UITDAGINGEN,
        "impact-domain/sleuteltechnologieen": "sleuteltechnologieën",
    }),
]

_NUMBERED = re.compile(r"^#+ (\d)(?:\.(\d))?\.? \S", re.MULTILINE)
_HEADINGS_2016 = ("Start samenwerking Topsectoren in 2015", "Missie en ambitie Topsectoren",
                  "Inhoudelijke scope van de roadmap")
_MONTHS = {m: i for i, m in enumerate(("januari februari maart april mei juni juli augustus september oktober "
                                       "november december").split(), start=1)}
_WORDS = {"driehonderd": "300", "vier jaar": "P4Y"}


@lru_cache(maxsize=None)
def seed(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed text {path} not found (set HCKG_SEEDS_DIR)")
    return path.read_text(encoding="utf-8")


def section_text(name: str, section: str) -> str:
    """The text of one section of a seed: 'section 3' (3.1-3.3 included), 'section 3.2', 'glossary', 'heading: ...'."""
    text = seed(name)
    if section.startswith("heading: "):
        heading = section.removeprefix("heading: ")
        start = text.index("\n" + heading + "\n")
        ends = [text.index("\n" + h + "\n") for h in _HEADINGS_2016 if text.find("\n" + h + "\n") > start]
        return text[start:min(ends, default=len(text))]
    glossary = text.index("\n# Uitleg van begrippen en afkortingen")
    if section == "glossary":
        return text[glossary:text.index("\n# Coördinatoren")]
    number = section.removeprefix("section ")
    heads = [(m.start(), m.group(1) + (f".{m.group(2)}" if m.group(2) else "")) for m in _NUMBERED.finditer(text)]
    starts = [i for i, (_, n) in enumerate(heads) if n == number]
    assert len(starts) == 1, f"{section}: {len(starts)} headings in {name}"
    i = starts[0]
    later = [pos for pos, n in heads[i + 1:] if not n.startswith(number + ".")]
    return text[heads[i][0]:min([*later, glossary])]


def read_value(written: str) -> str:
    """The value a phrase of the seed writes: Dutch numbers and dates as the graph stores them."""
    if written in _WORDS:
        return _WORDS[written]
    if m := re.fullmatch(r"€ (\d+) mln\.?", written):
        return str(int(m.group(1)) * 1_000_000)
    if m := re.fullmatch(r"([a-z]+) (\d{4})", written):
        return f"{m.group(2)}-{_MONTHS[m.group(1)]:02d}"
    if re.fullmatch(r"\d{1,3}(\.\d{3})+|\d+(,\d+)?", written):
        return written.replace(".", "").replace(",", ".")
    return written


def same_value(a: str, b: str) -> bool:
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b


def fact_rows(store) -> list[dict[str, str]]:
    return select(store, PREFIXES + """
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT DISTINCT ?subject ?predicate ?value ?section ?document WHERE {
          ?f a rdf:Statement ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?value ;
             hckg:sourceSection ?section ; dcterms:source ?document .
          ?subject ?predicate ?value .
        }""")


def test_every_fact_statement_of_the_graph_is_one_checked_here(store):
    found = sorted((r["subject"], r["predicate"], r["value"], r["section"], r["document"]) for r in fact_rows(store))
    wanted = sorted((ID + f.subject, f.predicate, f.value, f.section, ID + "document/" + f.document[0]) for f in FACTS)
    assert len(found) == len(wanted) == len(set(wanted)) == 40
    for got, want in zip(found, wanted):
        assert got[:2] == want[:2] and same_value(got[2], want[2]) and got[3:] == want[3:], (got, want)


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"{f.subject} {f.predicate.rsplit('/', 1)[-1]} {f.value} ({f.section})")
def test_each_fact_is_stated_in_its_section_of_the_seed_with_its_value(store, fact):
    text = section_text(fact.document[1], fact.section)
    for phrase in fact.phrases:
        assert phrase in text, f"{fact.section} of {fact.document[1]} does not say {phrase!r}"
    assert any(fact.written in phrase for phrase in fact.phrases)
    if fact.value.startswith(ID):
        labels = select(store, PREFIXES + f"""
            SELECT ?l WHERE {{ <{fact.value}> rdfs:label|skos:altLabel ?l FILTER(LANG(?l) = "nl") }}""")
        names = {r["l"] for r in labels}
        if fact.written == MAATSCHAPPELIJKE_UITDAGINGEN:
            footnote = re.search(r"Als maatschappelijke uitdagingen zijn geformuleerd: ([^\n]*?)\. ", section_text(SEED_2020, "section 2"))
            assert footnote and any(n in footnote.group(1) for n in names), (fact.value, names)
        else:
            assert fact.written.lower() in {n.lower() for n in names}, (fact.written, names)
    else:
        assert same_value(read_value(fact.written), fact.value), (fact.written, fact.value)
