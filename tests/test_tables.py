"""CSV tables: recognised by header, every bad cell reported with file, line and rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from hckg.config import PROJECT_ROOT
from hckg.errors import SourceError
from hckg.ingest.sources import discover, map_source
from hckg.iris import HCKG, SCHEMA
from hckg.ingest.lookup import Lookup, normalise
from hckg.ingest.tables import map_csv, read_rows

from helpers import select

HEADER = "name,type,lead_institution,partners,city,province,topsectors,societal_challenge,start_year,website,source_url\n"
GOOD = "Test Lab,Fieldlab,,,Delft,Zuid-Holland,Energie,Energietransitie,2019,,https://example.org/a; https://example.org/b\n"


@pytest.fixture(scope="module")
def lookup() -> Lookup:
    """Labels of everything the communities table may refer to, mapped from the real data."""
    found = Lookup()
    for source in discover(PROJECT_ROOT / "data", PROJECT_ROOT / "ontology"):
        if source.path.name not in ("learning_communities.csv", "people.csv", "community_bases.csv"):
            map_source(source, found)
    return found


def write(tmp_path: Path, text: str, name: str = "lc.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_good_row_maps_to_a_typed_community_with_its_links_and_sources(tmp_path, lookup):
    _, g = map_csv(write(tmp_path, HEADER + GOOD), lookup)
    lab = URIRef("https://w3id.org/hckg/id/community/test-lab")
    assert (lab, RDF.type, HCKG.Fieldlab) in g
    assert (lab, HCKG.province, URIRef("https://w3id.org/hckg/id/province/PV28")) in g
    assert (lab, HCKG.topsector, URIRef("https://w3id.org/hckg/id/topsector/energie")) in g
    assert (lab, HCKG.societalChallenge, URIRef("https://w3id.org/hckg/id/challenge/energietransitie-duurzaamheid")) in g
    assert (lab, HCKG.startYear, Literal("2019", datatype=XSD.gYear)) in g
    assert set(g.objects(lab, DCTERMS.source)) == {URIRef("https://example.org/a"), URIRef("https://example.org/b")}


@pytest.mark.parametrize(
    ("row", "line", "message"),
    [
        (GOOD.replace("Zuid-Holland", "Atlantis"), 3, "province: unknown province 'Atlantis'"),
        (GOOD.replace("Fieldlab", ""), 3, "type is empty"),
        (GOOD.replace("Fieldlab", "Hackerspace"), 3, "type: unknown community type 'Hackerspace'"),
        (GOOD.replace("Energie,", "Ruimtevaart,"), 3, "topsectors: unknown topsector 'Ruimtevaart'"),
        (GOOD.replace("Energietransitie", "Onderwijs"), 3, "societal_challenge: unknown societal challenge"),
        (GOOD.replace("2019", "twenty"), 3, "start_year 'twenty' is not a four-digit year"),
        (GOOD.replace("https://example.org/a; https://example.org/b", ""), 3, "source_url is empty"),
        (GOOD.replace("https://example.org/a", "not a url"), 3, "source_url 'not a url' is not an http(s) IRI"),
        (GOOD.replace(",,Delft", ",,Delft,extra"), 3, "more cells than the 11 columns"),
    ],
)
def test_a_bad_cell_names_the_file_line_and_rule(tmp_path, lookup, row, line, message):
    path = write(tmp_path, HEADER + GOOD.replace("Test Lab", "Other Lab") + row)
    with pytest.raises(SourceError) as err:
        map_csv(path, lookup)
    assert (err.value.path, err.value.line) == (path, line)
    assert message in str(err.value)


def test_two_rows_with_the_same_name_are_refused(tmp_path, lookup):
    with pytest.raises(SourceError, match=r"lc.csv:3: name 'Test Lab' gives the same key as line 2"):
        map_csv(write(tmp_path, HEADER + GOOD + GOOD), lookup)


def test_a_renamed_column_is_reported_against_the_closest_table(tmp_path, lookup):
    path = write(tmp_path, HEADER.replace("province", "provincie") + GOOD)
    with pytest.raises(SourceError, match="closest is 'learning_communities' .missing column.s. province; unknown column.s. provincie"):
        map_csv(path, lookup)


def test_a_file_that_is_not_utf8_names_its_line(tmp_path, lookup):
    path = write(tmp_path, HEADER + GOOD + GOOD.replace("Test Lab", "Fryslân Lab"), encoding="latin-1")
    with pytest.raises(SourceError) as err:
        map_csv(path, lookup)
    assert err.value.line == 3 and "not UTF-8" in str(err.value)


def test_an_empty_file_is_an_error(tmp_path, lookup):
    with pytest.raises(SourceError, match="empty file"):
        map_csv(write(tmp_path, ""), lookup)


def test_a_quoted_multiline_cell_keeps_the_line_numbers_of_later_rows(tmp_path):
    text = HEADER + GOOD.replace("Test Lab", '"Two\nLines"') + GOOD
    _, rows = read_rows(write(tmp_path, text))
    assert [r.line for r in rows] == [2, 4]


def test_two_spellings_of_one_organisation_give_one_preferred_label(tmp_path, lookup):
    # A made-up name (the real Lentiz case is now reconciled in organisations.csv).
    rows = GOOD.replace(",,,Delft", ",Voorbeeld Onderwijsgroep,,Delft") + \
        GOOD.replace("Test Lab", "Second Lab").replace(",,,Delft", ",Voorbeeld onderwijsgroep,,Delft")
    _, g = map_csv(write(tmp_path, HEADER + rows), lookup)
    org = URIRef("https://w3id.org/hckg/id/organisation/voorbeeld-onderwijsgroep")

    assert list(g.objects(org, SKOS.prefLabel)) == [Literal("Voorbeeld Onderwijsgroep", lang="nl")]
    assert list(g.objects(org, SKOS.altLabel)) == [Literal("Voorbeeld onderwijsgroep", lang="nl")]


def test_the_optional_notes_column_becomes_an_editorial_note(tmp_path, lookup):
    """Issue 10: each reclassified community says in its notes why it got its type."""
    text = HEADER.replace("\n", ",notes\n") + GOOD.replace("\n", ",type Fieldlab: name says 'Lab'\n")
    _, g = map_csv(write(tmp_path, text), lookup)
    lab = URIRef("https://w3id.org/hckg/id/community/test-lab")
    assert set(g.objects(lab, SKOS.editorialNote)) == {Literal("type Fieldlab: name says 'Lab'", lang="en")}


def test_a_column_that_is_neither_required_nor_optional_is_still_refused(tmp_path, lookup):
    path = write(tmp_path, HEADER.replace("\n", ",remarks\n") + GOOD.replace("\n", ",x\n"))
    with pytest.raises(SourceError, match="closest is 'learning_communities' .unknown column.s. remarks"):
        map_csv(path, lookup)


@pytest.mark.parametrize(
    ("code", "cls"),
    [("Campus", "Campus"), ("PracticeCentre", "PracticeCentre"), ("RIF", "RegionalInvestmentFundProject"),
     ("ExpertiseCentre", "ExpertiseCentre"), ("InnovationHub", "InnovationHub"), ("LearningNetwork", "LearningNetwork"),
     ("Praktijkcentrum", "PracticeCentre"), ("Kenniscentrum", "ExpertiseCentre")],
)
def test_the_kinds_split_from_other_are_type_codes_of_the_table(tmp_path, lookup, code, cls):
    _, g = map_csv(write(tmp_path, HEADER + GOOD.replace("Fieldlab", code)), lookup)
    assert (URIRef("https://w3id.org/hckg/id/community/test-lab"), RDF.type, HCKG[cls]) in g


def test_no_two_organisations_share_a_name_or_abbreviation_once_case_and_accents_are_folded(store):
    """Issue 10: one institution, one IRI ("HAN" was three). The SHACL rule hs:Organisation-uniqueName
    checks exact names; this checks the folded form the lookup resolves CSV cells with."""
    rows = select(store, """
        PREFIX hckg: <https://w3id.org/hckg/def#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?o ?name WHERE { ?o a hckg:Organisation ; rdfs:label|skos:altLabel ?name }""")
    owners: dict[str, set[str]] = {}
    for row in rows:
        owners.setdefault(normalise(row["name"]), set()).add(row["o"])
    assert len(owners) > 250
    assert {name: iris for name, iris in owners.items() if len(iris) > 1} == {}


@pytest.mark.parametrize(
    ("name", "key"),
    [("HAN", "hogeschool-van-arnhem-en-nijmegen-han"), ("Hogeschool Arnhem Nijmegen", "hogeschool-van-arnhem-en-nijmegen-han"),
     ("NHTV Breda", "breda-university-of-applied-sciences-formerly-nhtv"), ("Arcus College", "vista-college-formerly-arcus-college"),
     ("ministerie van SZW", "min-szw"), ("LUMC", "leids-universitair-medisch-centrum")],
)
def test_a_community_cell_naming_a_reconciled_institution_links_to_its_one_iri(tmp_path, lookup, name, key):
    _, g = map_csv(write(tmp_path, HEADER + GOOD.replace("Fieldlab,,", f"Fieldlab,{name},")), lookup)
    lab = URIRef("https://w3id.org/hckg/id/community/test-lab")
    assert set(g.objects(lab, HCKG.leadInstitution)) == {URIRef(f"https://w3id.org/hckg/id/organisation/{key}")}


def test_a_co_led_community_links_each_lead_institution_and_no_organisation_named_by_the_whole_cell(tmp_path, lookup):
    _, g = map_csv(write(tmp_path, HEADER + GOOD.replace("Fieldlab,,", "Fieldlab,Saxion;Windesheim,")), lookup)
    lab = URIRef("https://w3id.org/hckg/id/community/test-lab")
    leads = set(g.objects(lab, HCKG.leadInstitution))
    assert len(leads) == 2
    assert all(";" not in str(label) for lead in leads for label in g.objects(lead, RDFS.label))


def test_no_organisation_of_the_real_data_is_named_by_a_list(store):
    rows = select(store, """
        PREFIX hckg: <https://w3id.org/hckg/def#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?o WHERE { ?o a hckg:Organisation ; rdfs:label ?name FILTER(REGEX(?name, ";[^ ]")) }""")
    assert rows == []


WIDE = HEADER.rstrip("\n") + ",description,description_nl,key_technologies,alt_names\n"


def test_descriptions_key_technologies_and_former_names_map_to_tagged_literals_and_links(tmp_path, lookup):
    row = GOOD.rstrip("\n") + (',Works on batteries.,Werkt aan batterijen.,Digitale technologieën;nanotechnologie,'
                               'Old Lab;Older Lab\n')
    _, g = map_csv(write(tmp_path, WIDE + row), lookup)
    lab = URIRef("https://w3id.org/hckg/id/community/test-lab")
    assert set(g.objects(lab, SCHEMA.description)) == {Literal("Works on batteries.", lang="en"),
                                                       Literal("Werkt aan batterijen.", lang="nl")}
    assert set(g.objects(lab, HCKG.keyTechnology)) == {
        URIRef("https://w3id.org/hckg/id/key-technology/digitale-technologieen"),
        URIRef("https://w3id.org/hckg/id/key-technology/nanotechnologie")}
    assert {str(o) for o in g.objects(lab, SKOS.altLabel)} == {"Old Lab", "Older Lab"}


def test_an_unknown_key_technology_names_the_line_and_the_valid_ones(tmp_path, lookup):
    row = GOOD.rstrip("\n") + ",,,Telepathy,\n"
    with pytest.raises(SourceError, match=r"lc\.csv:2: key_technologies: unknown key technology 'Telepathy'; known: .*nanotechnologie"):
        map_csv(write(tmp_path, WIDE + row), lookup)


BASES = "community,topsectors_basis,societal_challenge_basis,notes\n"


def test_the_basis_of_topsectors_and_challenges_maps_to_its_individual(tmp_path, community_lookup):
    text = BASES + "Automotive Centre of Expertise (ACE),stated,,\nCIV Water,judgement,derived,\n"
    _, g = map_csv(write(tmp_path, text, "community_bases.csv"), community_lookup)
    ace, water = (URIRef(f"https://w3id.org/hckg/id/community/{k}") for k in
                  ("automotive-centre-of-expertise-ace", "civ-water"))
    assert set(g.objects(ace, HCKG.topsectorBasis)) == {HCKG.BasisStated}
    assert list(g.objects(ace, HCKG.challengeBasis)) == []  # empty: not recorded
    assert (set(g.objects(water, HCKG.topsectorBasis)), set(g.objects(water, HCKG.challengeBasis))) == (
        {HCKG.BasisJudgement}, {HCKG.BasisDerived})


@pytest.mark.parametrize(
    ("row", "message"),
    [("CIV Water,guess,,", r"community_bases\.csv:2: topsectors_basis 'guess' is not one of stated, derived, judgement"),
     ("No Such Lab,stated,,", r"community_bases\.csv:2: community: unknown learning community 'No Such Lab'")],
)
def test_a_bad_basis_row_names_the_line_and_the_rule(tmp_path, community_lookup, row, message):
    with pytest.raises(SourceError, match=message):
        map_csv(write(tmp_path, BASES + row + "\n", "community_bases.csv"), community_lookup)


PEOPLE = "name,role,community,source_url\n"


@pytest.fixture(scope="module")
def community_lookup() -> Lookup:
    """Labels of everything the people table may refer to: the real data up to the communities."""
    found = Lookup()
    for source in discover(PROJECT_ROOT / "data", PROJECT_ROOT / "ontology"):
        if source.path.name not in ("people.csv", "community_bases.csv"):
            map_source(source, found)
    return found


def test_a_person_in_a_role_becomes_a_membership_of_the_community(tmp_path, community_lookup):
    path = write(tmp_path, PEOPLE + "A. de Vries,lector,RDM Centre of Expertise,https://example.org/p\n", "people.csv")
    _, g = map_csv(path, community_lookup)
    person = URIRef("https://w3id.org/hckg/id/person/a-de-vries")
    membership = URIRef("https://w3id.org/hckg/id/membership/rdm-centre-of-expertise--a-de-vries--lector")
    assert (person, SCHEMA.name, Literal("A. de Vries")) in g
    assert (membership, ORG.member, person) in g
    assert (membership, ORG.organization, URIRef("https://w3id.org/hckg/id/community/rdm-centre-of-expertise")) in g
    assert (membership, ORG.role, URIRef("https://w3id.org/hckg/id/role/lector")) in g
    assert (membership, DCTERMS.source, URIRef("https://example.org/p")) in g


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A. de Vries,astronaut,RDM Centre of Expertise,https://example.org/p\n", "role 'astronaut' is not one of lector"),
        ("A. de Vries,lector,Nowhere Lab,https://example.org/p\n", "community: unknown learning community 'Nowhere Lab'"),
        ("A. de Vries,lector,RDM Centre of Expertise,\n", "source_url is empty"),
    ],
)
def test_a_bad_people_row_names_its_line_and_rule(tmp_path, community_lookup, row, message):
    with pytest.raises(SourceError, match=r"people\.csv:2: " + message):
        map_csv(write(tmp_path, PEOPLE + row, "people.csv"), community_lookup)


ACTIONS_OLD = "key,group,label_nl,trekker_topsectors,trekker_organisations,trekker_text,source,notes\n"
ACTIONS = ("key,group,label_nl,trekker_topsectors,trekker_organisations,trekker_text,impact_domains,"
           "impact_domains_section,start_year,start_year_section,source,notes\n")
ACTION = URIRef("https://w3id.org/hckg/id/action/pilot-x")


def test_an_actions_file_with_the_older_header_still_loads(tmp_path, lookup):
    path = write(tmp_path, ACTIONS_OLD + "pilot-x,kennis-ontwikkelen-verspreiden,Pilot X,energie,,Energie,roadmap-hc-2020-2023,\n",
                 "actions.csv")
    _, g = map_csv(path, lookup)
    assert (ACTION, HCKG.trekker, URIRef("https://w3id.org/hckg/id/topsector/energie")) in g
    assert not list(g.objects(ACTION, HCKG.servesImpactDomain)) and not list(g.subjects(RDF.type, RDF.Statement))


def test_an_actions_fact_is_asserted_and_reified_with_its_section(tmp_path, lookup):
    row = "pilot-x,kennis-ontwikkelen-verspreiden,Pilot X,energie,,Energie,veiligheid;regios,section 4,2021,section 3.2,roadmap-hc-2020-2023,\n"
    _, g = map_csv(write(tmp_path, ACTIONS + row, "actions.csv"), lookup)
    domains = {URIRef("https://w3id.org/hckg/id/challenge/veiligheid"), URIRef("https://w3id.org/hckg/id/impact-domain/regios")}
    assert set(g.objects(ACTION, HCKG.servesImpactDomain)) == domains
    assert (ACTION, SCHEMA.startDate, Literal("2021", datatype=XSD.gYear)) in g
    statements = {(g.value(s, RDF.predicate), g.value(s, RDF.object), str(g.value(s, HCKG.sourceSection)))
                  for s in g.subjects(RDF.type, RDF.Statement) if g.value(s, RDF.subject) == ACTION}
    assert statements == {(HCKG.servesImpactDomain, d, "section 4") for d in domains} | {
        (SCHEMA.startDate, Literal("2021", datatype=XSD.gYear), "section 3.2")}
    fact = URIRef("https://w3id.org/hckg/id/fact/action-pilot-x-startdate-2021-section-3-2")
    assert (fact, DCTERMS.source, URIRef("https://w3id.org/hckg/id/document/roadmap-hc-2020-2023")) in g


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("veiligheid,,,", "impact_domains_section is empty"),
        (",section 4,,", "impact_domains_section names a section, but its fact column is empty"),
        ("nergens,section 4,,", "impact_domains: unknown impact-domain key 'nergens'"),
        ("veiligheid,hoofdstuk 4,,", "impact_domains_section 'hoofdstuk 4' is not 'section"),
        (",,twintig,section 3.2", "start_year 'twintig' is not one four-digit year"),
        (",,2020,", "start_year_section is empty"),
    ],
)
def test_a_bad_actions_fact_cell_names_its_line_and_rule(tmp_path, lookup, cells, message):
    row = f"pilot-x,kennis-ontwikkelen-verspreiden,Pilot X,energie,,Energie,{cells},roadmap-hc-2020-2023,\n"
    with pytest.raises(SourceError, match=r"actions\.csv:2: " + message):
        map_csv(write(tmp_path, ACTIONS + row, "actions.csv"), lookup)


def test_a_partner_whose_slug_is_a_known_organisation_key_is_that_organisation(tmp_path, lookup):
    # "CA-ICT" is not a label of organisation/ca-ict ("Stichting CA-ICT ..."), but its slug is the key.
    row = GOOD.replace("Test Lab,Fieldlab,,", "Test Lab,Fieldlab,,CA-ICT")
    _, g = map_csv(write(tmp_path, HEADER + row), lookup)
    ca_ict = URIRef("https://w3id.org/hckg/id/organisation/ca-ict")
    assert (URIRef("https://w3id.org/hckg/id/community/test-lab"), HCKG.partner, ca_ict) in g
    assert (ca_ict, SKOS.altLabel, Literal("CA-ICT", lang="nl")) in g
    assert (ca_ict, SKOS.prefLabel, None) not in g
