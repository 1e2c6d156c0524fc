"""Saved-query files: grlc decorators, parameters from variable names, parseable everywhere."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib.plugins.sparql import prepareQuery

from hckg.queries.catalog import find_parameters, load_catalog, load_query, split_decorators
from hckg.config import Settings
from hckg.errors import QueryFileError

QUERIES = Settings().queries_dir
FILES = sorted(QUERIES.glob("*.rq")) + sorted((QUERIES / "internal").glob("*.rq"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_query_parses_in_rdflib_and_oxigraph(path):
    _, sparql = split_decorators(path.read_text(encoding="utf-8"))
    prepareQuery(sparql)
    ox.Store().query(sparql)  # an empty store: parse and plan, no rows


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_decorators_read_as_grlc_reads_them(path):
    # grlc: strip '#+ ' from the leading lines and load them as YAML.
    lines = [l[3:] for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("#+ ")]
    meta = yaml.safe_load("\n".join(lines))
    assert meta["summary"]
    for key in ("defaults", "enumerate"):
        assert all(isinstance(item, dict) and len(item) == 1 for item in meta.get(key) or [])


def test_the_headline_query_declares_its_parameters():
    query = load_query(QUERIES / "regions-lacking-community.rq")
    params = {p.name: (p.kind, p.required, p.default) for p in query.parameters}
    assert params == {
        "type": ("iri", False, "https://w3id.org/hckg/def#CentreOfExpertise"),
        "challenge": ("iri", True, None),
        "involved": ("literal", False, "false"),
    }
    assert query.form == "SELECT"
    assert len(query.parameter("challenge").enum) == 5


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        ("SELECT * { ?s ?p ?_name }", [("name", "_name", "literal", True)]),
        ("SELECT * { ?s ?p ?__name }", [("name", "__name", "literal", False)]),
        ("SELECT * { ?s ?p ?_leadSector_iri }", [("leadSector", "_leadSector_iri", "iri", True)]),
        ("SELECT * { ?s ?p ?_year_gYear }", [("year", "_year_gYear", "gYear", True)]),
        ("SELECT * { ?s ?p ?_label_en }", [("label", "_label_en", "lang:en", True)]),
        ('SELECT * { ?s ?p "?_notParam" # ?_notEither\n }', []),
    ],
)
def test_parameters_come_from_grlc_variable_names(sparql, expected):
    found = [(p.name, p.variable, p.kind, p.required) for p in find_parameters(sparql, {}, {})]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * { ?s ?p ?o }", "missing '#+ summary:'"),
        ("#+ summary: x\n#+ tags: [unclosed\nSELECT * { ?s ?p ?o }", "not valid YAML"),
        ("#+ summary: x\n#+ defaults: {a: 1}\nSELECT * { ?s ?p ?_a }", "list of one-key mappings"),
        ("#+ summary: x\n#+ defaults:\n#+   - b: 1\nSELECT * { ?s ?p ?_a }", "parameter 'b' that the query does not use"),
        ("#+ summary: x\nINSERT DATA { <a:a> <a:b> <a:c> }", "no SELECT, CONSTRUCT, ASK or DESCRIBE"),
    ],
)
def test_a_malformed_query_file_stops_loading_and_names_the_file(tmp_path: Path, text, message):
    path = tmp_path / "broken.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QueryFileError) as err:
        load_catalog(tmp_path)
    assert str(err.value).startswith(str(path)) and message in str(err.value)


def test_internal_queries_are_not_in_the_catalogue():
    assert "labels-of-resource" not in load_catalog(QUERIES)
    assert "regions-lacking-community" in load_catalog(QUERIES)
