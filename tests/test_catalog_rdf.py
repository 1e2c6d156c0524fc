"""The catalogue as linked data: every saved query and parameter, loadable and queryable."""

from __future__ import annotations

import rdflib
from rdflib.namespace import RDF, SH
from typer.testing import CliRunner

from hckg.queries.catalog import load_catalog
from hckg.queries.catalog_rdf import catalog_graph
from hckg.cli.app import app
from hckg.config import Settings

Q = "https://w3id.org/hckg/query/"


def test_every_saved_query_is_an_executable_with_its_text():
    catalog = load_catalog(Settings().queries_dir)
    g = catalog_graph(catalog)
    executables = set(g.subjects(RDF.type, SH.SPARQLExecutable))
    assert executables == {rdflib.URIRef(Q + name) for name in catalog}
    headline = rdflib.URIRef(Q + "regions-lacking-community")
    assert str(g.value(headline, SH.select)) == catalog["regions-lacking-community"].sparql


def test_parameters_carry_name_optionality_default_and_allowed_values():
    g = catalog_graph(load_catalog(Settings().queries_dir))
    rows = g.query("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?name ?optional ?default (COUNT(?member) AS ?allowed) WHERE {
          <https://w3id.org/hckg/query/regions-lacking-community> sh:parameter ?p .
          ?p sh:name ?name ; sh:optional ?optional .
          OPTIONAL { ?p sh:defaultValue ?default }
          OPTIONAL { ?p sh:in/rdf:rest*/rdf:first ?member }
        } GROUP BY ?name ?optional ?default ORDER BY ?name""")
    assert [(str(n), o.toPython(), None if d is None else str(d), int(a)) for n, o, d, a in rows] == [
        ("challenge", False, None, 5),
        ("involved", True, "false", 2),
        ("type", True, "https://w3id.org/hckg/def#CentreOfExpertise", 15),  # 14 community types and LearningCommunity
    ]


def test_the_cli_prints_the_catalogue_as_turtle_that_parses_back():
    result = CliRunner().invoke(app, ["queries", "--format", "ttl"])
    assert result.exit_code == 0, result.output
    g = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert (rdflib.URIRef(Q + "regions-lacking-community"), RDF.type, SH.SPARQLSelectExecutable) in g
    assert "@prefix schema: <http://schema.org/>" in result.stdout
