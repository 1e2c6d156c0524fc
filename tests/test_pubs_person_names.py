"""hckg.pubs.person_names: safe author matching on hand-made (synthetic) names."""

import pytest

from hckg.pubs.person_names import PeopleIndex, parse, same_person


@pytest.mark.parametrize("written", ["Gerlinde van Vilsteren", "Vilsteren, G. van", "G. van Vilsteren", "van Vilsteren, Gerlinde",
                                     "Vilsteren, G.J. van", "Gerlinde Van Vilsteren", "dr. ir. G. van Vilsteren",
                                     "VILSTEREN, GJ van"])
def test_forms_of_one_name_match(written):
    assert same_person(parse(written), parse("Gerlinde van Vilsteren"))


@pytest.mark.parametrize("written", ["Vilsteren", "H. van Vilsteren", "Gerda van Vilsteren", "Gerlinde van Vliet",
                                     "van der Vilsteren-Smit, G."])
def test_other_people_and_bare_surnames_do_not(written):
    assert not same_person(parse(written), parse("Gerlinde van Vilsteren"))


def test_diacritics_and_tussenvoegsels_fold():
    assert same_person(parse("Josee Sombekke"), parse("Josée Sombekke"))
    assert parse("Jan-Willem van der Berg").surname == "berg"
    assert parse("Berg, J.W. van der").given == ("j", "w")
    assert same_person(parse("Berg, J.W. van der"), parse("Jan-Willem van der Berg"))


def test_index_returns_every_role_of_the_person():
    index = PeopleIndex([("Anke Arts", "A"), ("Anke Arts", "B"), ("Ton Vermeulen", "C"), ("Bart Arts", "D")])
    assert sorted(p for _, p in index.match("Arts, A.")) == ["A", "B"]
    assert index.match("Arts") == []
    assert [p for _, p in index.match("T. Vermeulen")] == ["C"]
