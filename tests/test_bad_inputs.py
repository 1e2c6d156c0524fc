"""The corpus of bad files in tests/bad_inputs/: each gives its own error through `hckg validate`,
and `hckg load` of each leaves the store exactly as it was."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hckg.cli.app import app
from helpers import sorted_nquads

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = list(csv.DictReader((CORPUS / "MANIFEST.csv").open(encoding="utf-8")))
runner = CliRunner()


def test_the_corpus_has_at_least_thirty_files_each_in_the_manifest():
    files = {p.name for p in CORPUS.iterdir() if p.name != "MANIFEST.csv"}
    assert files == {c["file"] for c in CASES}
    assert len(files) >= 30


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_validate_names_the_problem_with_the_documented_exit_code(settings, store, case):
    result = runner.invoke(app, ["validate", str(CORPUS / case["file"])], env={"HCKG_STORE": str(settings.store_path)})
    assert result.exit_code == int(case["exit"]), result.output
    assert case["expect"] in result.stdout + result.stderr


@pytest.mark.slow  # a load per file of the corpus (~12 s)
def test_load_of_every_bad_file_leaves_the_store_unchanged(data_copy):
    from hckg.gate.build import build

    build(data_copy)
    before = sorted_nquads(data_copy.store_path)
    env = {"HCKG_STORE": str(data_copy.store_path)}
    for case in CASES:
        result = runner.invoke(app, ["load", str(CORPUS / case["file"])], env=env)
        assert result.exit_code != 0, case["file"]
    assert sorted_nquads(data_copy.store_path) == before


def test_fifty_megabytes_of_junk_is_refused_quickly(settings, store, tmp_path):
    junk = tmp_path / "junk.ttl"
    rng = random.Random(20261123)  # fixed seed: the same junk every run
    with junk.open("wb") as f:
        for _ in range(50):
            f.write(rng.randbytes(1 << 20))
    result = runner.invoke(app, ["validate", str(junk)], env={"HCKG_STORE": str(settings.store_path)})
    assert result.exit_code == 2
    assert "cannot parse as turtle" in result.stderr
