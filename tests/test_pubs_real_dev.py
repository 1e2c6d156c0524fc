"""The linker on the development half of the real labelled set (tests/pubs_real/dev): a regression floor.

The floors are below the figures measured when the trust model was fitted on this half (in-sample, so
optimistic; the leave-one-publication-out figure is printed by scripts/fit_pubs_trust.py). They are a
regression floor, not a goal: a change that loses several right answers or lets wrong ones above the
default threshold fails here. The held-out half is never run by the tests (it is run once, by hand).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds a store from data/ and links every dev record

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "pubs_real" / "dev"
# Measured 2026-12-03 on 52 dev records (batches 1-7): first right 41/52 = 0.788 at 0.5, precision 41/42 = 0.976;
# 43/52 = 0.827 at threshold 0 (leave-one-publication-out: 40/52 at 0.5, 43/52 at 0).
FIRST_RIGHT_FLOOR, PRECISION_FLOOR, ANY_THRESHOLD_FLOOR = 0.70, 0.90, 0.78


def test_dev_half_first_right_and_precision(tmp_path):
    exe = Path(sys.executable).parent / "hckg"
    exe = str(exe) if exe.exists() else (shutil.which("hckg") or pytest.skip("hckg command not found"))
    env = {**os.environ, "HCKG_STORE": str(tmp_path / "store"), "HCKG_DATA": str(ROOT / "data")}
    proc = subprocess.run([exe, "pubs", "eval", "--set", str(DEV), "--format", "json"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    curve = {round(p["threshold"], 2): p for p in report["curve"]}
    records = report["records"]
    default, anything = curve[report["default_threshold"]], curve[0.0]
    print(f"\ndev half: first right {default['first_right']}/{records} at {report['default_threshold']}, "
          f"precision {default['precision_at_1']}; {anything['first_right']}/{records} at 0")
    assert records >= 52
    assert default["first_right"] / records >= FIRST_RIGHT_FLOOR
    assert default["precision_at_1"] >= PRECISION_FLOOR
    assert anything["first_right"] / records >= ANY_THRESHOLD_FLOOR
