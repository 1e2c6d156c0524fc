"""The `hckg` command as users script it: formats, exit codes, messages on stderr."""

from __future__ import annotations

from register import communities, provinces_lacking

import csv
import io
import json

import pytest
import rdflib
from typer.testing import CliRunner

from hckg.cli.app import app

runner = CliRunner()


@pytest.fixture
def env(settings, store) -> dict[str, str]:
    """Environment pointing the CLI at the session's built store."""
    return {"HCKG_STORE": str(settings.store_path)}


def invoke(args: list[str], env: dict[str, str]):
    return runner.invoke(app, args, env=env)


def test_query_as_csv_writes_a_header_row_and_the_answer(env):
    result = invoke(["query", "regions-lacking-community", "--param", "challenge=Gezondheid & Zorg",
                     "--param", "type=CoE", "--format", "csv"], env)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["region", "regionLabel"]
    assert [r[1] for r in rows[1:]] == provinces_lacking("Gezondheid & Zorg", ["CoE"])


@pytest.mark.parametrize("fmt", ["json", "tsv", "xml", "table"])
def test_query_answers_in_every_result_format(env, fmt):
    result = invoke(["query", "regions-lacking-community", "-p", "challenge=Veiligheid", "-p", "type=CIV", "-f", fmt], env)
    assert result.exit_code == 0, result.output
    expected = provinces_lacking("Veiligheid", ["CIV"])
    assert expected and all(province in result.stdout for province in expected)
    if fmt == "json":
        assert len(json.loads(result.stdout)["results"]["bindings"]) == len(expected)


def test_a_bad_parameter_exits_1_with_the_reason_on_stderr(env):
    result = invoke(["query", "regions-lacking-community", "-p", "challenge=Onderwijs"], env)
    assert result.exit_code == 1
    assert "parameter 'challenge' = 'Onderwijs'" in result.stderr
    assert result.stdout == ""


def test_a_repeated_param_means_any_of_its_values(env):
    result = invoke(["query", "regions-lacking-community", "-p", "challenge=Veiligheid", "-p", "type=CoE",
                     "-p", "type=CIV", "-f", "csv"], env)
    assert result.exit_code == 0, result.output
    assert [r[1] for r in list(csv.reader(io.StringIO(result.stdout)))[1:]] == [
        "Drenthe", "Flevoland", "Fryslân", "Groningen", "Utrecht", "Zeeland"]


def test_a_repeated_switch_exits_1_naming_it(env):
    result = invoke(["query", "regions-lacking-community", "-p", "challenge=Veiligheid", "-p", "involved=true",
                     "-p", "involved=false"], env)
    assert result.exit_code == 1 and "parameter 'involved'" in result.stderr and "switch" in result.stderr


def test_a_malformed_param_option_is_a_usage_error(env):
    result = invoke(["query", "regions-lacking-community", "-p", "challenge"], env)
    assert result.exit_code == 2


def test_an_unknown_format_is_a_usage_error(env):
    result = invoke(["query", "regions-lacking-community", "-p", "challenge=Veiligheid", "-f", "xlsx"], env)
    assert result.exit_code == 2


def test_sparql_runs_text_and_reports_syntax_errors(env):
    ok = invoke(["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/hckg/def#Province> }", "-f", "csv"], env)
    assert ok.stdout.splitlines() == ["n", "12"]
    bad = invoke(["sparql", "SELECT * WHERE { ?s ?p }"], env)
    assert bad.exit_code == 1 and "SPARQL error" in bad.stderr


def test_sparql_reads_a_query_file(env, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK { <https://w3id.org/hckg/id/topsector/ict> ?p ?o }", encoding="utf-8")
    result = invoke(["sparql", str(path), "-f", "json"], env)
    assert json.loads(result.stdout)["boolean"] is True


def test_stats_reports_triples_graphs_and_classes(env, store):
    result = invoke(["stats"], env)
    assert result.exit_code == 0
    assert f"{sum(g.triples for g in store.graphs())} triples" in result.stdout
    assert "hckg:LearningCommunity" in result.stdout and str(len(communities())) in result.stdout


def test_queries_lists_the_headline_query_and_its_valid_values(env):
    listing = invoke(["queries"], env)
    assert "regions-lacking-community" in listing.stdout
    detail = invoke(["queries", "regions-lacking-community"], env)
    assert "Gezondheid & Zorg" in detail.stdout and "CoE" in detail.stdout
    lines = [" ".join(line.split()) for line in detail.stdout.splitlines()]
    assert "CoE https://w3id.org/hckg/def#CentreOfExpertise" in lines
    assert "Learning community https://w3id.org/hckg/def#LearningCommunity" in lines


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_writes_the_union_of_all_graphs(env, store, tmp_path, fmt, rdflib_format):
    out = tmp_path / f"dump.{fmt}"
    result = invoke(["export", "--format", fmt, "--out", str(out)], env)
    assert result.exit_code == 0, result.output
    distinct = int(store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
                   .__next__()["n"].value)
    assert len(rdflib.Graph().parse(out, format=rdflib_format)) == distinct


def test_export_as_nquads_keeps_every_quad(env, store):
    result = invoke(["export", "--format", "nq"], env)
    assert len(result.stdout.splitlines()) == sum(g.triples for g in store.graphs())


def test_commands_before_a_build_say_to_build_first(tmp_path):
    result = invoke(["stats"], {"HCKG_STORE": str(tmp_path / "nothing")})
    assert result.exit_code == 1 and "run `hckg build` first" in result.stderr


def test_build_with_a_broken_file_exits_1_naming_file_and_line(tmp_path, data_copy):
    (data_copy.data_dir / "provinces.csv").write_text("name_nl,cbs_code\nX,PV99\n", encoding="utf-8")
    result = invoke(["build"], {"HCKG_STORE": str(data_copy.store_path), "HCKG_DATA": str(data_copy.data_dir)})
    assert result.exit_code == 1
    assert "provinces.csv:1" in result.stderr and "missing column" in result.stderr


def test_the_headline_prints_its_caveat_on_stderr_for_csv_and_after_the_table(env):
    args = ["query", "regions-lacking-community", "-p", "challenge=Gezondheid & Zorg", "-p", "type=CoE"]
    as_csv = invoke(args + ["-f", "csv"], env)
    assert "Caveat: of the " in as_csv.stderr and "Caveat" not in as_csv.stdout
    as_table = invoke(args, env)
    assert as_table.stdout.rstrip().splitlines()[-1].startswith("Caveat: of the ")


def test_a_long_one_line_query_is_query_text_not_a_file_name(env):
    """A 300-character query used to crash in Path.is_file() (File name too long)."""
    text = ("SELECT (COUNT(DISTINCT ?province) AS ?n) WHERE { ?province a <https://w3id.org/hckg/def#Province> . "
            "OPTIONAL { ?province <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
            "OPTIONAL { ?province <http://www.w3.org/2004/02/skos/core#prefLabel> ?pref } "
            "FILTER(!BOUND(?label) || STRLEN(STR(?label)) >= 0) }")
    assert len(text) > 300
    result = invoke(["sparql", text, "-f", "csv"], env)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "12"]


def test_sparql_dash_reads_the_query_from_stdin(env):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/hckg/def#Province> }"
    result = runner.invoke(app, ["sparql", "-", "-f", "csv"], env=env, input=query)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "12"]


def test_queries_lists_one_line_per_query_within_80_columns(env):
    from hckg.config import Settings
    from hckg.queries.catalog import load_catalog

    listing = invoke(["queries"], {**env, "COLUMNS": "80"})
    lines = listing.stdout.splitlines()
    names = list(load_catalog(Settings().queries_dir))
    assert len(lines) == len(names) and all(len(line) <= 80 for line in lines)
    assert [line.split()[0] for line in lines] == names
    assert "hckg queries NAME" in listing.stderr


def test_serve_takes_host_and_port(env):
    result = invoke(["serve", "--help"], {**env, "COLUMNS": "200"})
    assert "--host" in result.stdout and "--port" in result.stdout
    assert invoke(["serve", "--port", "70000"], env).exit_code == 2


def test_load_draws_no_progress_bar_when_stderr_is_not_a_terminal(private, tmp_path):
    path = tmp_path / "extra.ttl"
    path.write_text("<https://w3id.org/hckg/id/topsector/ict> <http://www.w3.org/2000/01/rdf-schema#comment> "
                    "\"synthetic test comment\"@en .\n", encoding="utf-8")
    result = invoke(["load", str(path), "--synthetic"], {"HCKG_STORE": str(private.store_path)})
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"loaded https://w3id.org/hckg/graph/loads/extra: 1 triples"]
    assert "\x1b[" not in result.stderr
