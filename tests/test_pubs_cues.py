"""hckg.pubs.cues: the librarian's cues on hand-made (synthetic) communities and records."""

from hckg.pubs.cues import CueFinder, Facts, Institution, host_of, same_site
from hckg.pubs.profiles import PublicationText

HAN = Institution("org:han", {"HAN", "hogeschool van arnhem en nijmegen"}, {"han.nl"}, "Hogeschool van Arnhem en Nijmegen (HAN)")
AVANS = Institution("org:avans", {"Avans", "avans hogeschool"}, {"avans.nl"}, "Avans Hogeschool")
FACTS = {  # synthetic communities
    "A": Facts("A", "Centre A", people=[("Gerda Voorbeeld", "Lector")], lead=[HAN], start=2015,
               names={"centre of expertise alpha"}, acronyms={"CEA"}),
    "B": Facts("B", "Centre B", lead=[HAN], partners=[AVANS], hosts={"centre-b.nl"}, start=2012),
    "C": Facts("C", "Centre C", people=[("Gerda Voorbeeld", "Director")], lead=[AVANS]),
}


def kinds(found, iri):
    return sorted((c.kind, c.value) for c in found.get(iri, []))


def test_author_in_a_role_with_specificity():
    found = CueFinder(FACTS).cues(PublicationText("p", title="t", authors=["Voorbeeld, G."]))
    assert kinds(found, "A") == [("author", 0.5)] and kinds(found, "C") == [("author", 0.5)]
    assert "is Gerda Voorbeeld (Lector) of Centre A" in found["A"][0].evidence
    assert CueFinder(FACTS).cues(PublicationText("p", authors=["Voorbeeld"])) == {}


def test_publisher_lead_partner_and_url_host():
    found = CueFinder(FACTS).cues(PublicationText("p", publisher="Avans Hogeschool", year=2020))
    assert kinds(found, "B") == [("partner", 1.0)] and kinds(found, "C") == [("lead", 1.0)]
    found = CueFinder(FACTS).cues(PublicationText("p", url="https://repository.han.nl/x"))
    assert kinds(found, "A") == [("lead", 0.5)] and kinds(found, "B") == [("lead", 0.5)]
    assert "URL host 'repository.han.nl' is the website of" in found["A"][0].evidence
    # Short names are matched as written: "han" in lower case is no HAN.
    assert CueFinder(FACTS).cues(PublicationText("p", publisher="Han's bakery")) == {}


def test_names_in_url_and_publisher_the_community_site_and_the_year():
    found = CueFinder(FACTS).cues(PublicationText("p", url="https://example.org/cea/report.pdf", year=2010))
    assert kinds(found, "A") == [("before_start", 1.0), ("name", 1.0)]
    found = CueFinder(FACTS, frozenset({"centre", "expertise"})).cues(PublicationText("p", url="https://www.centre-b.nl/news/1"))
    assert kinds(found, "B") == [("name", 1.0)]
    found = CueFinder(FACTS).cues(PublicationText("p", venue=["Reeks Centre of Expertise Alpha"]))
    assert kinds(found, "A") == [("name", 1.0)]


def test_hosts():
    assert host_of("https://WWW.Hanze.nl/a") == "hanze.nl"
    assert same_site("research.hanze.nl", "hanze.nl") and not same_site("hanze.nl.example.com", "hanze.nl")
    assert host_of("not a url") == ""


def test_the_distinctive_part_of_a_name_in_title_publisher_or_url():
    facts = {"U": Facts("U", "Centre of Expertise Urban Vitality", names={"centre of expertise urban vitality"}),
             "L": Facts("L", "Living lab X (HvA Urban Vitality)", names={"living lab x (hva urban vitality)"})}
    finder = CueFinder(facts, frozenset({"centre", "expertise", "living", "lab"}))
    found = finder.cues(PublicationText("p", title="Factsheet", url="https://www.hva.nl/urban-vitality/factsheet.html"))
    assert kinds(found, "U") == [("core", 1.0)] and "L" not in found
    assert "URL names 'urban vitality'" in found["U"][0].evidence
    assert finder.cues(PublicationText("p", title="Urban planning and vitality")) == {}


def test_a_name_spelt_without_spaces_in_a_url_part_is_an_account_or_site_name():
    facts = {"T": Facts("T", "Centre of Expertise Urban Technology", names={"centre of expertise urban technology"}),
             "K": Facts("K", "KennisDC Logistiek (Centre of Expertise Logistiek)", names={"kennisdc logistiek"})}
    finder = CueFinder(facts, frozenset({"centre", "expertise"}))
    found = finder.cues(PublicationText("p", title="Stadslogistiek", url="https://issuu.com/hvaurbantechnology/docs/x"))
    assert kinds(found, "T") == [("core", 1.0)] and "'hvaurbantechnology' spells 'urban technology'" in found["T"][0].evidence
    assert kinds(finder.cues(PublicationText("p", url="https://www.kennisdclogistiek.nl/publicaties/y")), "K") == [("core", 1.0)]
    # A short core spelt inside a longer word is chance: no cue.
    short = CueFinder({"S": Facts("S", "Lab Bio Art", names={"bio art"})}, frozenset({"lab"}))
    assert short.cues(PublicationText("p", url="https://example.org/bioartikel")) == {}


def test_a_community_with_another_name_is_not_held_to_its_start_year():
    facts = {"U": Facts("U", "Centre of Expertise Urban Vitality", start=2021, names={"centre of expertise urban vitality"},
                        former=["Speerpunt Urban Vitality (HvA)"]),
             "N": Facts("N", "Centre N", start=2021, names={"centre of expertise nova"})}
    found = CueFinder(facts, frozenset({"centre", "expertise"})).cues(
        PublicationText("p", url="https://www.hva.nl/urban-vitality/x", venue=["Reeks Centre of Expertise Nova"], year=2016))
    assert kinds(found, "U") == [("core", 1.0), ("earlier_name", 1.0)]
    assert "not held against it" in next(c.evidence for c in found["U"] if c.kind == "earlier_name")
    assert ("before_start", 1.0) in kinds(found, "N")


def test_one_institution_under_two_organisation_records_counts_once():
    hva = Institution("org:hva", {"hogeschool van amsterdam"}, set(), "Hogeschool van Amsterdam")
    hva_uv = Institution("org:hva-uv", {"hogeschool van amsterdam", "urban vitality"}, set(), "Hogeschool van Amsterdam (Urban Vitality)")
    facts = {"T": Facts("T", "Centre T", lead=[hva]), "L": Facts("L", "Living lab L", lead=[hva_uv])}
    found = CueFinder(facts).cues(PublicationText("p", publisher="Hogeschool van Amsterdam"))
    assert kinds(found, "T") == [("lead", 0.5)] and kinds(found, "L") == [("lead", 0.5)]
