"""The `hckg` command starts without its heavy dependencies (issue 17: a parser bomb refused in under a second).

Not timed (times vary with the machine's load): a fresh interpreter imports ``hckg.cli.app`` and the
test reads ``sys.modules``, so a module-level import of rdflib, pyshacl, scikit-learn, ... in the CLI,
in ``hckg/__init__.py`` or in anything they import fails here. bench/cli_startup.py prints the times.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hckg
from hckg.cli import names
from hckg.cli.app import app

HEAVY = ("rdflib", "pyshacl", "pyoxigraph", "networkx", "jinja2", "owlready2", "numpy", "scipy", "sklearn",
         "rich.table", "rich.progress", "hckg.gate.write", "hckg.gate.validate", "hckg.gate.build", "hckg.store",
         "hckg.pubs", "hckg.reports", "hckg.queries", "hckg.formats", "hckg.iris", "fastapi", "uvicorn")
"""Modules `hckg --help` and a refused `hckg validate` do without; each command imports what it needs."""

runner = CliRunner()


def _loaded_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def _heavy(loaded: set[str]) -> list[str]:
    return sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_importing_the_cli_loads_none_of_the_heavy_modules():
    loaded = _loaded_after("import hckg.cli.app")
    assert "hckg.cli.app" in loaded and "typer" in loaded  # the probe itself works
    assert _heavy(loaded) == []


def test_the_pubs_commands_are_registered_without_the_linker():
    loaded = _loaded_after("import hckg.cli.pubs")
    assert _heavy(loaded) == []


def test_a_bomb_is_refused_before_the_gate_is_imported(tmp_path):
    bomb = tmp_path / "billion-laughs.rdf"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY lol "lol">\n]>\n<rdf:RDF/>\n',
                    encoding="utf-8")
    code = ("import sys\nfrom hckg.cli.app import app\n"
            f"try:\n    app(['validate', {str(bomb)!r}], standalone_mode=False)\n"
            "except BaseException as e:\n    print('exit', getattr(e, 'exit_code', e), file=sys.stderr)")
    loaded = _loaded_after(code)
    assert "hckg.ingest.rdfxml" in loaded  # the screen ran
    assert _heavy(loaded) == []


def test_the_screen_refuses_with_file_line_and_rule(tmp_path):
    bomb = tmp_path / "laughs.rdf"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY lol "lol">\n]>\n<rdf:RDF/>\n',
                    encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bomb)], env={"HCKG_STORE": str(tmp_path / "no-store")})
    assert result.exit_code == 2, result.output
    assert f"{bomb}:2: DOCTYPE declaration" in result.stderr
    result = runner.invoke(app, ["load", str(bomb)], env={"HCKG_STORE": str(tmp_path / "no-store")})
    assert result.exit_code == 1, result.output
    assert f"{bomb}:2: DOCTYPE declaration" in result.stderr
    assert not (tmp_path / "no-store").exists()


def test_the_names_in_help_texts_are_the_owners_names():
    from hckg.formats import RDF_FORMATS, RESULT_FORMATS
    from hckg.pubs.evaluate import EVAL_DIR
    from hckg.pubs.links import STATUSES
    from hckg.pubs.suggest import DEFAULT_MIN_TRUST
    from hckg.reports.export import EXPORT_FORMATS
    from hckg.reports.monitor import FORMATS

    assert names.RESULT_FORMATS == tuple(RESULT_FORMATS)
    assert names.RDF_FORMATS == tuple(RDF_FORMATS)
    assert names.EXPORT_FORMATS == EXPORT_FORMATS
    assert names.MONITOR_FORMATS == FORMATS
    assert names.DEFAULT_MIN_TRUST == DEFAULT_MIN_TRUST
    assert names.EVAL_DIR == EVAL_DIR
    assert names.LINK_STATUSES == tuple(STATUSES)


def test_the_package_still_exports_its_names():
    for name in hckg.__all__:
        assert getattr(hckg, name) is not None, name
    assert hckg.build.__module__ == "hckg.gate.build"
    with pytest.raises(AttributeError):
        hckg.no_such_name  # noqa: B018


@pytest.mark.parametrize("args", [["--help"], ["pubs", "--help"], ["query", "--help"], ["export", "--help"],
                                  ["pubs", "suggest", "--help"], ["pubs", "eval", "--help"]])
def test_help_texts_still_name_the_formats_and_defaults(args):
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    expected = {"--help": "validate", "pubs": "suggest", "query": "csv, tsv, json, xml (SELECT/ASK); ttl, nt, jsonld",
                "export": "ttl, nt, jsonld, trig, nq"}
    if args[0] == "pubs" and len(args) == 3:
        expected["pubs"] = "0.5" if args[1] == "suggest" else str(Path("tests") / "pubs_eval")
    assert expected[args[0]] in text
