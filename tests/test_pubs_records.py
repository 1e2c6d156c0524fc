"""hckg.pubs.records: DOI, title and year normalisation, and the rules every record keeps."""

from __future__ import annotations

import pytest

from hckg.pubs.records import BadRecord, Record, checked, clean_text, normalise_doi, normalise_title, parse_year


@pytest.mark.parametrize(("raw", "doi"), [
    ("10.5555/ABC", "10.5555/abc"),
    ("https://doi.org/10.5555/abc", "10.5555/abc"),
    ("http://dx.doi.org/10.5555/Abc.1-2", "10.5555/abc.1-2"),
    ("doi:10.5555/x(1)", "10.5555/x(1)"),
    ("  DOI: 10.12345678/a/b ", "10.12345678/a/b"),
])
def test_a_doi_is_normalised_to_lower_case_without_a_resolver(raw, doi):
    assert normalise_doi(raw) == doi


@pytest.mark.parametrize("raw", ["", "10.5555", "11.5555/x", "10.55/x", "10.5555/a b", "https://example.org/10.5555/x", "see website"])
def test_what_is_not_a_doi_is_refused(raw):
    with pytest.raises(ValueError, match="is not a DOI"):
        normalise_doi(raw)


def test_html_and_braces_are_removed_from_text_and_entities_decoded():
    assert clean_text("<jats:p>Fish &amp; <i>chips</i></jats:p> {Twente}") == "Fish & chips Twente"


def test_titles_in_any_script_keep_their_letters_when_normalised():
    assert normalise_title("Συνθετική εγγραφή!") == "συνθετικηεγγραφη"
    assert normalise_title("سجل اصطناعي") == "سجلاصطناعي"
    assert normalise_title("A Study: of Things") == normalise_title("a study of things")


@pytest.mark.parametrize(("raw", "year"), [("2021", 2021), ("2021-05-03", 2021), ("[[1999, 4]]", 1999), (None, None), ("", None)])
def test_the_year_is_the_first_four_digit_number(raw, year):
    assert parse_year(raw) == year


@pytest.mark.parametrize(("changes", "rule"), [
    ({"title": ""}, "no title"),
    ({"year": 1850}, "outside 1900-2100"),
    ({"year": 2101}, "outside 1900-2100"),
    ({"kind": "poem"}, "type 'poem'"),
])
def test_a_record_that_breaks_a_rule_names_file_key_and_rule(changes, rule):
    record = Record("x.bib", "k1", 3, "A title", **{k: v for k, v in changes.items() if k != "title"})
    if "title" in changes:
        record.title = changes["title"]
    with pytest.raises(BadRecord) as err:
        checked(record)
    assert str(err.value).startswith("x.bib:3 entry 'k1': ") and rule in str(err.value)
