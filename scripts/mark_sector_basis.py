"""Write data/community_bases.csv: the basis of each community's topsectors and challenges, read from the
words of the community's own notes (issue 20).

The register's notes say, in free text, when a topsector or challenge is the register's mapping of a field
a page names ("my mapping", "Topsector from sector: care", "derived from stated domain", "register's
mapping", "judgement") or when a page names it ("Topsector stated", "topsectors added as stated"). This
script turns those words into ``judgement`` or ``stated`` and quotes them in ``notes``; a cell whose notes
say neither gets no row value (not recorded), never a guess. Mapping a field a page names onto a topsector
or challenge counts as judgement, the issue's definition, also where an older note called it "derived from
stated domain". Rows already in the file are kept as they are (hand-made entries win); communities
without a topsector and a challenge get no row. Prints how many cells it marked.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
COMMUNITIES = DATA / "learning_communities.csv"
BASES = DATA / "community_bases.csv"
FIELDS = ("community", "topsectors_basis", "societal_challenge_basis", "notes")

_NEAR = r"[^.|;]{0,90}"
_MAPPED = (r"(my mapping|mapping mine|mapping is mine|register's mapping|\(judgement\)|judgement|judgment|"
           r"mapped|my reading|inferred|from sector|from the [\w /-]+ theme|derived from stated domains?)")
_STATED = r"(\(stated\)|as stated|stated \(|stated:|\bstated\b|named on|named by|topsectors named|page links it)"


def _words(notes: str, subject: str, words: str) -> str:
    """The stretch of ``notes`` where ``subject`` and ``words`` meet, or ''."""
    found = re.search(rf"{subject}{_NEAR}{words}|{words}{_NEAR}{subject}", notes, re.I)
    return found.group(0).strip() if found else ""


def basis(notes: str, subject: str) -> tuple[str, str]:
    """(``judgement``, ``stated`` or '', the words it was read from) for the cells ``subject`` names."""
    for value, words in (("judgement", _MAPPED), ("stated", _STATED)):
        quoted = _words(notes, subject, words)
        if quoted:
            return value, quoted
    return "", ""


def main() -> int:
    with COMMUNITIES.open(newline="", encoding="utf-8") as f:
        communities = list(csv.DictReader(f))
    kept: dict[str, dict[str, str]] = {}
    if BASES.exists():
        with BASES.open(newline="", encoding="utf-8") as f:
            kept = {r["community"]: r for r in csv.DictReader(f)}
    rows, marked = [], {"topsectors_basis": {}, "societal_challenge_basis": {}}
    for community in communities:
        name = community["name"]
        if name in kept:
            rows.append(kept[name])
            continue
        row, said = {"community": name, "topsectors_basis": "", "societal_challenge_basis": ""}, []
        for column, cell, subject in (("topsectors_basis", "topsectors", r"topsector"),
                                      ("societal_challenge_basis", "societal_challenge", r"challenge")):
            if not community[cell]:
                continue
            value, quoted = basis(community["notes"], subject)
            row[column] = value
            marked[column][value] = marked[column].get(value, 0) + 1
            if value:
                said.append(f"{cell} {value}: notes say '{quoted}'")
        if community["topsectors"] or community["societal_challenge"]:
            row["notes"] = "read from the community's notes (scripts/mark_sector_basis.py); " + (
                "; ".join(said) if said else "the notes do not say, so not recorded")
            rows.append(row)
    with BASES.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(marked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
