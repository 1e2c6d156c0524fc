"""Run ``hckg pubs eval`` on a held-out set as a whole and on groups of its records by kind (``kinds.csv``).

Why: the round-3 set (fresh3/) is 56 % news items and interviews, which often name their community in the title;
research outputs and project pages seldom do. One figure for the whole set would hide how the linker does on the
records the research programme cares about, so the groups are measured apart, through the same command a user
runs (``hckg pubs eval --set``), on copies of the set holding only that group's records.

    HCKG_DATA=data .venv/bin/python tests/pubs_real/eval_by_kind.py tests/pubs_real/fresh3 > result.json

The groups are fixed here, before the set is ever run (see the README's measurement plan).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import bibtexparser

GROUPS = {
    "all": None,
    "news and interviews": {"news", "interview"},
    "articles, reports and pages": {"article", "report", "page"},
    "articles and reports": {"article", "report"},
}
HCKG = Path(sys.executable).with_name("hckg")


def kinds(folder: Path) -> dict[str, str]:
    with (folder / "kinds.csv").open(encoding="utf-8") as handle:
        return {row["key"]: row["kind"] for row in csv.DictReader(handle)}


def write_group(folder: Path, target: Path, keep: set[str] | None, kind_of: dict[str, str]) -> int:
    """Copy the set's .bib files into ``target`` with only the records whose kind is in ``keep``."""
    count = 0
    for path in sorted(folder.glob("*.bib")):
        library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
        chosen = [e for e in library.entries if keep is None or kind_of[e.key] in keep]
        count += len(chosen)
        if chosen:
            (target / path.name).write_text(bibtexparser.write_string(bibtexparser.Library(chosen)), encoding="utf-8")
    return count


def evaluate(folder: Path) -> dict[str, object]:
    answer = subprocess.run([str(HCKG), "pubs", "eval", "--set", str(folder), "--format", "json"],
                            check=True, capture_output=True, text=True)
    return json.loads(answer.stdout)


def main(folder: Path) -> dict[str, object]:
    kind_of = kinds(folder)
    results = {}
    for name, keep in GROUPS.items():
        with tempfile.TemporaryDirectory(prefix="hckg-kind-") as tmp:
            records = write_group(folder, Path(tmp), keep, kind_of)
            result = evaluate(Path(tmp))
        at_default = next(p for p in result["curve"] if p["threshold"] == result["default_threshold"])
        results[name] = {"records": records, "first_right": at_default["first_right"],
                         "answered": at_default["answered"], "precision": at_default["precision_at_1"],
                         "methods": result["methods"], "curve": result["curve"]}
    return results


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), indent=1, ensure_ascii=False))
