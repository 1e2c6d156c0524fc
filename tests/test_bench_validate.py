"""The validation benchmark (bench/validate.py, issue 4) at a tiny size: its planted faults are found.

The benchmark itself never runs in `make test`; this checks its core on 2,000 synthetic triples, each
engine in its own child process as in the real run: the gate finds exactly the planted violations,
pySHACL (the standard engine) finds the same set, and the focused check of a new graph finds exactly
what a full check of the same store finds.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from hckg.config import PROJECT_ROOT
from hckg.store.oxigraph import OxigraphStore

pytestmark = pytest.mark.slow  # the validation benchmark plants faults in generated data

SEED = 7


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_validate", PROJECT_ROOT / "bench" / "validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_validate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    return _bench()


@pytest.fixture(scope="module")
def measured(bench, store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    real = ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS)
    return bench.run(2000, SEED, ("gate", "focused", "pyshacl"), 120.0, real, tmp_path_factory.mktemp("bench"))


def test_every_kind_of_fault_is_planted(measured) -> None:  # type: ignore[no-untyped-def]
    dataset, _ = measured
    shapes = {key[3].rsplit("#", 1)[-1] for key in dataset.planted}
    assert shapes == {"Community-startYear", "DutchLabel", "LabelLanguage", "Community-province", "SourceRequired",
                      "SourceIsWebIri", "Community-topsector", "Community-type", "HasType", "Community-partner",
                      "Community-uniqueLabel", "Organisation-province"}
    assert len(dataset.delta_planted) == 6


def test_the_gate_finds_exactly_the_planted_violations(measured) -> None:  # type: ignore[no-untyped-def]
    dataset, results = measured
    assert results["gate"].note == ""
    assert results["gate"].found == set(dataset.planted)


def test_pyshacl_finds_the_same_violations_as_the_gate(measured) -> None:  # type: ignore[no-untyped-def]
    _, results = measured
    assert results["pyshacl"].note == ""
    assert results["pyshacl"].found == results["gate"].found


def test_the_focused_check_of_a_new_graph_finds_what_a_full_check_finds(measured) -> None:  # type: ignore[no-untyped-def]
    dataset, results = measured
    focused = results["focused"]
    assert focused.note == ""
    assert focused.found == set(dataset.delta_planted)
    assert focused.found == {tuple(k) for k in focused.extra["full_after"]}


def test_pyrudof_reports_no_violation_that_was_not_planted(bench, measured) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pyrudof")
    dataset, _ = measured
    rudof = bench.measure("pyrudof", dataset, 120.0)
    assert rudof.note == ""
    assert rudof.found <= set(dataset.planted)
