"""hckg.pubs.oai_dc: Dublin Core records of an OAI-PMH ListRecords answer, read from files (synthetic examples)."""

from pathlib import Path

import pytest

from hckg.pubs.oai_dc import read_oai_dc
from hckg.pubs.readers import read_file
from hckg.pubs.records import BadRecord, Record

SAMPLE = Path(__file__).parent / "pubs_oai_dc" / "listrecords-synthetic.xml"


def test_list_records_are_read_and_deleted_ones_skipped():
    entries = read_file(SAMPLE)
    assert [e.key for e in entries] == ["oai:repository.example.org:1", "oai:repository.example.org:3"]
    first, second = entries
    assert isinstance(first, Record)
    assert first.title == "Synthetic report on circular construction"
    assert [a.name for a in first.authors] == ["Jansen, A.B.", "Pieter de Vries"]
    assert first.year == 2023 and first.doi == "10.5555/hckg-oai-001" and first.kind == "report"
    assert first.publisher == "Hogeschool Voorbeeld" and first.url == "https://repository.example.org/record/1"
    assert first.venue == "Reeks Voorbeeld 12" and first.keywords == ("circular economy",)
    assert second.doi is None and second.kind == "thesis" and second.year == 2022


def test_doctype_is_refused_and_entities_never_expanded(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&lol2;</dc:title></oai_dc:dc>')
    with pytest.raises(BadRecord, match="DOCTYPE"):
        read_oai_dc(tmp_path / "bomb.xml", bomb)


def test_bad_xml_and_records_without_title_are_named(tmp_path):
    with pytest.raises(BadRecord, match="not well-formed XML"):
        read_oai_dc(tmp_path / "x.xml", "<OAI-PMH><unclosed></OAI-PMH>")
    with pytest.raises(BadRecord, match="no oai_dc record"):
        read_oai_dc(tmp_path / "x.xml", "<root/>")
    text = ('<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>A. B.</dc:creator></oai_dc:dc>')
    [bad] = read_oai_dc(tmp_path / "x.xml", text)
    assert isinstance(bad, BadRecord) and "no title" in str(bad) and "x.xml" in str(bad)


def test_import_goes_through_the_importer_dedupe_and_gate(pubs_settings, tmp_path):
    """The same work in an XML file and a BibTeX file (same DOI) is one publication with both sources."""
    from hckg.pubs.importer import import_files
    from hckg.store.oxigraph import open_store
    from helpers import select

    bib = tmp_path / "again.bib"
    bib.write_text("@techreport{again, title = {Synthetic report on circular construction}, author = {Jansen, A. B.},"
                   " year = {2023}, doi = {10.5555/hckg-oai-001}}\n", encoding="utf-8")
    report = import_files(pubs_settings, [SAMPLE, bib], synthetic=True)
    assert [(f.new, f.duplicates) for f in report.files] == [(2, 0), (0, 1)]
    rows = select(open_store(pubs_settings.store_path),
                  "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <http://schema.org/> "
                  "SELECT ?p (COUNT(DISTINCT ?g) AS ?n) ?pub ?url WHERE { GRAPH ?x { ?p dcterms:source ?g } GRAPH ?t { ?p a <https://w3id.org/hckg/def#Publication> } "
                  "OPTIONAL { GRAPH ?y { ?p dcterms:publisher ?pub } } OPTIONAL { GRAPH ?z { ?p schema:url ?url } } } GROUP BY ?p ?pub ?url")
    by_sources = sorted((int(r["n"]), r.get("pub", ""), r.get("url", "")) for r in rows)
    assert by_sources[-1] == (2, "Hogeschool Voorbeeld", "https://repository.example.org/record/1")
