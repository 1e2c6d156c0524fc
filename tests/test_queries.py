"""The headline saved query and the binding of parameters as RDF terms."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hckg.catalog import get_query
from hckg.errors import BadParameter, UnknownQuery
from hckg.formats import json_rows
from hckg.queries import bind, run_saved, substitute

ALL_PROVINCES = [
    "Drenthe", "Flevoland", "Fryslân", "Gelderland", "Groningen", "Limburg",
    "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland",
]

# Derived by hand from data/learning_communities.csv and the roadmap's challenges table
# (data/roadmap/impact_domains.csv): a province is listed when no row of that type with that
# province names the challenge or has a topsector that leads it.
HEADLINE = [
    ("Energietransitie & Duurzaamheid", "CoE", "false",
     ["Drenthe", "Flevoland", "Fryslân", "Limburg", "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht", "Zeeland"]),
    ("Gezondheid & Zorg", "CoE", "false",
     ["Drenthe", "Flevoland", "Fryslân", "Gelderland", "Noord-Brabant", "Overijssel", "Utrecht", "Zeeland"]),
    # Every CoE led by Agri & Food or T&U is national (no province): all twelve lack one.
    ("Landbouw, Water & Voedsel", "CoE", "false", ALL_PROVINCES),
    ("Energietransitie & Duurzaamheid", "CIV", "false", ALL_PROVINCES),
    ("Gezondheid & Zorg", "CIV", "false",
     [p for p in ALL_PROVINCES if p not in ("Limburg",)]),
    ("Landbouw, Water & Voedsel", "CIV", "false", ALL_PROVINCES),
    # With involved topsectors the net widens: CoEs of Chemie, HTSM, ICT ... now count for E&D.
    ("Energietransitie & Duurzaamheid", "CoE", "true", ["Drenthe", "Flevoland", "Zeeland"]),
    ("Veiligheid", "CIV", "false",
     ["Drenthe", "Flevoland", "Fryslân", "Groningen", "Noord-Holland", "Utrecht", "Zeeland", "Zuid-Holland"]),
]


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
        ({"challenge": ["Onderwijs"]}, "challenge", "valid values: Energietransitie & Duurzaamheid"),
        ({"challenge": ["Veiligheid"], "type": ["Hackerspace"]}, "type", "valid values: CoE"),
        ({}, "challenge", "required parameter is missing"),
        ({"challenge": ["Veiligheid"], "involved": ["maybe"]}, "involved", "not one of true, false"),
        ({"challenge": ["Veiligheid"], "colour": ["red"]}, "colour", "no such parameter"),
        ({"challenge": ["Veiligheid", "Gezondheid & Zorg"]}, "challenge", "more than once"),
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
