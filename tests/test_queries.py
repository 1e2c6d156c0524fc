"""The headline saved query and the binding of parameters as RDF terms."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from rdflib.plugins.sparql import prepareQuery

from hckg.queries.catalog import get_query, load_catalog, load_query
from hckg.config import Settings
from hckg.errors import BadParameter, UnknownQuery
from hckg.formats import json_rows
from hckg.queries.running import NotPlaceable, bind, enumerate_values, insert_values, is_switch, run_saved, substitute
from register import provinces_lacking
from test_catalog_answers import MemoryStore

ALL_PROVINCES = [
    "Drenthe", "Flevoland", "Fryslân", "Gelderland", "Groningen", "Limburg",
    "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland",
]

# The expected provinces come from tests/register.py: plain Python over data/learning_communities.csv
# and the roadmap's challenges table (data/roadmap/impact_domains.csv), no RDF: a province is listed
# when no row of that type with that province names the challenge or has a topsector that leads it
# (or, with involved, is involved in it).
HEADLINE = [
    (challenge, type_, involved, provinces_lacking(challenge, [type_], involved == "true"))
    for challenge, type_, involved in [
        ("Energietransitie & Duurzaamheid", "CoE", "false"),
        ("Gezondheid & Zorg", "CoE", "false"),
        ("Landbouw, Water & Voedsel", "CoE", "false"),
        ("Energietransitie & Duurzaamheid", "CIV", "false"),
        ("Gezondheid & Zorg", "CIV", "false"),
        ("Landbouw, Water & Voedsel", "CIV", "false"),
        ("Energietransitie & Duurzaamheid", "CoE", "true"),
        ("Veiligheid", "CIV", "false"),
    ]
]


def test_the_oracle_gives_answers_that_differ_between_cases():
    """Guards the oracle itself: an oracle answering everything the same would make the cases vacuous."""
    assert len({tuple(expected) for *_, expected in HEADLINE}) >= 4
    assert any(0 < len(expected) < 12 for *_, expected in HEADLINE)


def regions(store, **params: str) -> list[str]:
    answer = run_saved(store, _queries(), "regions-lacking-community", {k: [v] for k, v in params.items()})
    return [row["regionLabel"] for row in json_rows(answer)]


def _queries():
    from hckg.config import Settings

    return Settings().queries_dir


@pytest.mark.parametrize(("challenge", "type_", "involved", "expected"), HEADLINE)
def test_headline_lists_the_provinces_without_a_serving_community(store, challenge, type_, involved, expected):
    assert regions(store, challenge=challenge, type=type_, involved=involved) == expected


@pytest.mark.parametrize(
    "spelling",
    ["Gezondheid & Zorg", "Gezondheid en Zorg", "health and care", "GEZONDHEID & ZORG", "Health & Care",
     "https://w3id.org/hckg/id/challenge/gezondheid-zorg"],
)
def test_a_challenge_can_be_named_by_any_of_its_labels_or_its_iri(store, spelling):
    assert regions(store, challenge=spelling, type="CoE") == HEADLINE[1][3]


def test_type_defaults_to_centre_of_expertise(store):
    assert regions(store, challenge="Gezondheid & Zorg") == HEADLINE[1][3]


def test_a_type_can_be_given_as_its_class_iri(store):
    assert regions(store, challenge="Gezondheid & Zorg", type="https://w3id.org/hckg/def#CentreOfExpertise") == HEADLINE[1][3]


def test_rows_carry_the_province_iri_by_cbs_code(store):
    answer = run_saved(store, _queries(), "regions-lacking-community", {"challenge": ["Veiligheid"], "type": ["CIV"]})
    rows = json_rows(answer)
    assert rows[0] == {"region": "https://w3id.org/hckg/id/province/PV22", "regionLabel": "Drenthe"}


@pytest.mark.parametrize(
    ("params", "name", "rule"),
    [
        ({"challenge": ["Onderwijs"]}, "challenge",
         "Energietransitie & Duurzaamheid (https://w3id.org/hckg/id/challenge/energietransitie-duurzaamheid)"),
        ({"challenge": ["Veiligheid"], "type": ["Hackerspace"]}, "type", "CoE (https://w3id.org/hckg/def#CentreOfExpertise)"),
        ({}, "challenge", "required parameter is missing"),
        ({"challenge": ["Veiligheid"], "involved": ["maybe"]}, "involved", "not one of true, false"),
        ({"challenge": ["Veiligheid"], "colour": ["red"]}, "colour", "no such parameter"),
        ({"challenge": ["Veiligheid"], "involved": ["true", "false"]}, "involved", "a switch and takes one value"),
        ({"challenge": ["Veiligheid", "Onderwijs"]}, "challenge", "unknown value"),
        ({"challenge": ['Veiligheid" } ; DROP ALL ; #']}, "challenge", "unknown value"),
        ({"challenge": ["Veiligheid\x00"]}, "challenge", "NUL"),
    ],
)
def test_bad_parameters_give_an_error_naming_the_parameter_and_rule(store, params, name, rule):
    with pytest.raises(BadParameter) as err:
        run_saved(store, _queries(), "regions-lacking-community", params)
    assert err.value.name == name
    assert rule in str(err.value)


def test_an_unknown_query_name_lists_the_known_ones(store):
    with pytest.raises(UnknownQuery, match="regions-lacking-community"):
        run_saved(store, _queries(), "../etc/passwd", {})


def test_the_bound_query_contains_terms_not_user_text(store):
    bound = bind(store, get_query(_queries(), "regions-lacking-community"), {"challenge": ["health and care"]})
    assert "<https://w3id.org/hckg/id/challenge/gezondheid-zorg>" in bound.sparql
    assert "health and care" not in bound.sparql
    assert "?_challenge_iri" not in bound.sparql


def test_substitution_leaves_strings_comments_and_iris_alone():
    sparql = 'SELECT * WHERE { ?s ?p "?_x" . # ?_x\n ?s <http://e/?_x> ?_x }'
    out = substitute(sparql, {"_x": ox.Literal('a "quoted" value')})
    assert out == 'SELECT * WHERE { ?s ?p "?_x" . # ?_x\n ?s <http://e/?_x> "a \\"quoted\\" value" }'


# --- several values: "any of these values", a VALUES block in every group using the variable ---

TYPES = ["CoE", "CIV", "Fieldlab", "Skillslab", "LivingLab", "Lectoraat", "Practoraat", "Other", "Campus",
         "PracticeCentre", "RIF", "ExpertiseCentre", "InnovationHub", "LearningNetwork"]


def _intersection(answers: list[list[str]]) -> list[str]:
    return [p for p in answers[0] if all(p in a for a in answers[1:])]


@pytest.mark.parametrize(
    ("challenges", "types"),
    [
        (["Veiligheid"], ["CoE", "CIV"]),
        (["Gezondheid & Zorg"], ["CoE", "LivingLab", "Lectoraat"]),
        (["Veiligheid", "Landbouw, Water & Voedsel"], ["Other"]),
        (["Veiligheid", "Circulaire Economie"], ["CoE", "Fieldlab"]),
        (["Veiligheid"], TYPES),
    ],
)
def test_several_values_give_the_intersection_of_the_single_value_answers(store, challenges, types):
    singles = [regions(store, challenge=c, type=t) for c in challenges for t in types]
    combined = run_saved(store, _queries(), "regions-lacking-community", {"challenge": challenges, "type": types})
    assert [row["regionLabel"] for row in json_rows(combined)] == _intersection(singles)


def test_the_headline_with_coe_and_civ_lists_the_provinces_having_neither(store):
    # Not a restatement of one single-value answer: each of those has more provinces.
    both = run_saved(store, _queries(), "regions-lacking-community", {"challenge": ["Veiligheid"], "type": ["CoE", "CIV"]})
    expected = provinces_lacking("Veiligheid", ["CoE", "CIV"])
    assert [row["regionLabel"] for row in json_rows(both)] == expected
    singles = [regions(store, challenge="Veiligheid", type=t) for t in ("CoE", "CIV")]
    assert all(len(single) > len(expected) for single in singles)


def test_every_type_together_means_the_same_as_learning_community(store):
    every = run_saved(store, _queries(), "regions-lacking-community", {"challenge": ["Veiligheid"], "type": TYPES})
    assert [row["regionLabel"] for row in json_rows(every)] == regions(store, challenge="Veiligheid", type="Learning community")


def test_several_values_become_a_values_block_of_terms(store):
    bound = bind(store, get_query(_queries(), "regions-lacking-community"),
                 {"challenge": ["health and care"], "type": ["CoE", "civ"]})
    assert bound.values == {"_type_iri": (ox.NamedNode(HCKG + "CentreOfExpertise"), ox.NamedNode(HCKG + "CentrumInnovatiefVakmanschap"))}
    assert bound.sparql.count(f"VALUES ?_type_iri {{ <{HCKG}CentreOfExpertise> <{HCKG}CentrumInnovatiefVakmanschap> }}") == 1
    assert "civ" not in bound.sparql and "?_challenge_iri" not in bound.sparql


def test_the_same_value_twice_is_one_value(store):
    bound = bind(store, get_query(_queries(), "regions-lacking-community"),
                 {"challenge": ["Veiligheid", "veiligheid", "https://w3id.org/hckg/id/challenge/veiligheid"]})
    assert bound.values == {} and "VALUES ?_challenge_iri" not in bound.sparql


def test_several_resources_describe_each_of_them(store):
    def triples(*iris: str) -> set[str]:
        answer = run_saved(store, _queries(), "describe-resource", {"resource": list(iris)})
        return {str(t) for t in answer}

    utrecht, zeeland = (f"https://w3id.org/hckg/id/province/PV{n}" for n in (26, 29))
    assert triples(utrecht, zeeland) == triples(utrecht) | triples(zeeland)
    assert triples(utrecht) - triples(zeeland)


HCKG = "https://w3id.org/hckg/def#"
TWO = [ox.NamedNode("https://e.org/a"), ox.Literal('b "}" {')]


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        # Every group that directly holds the variable gets the block, nested ones and MINUS subqueries too.
        ("SELECT * WHERE { ?s ?p ?_x . { ?s ?q ?o } MINUS { SELECT ?s WHERE { ?s a ?_x } } }",
         'SELECT * WHERE { VALUES ?_x { <https://e.org/a> "b \\"}\\" {" } ?s ?p ?_x . { ?s ?q ?o } '
         'MINUS { SELECT ?s WHERE { VALUES ?_x { <https://e.org/a> "b \\"}\\" {" } ?s a ?_x } } }'),
        # Braces and the variable's name inside strings, IRIs and comments are not counted.
        ('SELECT * WHERE { ?s ?p "{ ?_x }" . # } ?_x {\n ?s <https://e.org/?_x> "}" . { ?s ?q ?_x } }',
         'SELECT * WHERE { ?s ?p "{ ?_x }" . # } ?_x {\n ?s <https://e.org/?_x> "}" . '
         '{ VALUES ?_x { <https://e.org/a> "b \\"}\\" {" } ?s ?q ?_x } }'),
        # A VALUES data block is no group; UNION branches each get their own block.
        ("SELECT * WHERE { VALUES ?k { 1 2 } { ?s ?p ?_x } UNION { ?_x ?p ?s } }",
         'SELECT * WHERE { VALUES ?k { 1 2 } { VALUES ?_x { <https://e.org/a> "b \\"}\\" {" } ?s ?p ?_x } '
         'UNION { VALUES ?_x { <https://e.org/a> "b \\"}\\" {" } ?_x ?p ?s } }'),
        # The CONSTRUCT template keeps the variable: the WHERE clause binds it.
        ("CONSTRUCT { ?_x ?p ?o } WHERE { ?_x ?p ?o }",
         'CONSTRUCT { ?_x ?p ?o } WHERE { VALUES ?_x { <https://e.org/a> "b \\"}\\" {" } ?_x ?p ?o }'),
    ],
)
def test_a_values_block_goes_into_every_group_using_the_variable(sparql, expected):
    out = insert_values(sparql, {"_x": TWO})
    assert out == expected
    prepareQuery(out)


@pytest.mark.parametrize(
    ("sparql", "reason"),
    [
        ("SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { ?s a ?_x } }", "inside EXISTS or NOT EXISTS"),
        ("SELECT * WHERE { ?s ?p ?o BIND(EXISTS { ?s a ?_x } AS ?b) }", "inside EXISTS or NOT EXISTS"),
        ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { { ?s a ?_x } } }", "inside EXISTS or NOT EXISTS"),
        ("SELECT * WHERE { { SELECT (?_x AS ?y) WHERE { ?s ?p ?o } } }", "a subquery's SELECT"),
        ("SELECT ?_x WHERE { ?s ?p ?o }", "outside any group pattern"),
        ("CONSTRUCT { ?_x ?p ?o } WHERE { ?s ?p ?o }", "no graph pattern of the query uses it"),
    ],
)
def test_a_variable_no_values_block_can_reach_is_refused(sparql, reason):
    with pytest.raises(NotPlaceable) as err:
        insert_values(sparql, {"_x": TWO})
    assert err.value.variable == "_x" and reason in err.value.reason


def test_several_values_for_a_parameter_inside_not_exists_name_the_parameter(store, tmp_path):
    path = tmp_path / "gap.rq"
    path.write_text("#+ summary: x\nSELECT ?p WHERE { ?p a ?k FILTER NOT EXISTS { ?c ?q ?p ; a ?_kind_iri } }\n")
    with pytest.raises(BadParameter) as err:
        bind(store, load_query(path), {"kind": ["https://e.org/a", "https://e.org/b"]})
    assert err.value.name == "kind" and "cannot take several values" in err.value.rule


@pytest.mark.parametrize(
    ("query", "param"),
    [(q.name, p.name) for q in load_catalog(Settings().queries_dir).values() for p in q.parameters if not is_switch(p)],
)
def test_every_catalogue_parameter_but_a_switch_can_take_several_values(query, param):
    saved = load_catalog(Settings().queries_dir)[query]
    variable = saved.parameter(param).variable
    prepareQuery(insert_values(saved.sparql, {variable: TWO}))


# --- enumerated values come from the data ---

ENUMERATED = [(q.name, p.name) for q in load_catalog(Settings().queries_dir).values() for p in q.parameters
              if p.enum and p.kind == "iri"]


@pytest.mark.parametrize(("query", "param"), ENUMERATED)
def test_the_list_grlc_shows_is_what_the_data_gives(store, query, param):
    # grlc cannot compute these lists (see hckg.queries.running), so the files keep them: a drift fails here.
    p = load_catalog(Settings().queries_dir)[query].parameter(param)
    assert p.values_query is not None
    assert sorted(term.value for term, _ in enumerate_values(store, p)) == sorted(p.enum)


def test_types_are_offered_with_their_notation_sorted_by_label(store):
    p = get_query(_queries(), "regions-lacking-community").parameter("type")
    assert [(t.value.removeprefix(HCKG), label) for t, label in enumerate_values(store, p)] == [
        ("Campus", "Campus"), ("CentrumInnovatiefVakmanschap", "CIV"), ("CentreOfExpertise", "CoE"),
        ("ExpertiseCentre", "ExpertiseCentre"), ("Fieldlab", "Fieldlab"), ("InnovationHub", "InnovationHub"),
        ("LearningCommunity", "Learning community"), ("LearningNetwork", "LearningNetwork"),
        ("Lectoraat", "Lectoraat"), ("LivingLab", "LivingLab"), ("OtherLearningCommunity", "Other"),
        ("PracticeCentre", "PracticeCentre"), ("Practoraat", "Practoraat"),
        ("RegionalInvestmentFundProject", "RIF"), ("Skillslab", "Skillslab"),
    ]


def test_a_switch_offers_its_listed_values(store):
    p = get_query(_queries(), "regions-lacking-community").parameter("involved")
    assert is_switch(p)
    assert enumerate_values(store, p) == [(ox.Literal("true"), "true"), (ox.Literal("false"), "false")]


def test_a_challenge_only_the_data_knows_is_valid_and_one_it_lacks_is_not():
    store = MemoryStore("""
        @prefix hckg: <https://w3id.org/hckg/def#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://e.org/challenge/onderwijs> a hckg:SocietalChallenge ; rdfs:label "Onderwijs"@nl .
        hckg:CentreOfExpertise rdfs:subClassOf hckg:LearningCommunity .
    """)
    query = get_query(_queries(), "regions-lacking-community")
    bound = bind(store, query, {"challenge": ["onderwijs"]})
    assert bound.terms["_challenge_iri"] == ox.NamedNode("https://e.org/challenge/onderwijs")
    with pytest.raises(BadParameter, match="valid values: Onderwijs"):
        bind(store, query, {"challenge": ["Veiligheid"]})


def test_internal_queries_come_from_the_configured_queries_folder(monkeypatch, tmp_path):
    """Issue 21: the internal queries ignored HCKG_QUERIES (their folder was computed from __file__)."""
    from hckg.queries.running import internal

    monkeypatch.setenv("HCKG_QUERIES", str(tmp_path))
    assert internal("class-counts.rq") == tmp_path / "internal" / "class-counts.rq"


def test_label_search_says_where_its_best_match_was_found(store):
    # "healthy" is in names and in descriptions: a row scored by a name says "label", one found only
    # in a text says where; the best matches come first.
    rows = json_rows(run_saved(store, _queries(), "label-search", {"text": ["healthy"]}))
    assert {r["matchedIn"] for r in rows if int(r["score"]) > 1} == {"label"}
    assert {r["matchedIn"] for r in rows if int(r["score"]) == 1} <= {"description", "note"}
    assert any(int(r["score"]) == 1 for r in rows) and any(int(r["score"]) > 1 for r in rows)
    assert [int(r["score"]) for r in rows] == sorted((int(r["score"]) for r in rows), reverse=True)


ORG = "https://w3id.org/hckg/id/organisation/"


def _communities_of(store, organisation: str) -> set[str]:
    query = get_query(Settings().queries_dir, "communities-of-organisation")
    bound = bind(store, query, {"organisation": [organisation]})
    return {row["community"].value for row in store.query(bound.sparql)}


def test_an_organisation_can_be_named_by_its_label_or_its_iri(store):
    by_label = _communities_of(store, "Hanzehogeschool Groningen")
    assert by_label and by_label == _communities_of(store, ORG + "hanzehogeschool-groningen")
    assert _communities_of(store, "hanzehogeschool  groningen") == by_label


def test_an_unknown_organisation_suggests_the_closest_labels(store):
    query = get_query(Settings().queries_dir, "communities-of-organisation")
    with pytest.raises(BadParameter) as refused:
        bind(store, query, {"organisation": ["Hanzehogeschol"]})
    message = str(refused.value)
    assert "unknown value; did you mean Hanzehogeschool Groningen" in message and "valid values" in message
    with pytest.raises(BadParameter, match="unknown value"):
        bind(store, query, {"organisation": [ORG + "no-such-organisation"]})


def test_a_valid_iri_binds_without_listing_every_value(store, monkeypatch):
    # Listing every community to test one IRI took 12.7 s at 1M triples (issue 16's bench-check).
    import hckg.queries.running as running

    def listed(*_args):
        raise AssertionError("listed every value")

    query = get_query(Settings().queries_dir, "communities-of-organisation")
    with monkeypatch.context() as patched:
        patched.setattr(running, "_enum_iris", listed)
        bound = bind(store, query, {"organisation": [ORG + "hanzehogeschool-groningen"]})
    assert bound.terms["_organisation_iri"] == ox.NamedNode(ORG + "hanzehogeschool-groningen")
    [community] = [r["community"].value for r in store.query(bound.sparql)][:1]
    partners = get_query(Settings().queries_dir, "partners-of-community")
    with pytest.raises(BadParameter, match="unknown value"):  # a real IRI, but not a community's
        bind(store, partners, {"community": [ORG + "hanzehogeschool-groningen"]})
    assert bind(store, partners, {"community": [community]}).terms["_community_iri"] == ox.NamedNode(community)


def test_a_community_parameter_takes_a_community_label(store):
    query = get_query(Settings().queries_dir, "partners-of-community")
    [iri] = [r["community"].value for r in store.query(
        "SELECT ?community WHERE { ?community a <https://w3id.org/hckg/def#LearningCommunity> ; "
        "<http://www.w3.org/2004/02/skos/core#altLabel> ?alt FILTER(STR(?alt) = \"Duurzaam Ameland\") }")]
    for label in ("Duurzaam Ameland", "Ameland Living Lab (energietransitie eiland, EnTranCe)"):
        assert bind(store, query, {"community": [label]}).terms["_community_iri"] == ox.NamedNode(iri)


@pytest.mark.parametrize("name", ["organisation", "community", "province", "challenge", "type", "topsector",
                                  "keyTechnology"])
def test_labelled_parameter_classes_have_a_values_query(name):
    assert (Settings().queries_dir / "internal" / f"values-{name}.rq").is_file()
