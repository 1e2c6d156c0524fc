"""The benchmark suite (bench/run.py, issue 8) at a tiny size: its table and JSON, and ratios from measured figures.

The suite never runs in `make test`; this runs it once on 2,000 synthetic triples (labelled synthetic, in a
temporary folder), without the server, Virtuoso and pySHACL parts, each engine in its own child process as
in a real run, and checks that every ratio is the quotient of two figures measured in that run.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from hckg.config import PROJECT_ROOT

pytestmark = pytest.mark.slow  # the benchmark suite runs bench/run.py end to end

BENCH = PROJECT_ROOT / "bench"


def _module(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench-out")
    return _module("run").main(["--sizes", "2k", "--skip", "server,virtuoso,pyshacl", "--repeat", "1",
                                "--out", str(out), "--workdir", str(tmp_path_factory.mktemp("bench-work"))])


@pytest.fixture(scope="module")
def size(run: dict[str, Any]) -> dict[str, Any]:
    return run["sizes"][0]  # type: ignore[no-any-return]


def _row(size: dict[str, Any], part: str, engine_starts: str) -> dict[str, Any]:
    return next(r for r in size["rows"] if r["part"] == part and r["engine"].startswith(engine_starts))


def test_the_json_file_holds_what_the_run_returned(run: dict[str, Any]) -> None:
    saved = json.loads(Path(run["json"]).read_text())
    assert Path(run["json"]).name.startswith("results-")
    assert saved["sizes"][0]["rows"] == run["sizes"][0]["rows"]
    assert saved["skipped"] == ["pyshacl", "server", "virtuoso"]


def test_every_ratio_is_its_figure_over_its_baseline(size: dict[str, Any]) -> None:
    with_ratio = [r for r in size["rows"] if r["ratio"] is not None]
    assert len(with_ratio) >= 15
    for r in with_ratio:
        assert r["ratio"] == pytest.approx(r["value"] / r["baseline"]), r


def test_load_ratios_come_from_the_measured_load_times(size: dict[str, Any]) -> None:
    hckg, raw = size["load"]["hckg"], size["load"]["raw"]
    row = _row(size, "load", "HCKG")
    assert (row["value"], row["baseline"]) == (hckg["seconds"], raw["seconds"])
    assert row["peak_ratio"] == pytest.approx(hckg["peak_mb"] / raw["peak_mb"])
    assert hckg["triples"] > 1900 and raw["triples"] == size["synthetic_triples"]
    assert row["disk_mb"] > 0 and _row(size, "load", "raw")["disk_mb"] > 0


def test_the_catalogue_median_is_the_median_of_per_query_ratios(size: dict[str, Any]) -> None:
    hckg, raw = size["queries"]["hckg"]["queries"], size["queries"]["raw"]["queries"]
    assert set(hckg) == set(raw) and len(hckg) >= 20
    expected = statistics.median(hckg[n]["seconds"] / raw[n]["seconds"] for n in hckg)
    assert _row(size, "catalogue median", "HCKG")["value"] == pytest.approx(expected)
    assert _row(size, "catalogue worst", "HCKG")["value"] == pytest.approx(
        max(hckg[n]["seconds"] / raw[n]["seconds"] for n in hckg))


def test_rdflib_answers_each_saved_query_with_as_many_rows_as_hckg(size: dict[str, Any]) -> None:
    hckg, rdflib = size["queries"]["hckg"]["queries"], size["rdflib"]["queries"]
    assert {n: q["rows"] for n, q in rdflib.items()} == {n: q["rows"] for n, q in hckg.items()}
    assert hckg["regions-lacking-community"]["rows"] > 0


def test_goals_set_at_one_million_triples_are_not_judged_at_two_thousand(size: dict[str, Any]) -> None:
    row = _row(size, "catalogue median", "HCKG")
    assert row["met"] is None and row["goal"] == "(<= 1.3x raw at 1M)"
    export = _row(size, "export N-Quads", "HCKG")
    assert export["met"] == (export["ratio"] <= 1.3)


def test_skipped_parts_say_so_in_the_table(size: dict[str, Any]) -> None:
    table = _module("report").table(size)
    assert "Virtuoso: skipped (--skip virtuoso)" in table
    assert "skipped: --skip pyshacl" in table
    assert table.count("\n| ") == len(size["rows"]) + 1  # header + one line a row
    assert "server" not in size


@pytest.mark.parametrize("text, triples", [("2000", 2000), ("10k", 10_000), ("1M", 1_000_000), ("5m", 5_000_000)])
def test_sizes_are_read_with_k_and_m(text: str, triples: int) -> None:
    assert _module("run").parse_size(text) == triples


@pytest.mark.parametrize("text", ["", "k", "-5k", "1.5M", "ten"])
def test_a_size_that_is_not_a_number_is_refused_with_the_rule(text: str) -> None:
    with pytest.raises(ValueError, match="expected a whole number with an optional k or M"):
        _module("run").parse_size(text)


def test_the_growth_exponent_is_the_log_log_slope() -> None:
    report = _module("report")
    assert report._slope([(1e4, 2.0), (1e5, 20.0), (1e6, 200.0)]) == pytest.approx(1.0)
    assert report._slope([(1e4, 1.0), (1e5, 100.0)]) == pytest.approx(2.0)
    assert report._slope([(1e4, 1.0)]) is None


def test_the_shaped_synthetic_data_is_seeded_labelled_and_near_its_size() -> None:
    synthetic = _module("synthetic")
    first = list(synthetic.generate_shaped(5000, seed=1))
    assert first == list(synthetic.generate_shaped(5000, seed=1))
    assert first != list(synthetic.generate_shaped(5000, seed=2))
    assert abs(len(first) - 5000) < 250
    graph = f"<{synthetic.GRAPH}>"
    assert f"{graph} <{synthetic.H}provenanceKind> <{synthetic.H}SyntheticData> ." in first
    assert any(line.startswith(f"{graph} <http://purl.org/dc/terms/description>") for line in first)
    assert any("<http://schema.org/about> <https://w3id.org/hckg/id/community/synthetic-c" in line for line in first)
    dois = [line for line in first if "<http://purl.org/ontology/bibo/doi>" in line]
    assert dois and all('"10.5555/' in line for line in dois)  # test DOIs only


def test_a_saved_run_prints_again_with_the_same_ratios(run: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    again = _module("run").main(["--from-json", run["json"]])
    assert again["sizes"][0]["rows"] == run["sizes"][0]["rows"]
    assert "## Goals (issue 8)" in capsys.readouterr().out


def test_an_rdflib_child_stopped_halfway_is_shown_but_not_judged(size: dict[str, Any]) -> None:
    report = _module("report")
    measured = json.loads(json.dumps({k: v for k, v in size.items() if k != "rows"}))
    measured["size"] = 1_000_000  # where the goal is judged
    finished = dict(list(measured["rdflib"]["queries"].items())[:3])  # what children._save kept before the kill
    measured["rdflib"] = {"load_s": 1.0, "queries": finished, "export": {}, "peak_mb": 1.0,
                          "error": "killed after 10800 s"}
    median = next(r for r in report.rows(measured) if r["part"] == "catalogue median" and r["engine"].startswith("rdflib"))
    total = len(measured["queries"]["hckg"]["queries"])
    assert median["note"].startswith(f"only 3 of {total} queries ran")
    assert median["met"] is None
    measured["rdflib"]["queries"] = {}  # stopped while parsing: no query row, no crash
    assert not [r for r in report.rows(measured) if r["part"] == "catalogue median" and r["engine"].startswith("rdflib")]


def test_saved_runs_print_as_one_with_growth_across_them(run: dict[str, Any], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A 10k-1M run and a 5M run print together: sizes in order, growth exponents over both files."""
    saved = json.loads(Path(run["json"]).read_text())
    larger = json.loads(json.dumps(saved))
    larger["sizes"][0]["size"] *= 2  # a stand-in second run: only the merge is under test here
    second = tmp_path / "second.json"
    second.write_text(json.dumps(larger))
    merged = _module("run").main(["--from-json", str(second), run["json"]])
    assert [s["size"] for s in merged["sizes"]] == [saved["sizes"][0]["size"], 2 * saved["sizes"][0]["size"]]
    out = capsys.readouterr().out
    assert out.count("# HCKG benchmark suite") == 2
    assert "## Growth from" in out and "one size only" not in out
