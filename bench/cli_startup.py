"""How long the `hckg` command takes to start and to refuse a parser bomb (issue 17: under a second).

Each case runs N times in a fresh process (default 5) and the median wall time is printed, with the
machine's load average, since a busy machine slows every start:

    .venv/bin/python bench/cli_startup.py [--runs N]

The bomb is the classic "billion laughs" RDF/XML file (synthetic, written to a temporary folder); the
refusal needs no store, so the cases run against an empty temporary HCKG_STORE path unless ``--store``
names one (a read-only use: every case is refused or prints help).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from bombs import LAUGHS  # noqa: E402  (synthetic billion laughs, shared with tests/test_rdfxml.py)


def _time(command: list[str], env: dict[str, str], runs: int) -> tuple[float, int]:
    """Median wall seconds of ``command`` over ``runs`` fresh processes, and its exit code."""
    times, code = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        code = subprocess.run(command, env=env, capture_output=True, timeout=120).returncode
        times.append(time.perf_counter() - started)
    return statistics.median(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path, help="HCKG_STORE for the cases (default: an empty temporary path)")
    given = parser.parse_args()
    runs = given.runs
    python = sys.executable
    hckg = str(Path(python).with_name("hckg"))
    with tempfile.TemporaryDirectory() as tmp:
        bomb = Path(tmp) / "billion-laughs.rdf"
        bomb.write_text(LAUGHS, encoding="utf-8")
        env = {**os.environ, "HCKG_STORE": str((given.store or Path(tmp) / "store").resolve())}
        cases = {
            "python -c pass (the floor)": [python, "-c", "pass"],
            "python -c 'import hckg.cli.app'": [python, "-c", "import hckg.cli.app"],
            "hckg --help": [hckg, "--help"],
            "hckg validate billion-laughs.rdf": [hckg, "validate", str(bomb)],
            "hckg load billion-laughs.rdf": [hckg, "load", str(bomb)],
        }
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; median of {runs} runs, wall time")
        for name, command in cases.items():
            seconds, code = _time(command, env, runs)
            print(f"{seconds * 1000:8.0f} ms  exit {code}  {name}")


if __name__ == "__main__":
    main()
