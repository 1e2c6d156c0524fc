"""`hckg pubs ...` through typer's CliRunner: exit codes, formats and messages naming file and entry."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from hckg.cli.app import app

from helpers import sorted_nquads
from pubs_helpers import BAD, EVAL

runner = CliRunner()


def invoke(settings, *args: str):
    return runner.invoke(app, ["pubs", *args], env={"HCKG_STORE": str(settings.store_path)})


def test_import_suggest_write_accept_and_list(pubs_settings):
    imported = invoke(pubs_settings, "import", str(EVAL / "eval-csl.json"), "--synthetic")
    assert imported.exit_code == 0 and "30 new, 0 already known" in imported.stderr
    answer = invoke(pubs_settings, "suggest", "--format", "csv", "--min-trust", "0.9", "--write")
    assert answer.exit_code == 0, answer.stderr
    rows = list(csv.DictReader(io.StringIO(answer.stdout)))
    assert rows and all(float(r["trust"]) >= 0.9 for r in rows)
    assert list(rows[0]) == ["doi", "title", "target_name", "target", "trust", "method", "evidence"]
    listed = json.loads(invoke(pubs_settings, "links", "--format", "json", "--status", "suggested").stdout)
    assert len(listed) == len(rows)
    accepted = invoke(pubs_settings, "accept", listed[0]["iri"], "--by", "cli-tester")
    assert accepted.exit_code == 0 and "accepted" in accepted.stderr
    now = json.loads(invoke(pubs_settings, "links", "--format", "json", "--status", "accepted").stdout)
    assert [(l["iri"], l["decided_by"]) for l in now] == [(listed[0]["iri"], "cli-tester")]


def test_a_bad_record_exits_1_naming_file_and_entry_and_writes_nothing(pubs_settings):
    before = sorted_nquads(pubs_settings.store_path)
    answer = invoke(pubs_settings, "import", str(BAD / "unbalanced.bib"))
    assert answer.exit_code == 1
    assert "unbalanced.bib:8 entry 'broken2020'" in answer.stderr and "store unchanged" in answer.stderr
    assert sorted_nquads(pubs_settings.store_path) == before


def test_skip_bad_reports_what_it_skipped(pubs_settings):
    answer = invoke(pubs_settings, "import", str(BAD / "bad-doi.json"), "--skip-bad")
    assert answer.exit_code == 0
    assert "1 new" in answer.stderr and "skipped:" in answer.stderr and "'bad-doi'" in answer.stderr


def test_an_unknown_format_or_status_is_a_usage_error(pubs_settings):
    assert invoke(pubs_settings, "suggest", "--format", "xml").exit_code == 2
    assert invoke(pubs_settings, "links", "--status", "maybe").exit_code == 2


def test_accepting_an_unknown_link_exits_1(pubs_settings):
    answer = invoke(pubs_settings, "accept", "nope")
    assert answer.exit_code == 1 and "no publication link 'nope'" in answer.stderr
