"""hckg/ingest/rdfxml.py: RDF/XML declaring a DTD or entities is refused before parsing, quickly,
by validate, load and the parsers themselves, and the store stays byte for byte as it was."""

from __future__ import annotations

import codecs
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from hckg.cli.app import app
from hckg.errors import SourceError
from hckg.gate.write import load_file
from hckg.ingest.rdfxml import refuse_dtd
from hckg.ingest import sources
from hckg.ingest.sources import parse_rdf, scan_rdf
from bombs import LAUGHS
from store_bytes import store_bytes

runner = CliRunner()


EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:9/never-fetched.dtd">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>
"""

PLAIN = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="https://w3id.org/hckg/id/x"><rdfs:label>x</rdfs:label></rdf:Description>
</rdf:RDF>
"""


@pytest.fixture
def bomb(tmp_path: Path) -> Path:
    path = tmp_path / "laughs.rdf"
    path.write_text(LAUGHS, encoding="utf-8")
    return path


def test_the_bomb_is_refused_naming_file_line_and_rule(bomb):
    with pytest.raises(SourceError) as err:
        refuse_dtd(bomb, bomb.read_bytes())
    assert err.value.line == 2
    assert str(bomb) in str(err.value) and "DOCTYPE" in str(err.value) and "refused before parsing" in str(err.value)


@pytest.fixture
def no_parser(monkeypatch):
    """Make any RDF parser fail loudly: a bomb must be refused before a parser could expand it.

    (How fast that is belongs to bench/cli_startup.py, not to a timed unit test.)
    """
    def parser_called(*args, **kwargs):
        raise AssertionError("a parser was given the bomb")
    monkeypatch.setattr(rdflib.Graph, "parse", parser_called)
    monkeypatch.setattr(sources.ox, "parse", parser_called)


@pytest.mark.parametrize("parse", [parse_rdf, scan_rdf], ids=["rdflib", "oxigraph"])
def test_both_parsers_refuse_the_bomb_before_parsing(bomb, parse, no_parser):
    """scan_rdf (Oxigraph) takes no RDF/XML today (hckg.formats.OX_FORMATS); it refuses the bomb all the same."""
    with pytest.raises(SourceError, match="DOCTYPE"):
        parse(bomb)


def test_an_entity_declaration_without_doctype_and_an_external_dtd_are_refused(tmp_path):
    entity = tmp_path / "entity.owl"
    entity.write_text('<?xml version="1.0"?>\n<!-- c -->\n<!ENTITY x "y">\n<rdf:RDF/>\n', encoding="utf-8")
    with pytest.raises(SourceError, match="ENTITY declaration") as err:
        parse_rdf(entity)
    assert err.value.line == 3
    external = tmp_path / "external.rdf"
    external.write_text(EXTERNAL, encoding="utf-8")
    with pytest.raises(SourceError, match="DOCTYPE"):
        scan_rdf(external)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32"])
def test_a_wide_encoding_does_not_hide_the_doctype(tmp_path, codec):
    data = LAUGHS.encode(codec)
    if codec == "utf-16-le":
        assert not data.startswith(codecs.BOM_UTF16_LE)  # no byte-order mark: recognised by '<?'
    with pytest.raises(SourceError, match="DOCTYPE"):
        refuse_dtd(tmp_path / "wide.rdf", data)


def test_plain_rdfxml_still_parses(tmp_path):
    path = tmp_path / "plain.rdf"
    path.write_text(PLAIN, encoding="utf-8")
    assert len(parse_rdf(path)) == 1


def test_validate_refuses_the_bomb_with_exit_code_2(settings, store, bomb, no_parser):
    result = runner.invoke(app, ["validate", str(bomb)], env={"HCKG_STORE": str(settings.store_path)})
    assert result.exit_code == 2, result.output
    assert "DOCTYPE" in result.stderr


def test_load_refuses_the_bomb_and_the_store_is_byte_identical(private, bomb):
    before = store_bytes(private.store_path)
    with pytest.raises(SourceError, match="DOCTYPE"):
        load_file(private, bomb, "https://w3id.org/hckg/graph/loads/laughs")
    assert store_bytes(private.store_path) == before


@pytest.mark.slow  # a fresh interpreter: the whole CLI start-up
def test_the_cli_refuses_the_bomb_in_under_a_second_of_work(settings, store, bomb):
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "hckg.cli", "load", str(bomb)], capture_output=True, text=True,
                          env={"HCKG_STORE": str(settings.store_path), "PATH": ""}, timeout=60)
    assert done.returncode == 1, done.stderr  # load: 1 bad input (validate says 2, unreadable)
    assert "DOCTYPE" in done.stderr
    assert time.perf_counter() - started < 10  # start-up included; the refusal itself is milliseconds
