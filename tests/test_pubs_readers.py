"""hckg.pubs.readers: each format read into the same records; a broken entry names file and key or line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hckg.errors import SourceError
from hckg.pubs.readers import read_file
from hckg.pubs.records import BadRecord, Record

from pubs_helpers import BAD, EVAL
# 0uuuuuu00 can belong to no organisation: ROR's Crockford base32 has no letter u.
BIB = """% SYNTHETIC test record
@techreport{demo2021,
  title = {Synthetic {Report} on <i>Learning</i> Communities},
  author = {Testperson, Anna and Voorbeeld, Bob},
  year = {2021},
  doi = {https://doi.org/10.5555/HCKG-DEMO-1},
  institution = {Example Hogeschool},
  keywords = {fieldlab; skills},
  abstract = {An abstract.}
}
"""
RIS = """TY  - RPRT
ID  - demo2021
TI  - Synthetic Report on Learning Communities
AU  - Testperson, Anna
AU  - Voorbeeld, Bob
PY  - 2021
DO  - 10.5555/hckg-demo-1
KW  - fieldlab
KW  - skills
AB  - An abstract.
ER  - 
"""
CSL = [{"id": "demo2021", "type": "report", "title": "Synthetic Report on Learning Communities", "DOI": "10.5555/hckg-demo-1",
        "author": [{"family": "Testperson", "given": "Anna", "ORCID": "https://orcid.org/0000-0000-0000-000X"},
                   {"family": "Voorbeeld", "given": "Bob"}],
        "issued": {"date-parts": [[2021, 3]]}, "keyword": "fieldlab, skills", "abstract": "An abstract."}]
CROSSREF = {"message": {"items": [{"DOI": "10.5555/HCKG-DEMO-1", "type": "report", "title": ["Synthetic Report on Learning Communities"],
            "author": [{"family": "Testperson", "given": "Anna", "affiliation": [{"name": "Example Hogeschool",
                        "id": [{"id": "https://ror.org/0uuuuuu00", "id-type": "ROR"}]}]},
                       {"family": "Voorbeeld", "given": "Bob"}],
            "issued": {"date-parts": [[2021]]}, "subject": ["fieldlab", "skills"], "abstract": "<jats:p>An abstract.</jats:p>",
            "funder": [{"name": "Example Funder", "DOI": "10.13039/000000000", "award": ["EXAMPLE-1"]}]}]}}
OPENALEX = {"results": [{"id": "https://openalex.org/W0000000001", "doi": "https://doi.org/10.5555/hckg-demo-1", "type": "report",
             "title": "Synthetic Report on Learning Communities", "publication_year": 2021,
             "authorships": [{"author": {"display_name": "Anna Testperson", "orcid": "https://orcid.org/0000-0000-0000-000X"},
                              "institutions": [{"display_name": "Example Hogeschool", "ror": "https://ror.org/0uuuuuu00"}]},
                             {"author": {"display_name": "Bob Voorbeeld"}, "institutions": []}],
             "abstract_inverted_index": {"An": [0], "abstract.": [1]},
             "keywords": [{"display_name": "fieldlab"}, {"display_name": "skills"}],
             "grants": [{"funder_display_name": "Example Funder", "award_id": "EXAMPLE-1"}]}]}


@pytest.mark.parametrize(("suffix", "content"), [
    (".bib", BIB), (".ris", RIS), (".json", json.dumps(CSL)), (".json", json.dumps(CROSSREF)), (".json", json.dumps(OPENALEX)),
], ids=["bibtex", "ris", "csl-json", "crossref", "openalex"])
def test_every_format_gives_the_same_core_record(tmp_path: Path, suffix, content):
    path = tmp_path / f"demo{suffix}"
    path.write_text(content, encoding="utf-8")
    [record] = read_file(path)
    assert isinstance(record, Record)
    assert (record.title, record.year, record.doi, record.kind) == (
        "Synthetic Report on Learning Communities" if suffix != ".bib" else "Synthetic Report on Learning Communities",
        2021, "10.5555/hckg-demo-1", "report")
    assert [a.family for a in record.authors] == ["Testperson", "Voorbeeld"]
    assert record.abstract == "An abstract."
    assert set(record.keywords) == {"fieldlab", "skills"}


def test_crossref_and_openalex_keep_affiliations_rors_and_awards(tmp_path: Path):
    for name, doc in (("c.json", CROSSREF), ("o.json", OPENALEX)):
        path = tmp_path / name
        path.write_text(json.dumps(doc), encoding="utf-8")
        [record] = read_file(path)
        assert record.authors[0].affiliations == ("Example Hogeschool",)
        assert record.authors[0].rors == ("0uuuuuu00",)
        assert [f.awards for f in record.funding] == [("EXAMPLE-1",)]


@pytest.mark.parametrize(("name", "message"), [
    ("empty.bib", "empty.bib: empty file"),
    ("no-er.ris", "no-er.ris:1: RIS record has no ER tag"),
    ("not-json.json", "not-json.json:3: not JSON"),
])
def test_an_unreadable_file_is_refused_with_its_name_and_line(name, message):
    with pytest.raises((SourceError, BadRecord)) as err:
        read_file(BAD / name)
    assert message in str(err.value)


@pytest.mark.parametrize(("name", "good", "bad"), [
    ("unbalanced.bib", ["good2020"], "unbalanced.bib:8 entry 'broken2020': unbalanced braces"),
    ("duplicate-keys.bib", ["same2021"], "duplicate-keys.bib:8 entry 'same2021': duplicate entry key"),
    ("bad-doi.json", ["good-doi"], "bad-doi.json entry 'bad-doi': 'doi: see the website' is not a DOI"),
])
def test_a_bad_entry_is_named_and_the_good_ones_are_still_read(name, good, bad):
    entries = read_file(BAD / name)
    assert [e.key for e in entries if isinstance(e, Record)] == good
    assert [bad in str(e) for e in entries if isinstance(e, BadRecord)] == [True]


def test_titles_in_any_script_and_html_markup_read_cleanly():
    titles = [r.title for r in read_file(BAD / "scripts.bib")]
    assert titles == ["学习社区与职业教育的合成记录", "سجل اصطناعي عن مجتمعات التعلم", "Συνθετική εγγραφή για κοινότητες μάθησης"]
    [record] = read_file(BAD / "html-title.json")
    assert record.title == "Synthetic markup & entities in a title"
    assert record.abstract == "An abstract in JATS markup."


def test_the_evaluation_set_reads_without_a_bad_record():
    entries = read_file(EVAL / "eval-csl.json") + read_file(EVAL / "eval-crossref.json")
    assert len(entries) == 40 and all(isinstance(e, Record) for e in entries)
