"""Write data/community_bases.csv: the basis of each community's topsectors and challenges, read from the
words of the community's own notes (issue 20).

The register's notes say, in free text, when a topsector or challenge is the register's mapping of a field
a page names ("my mapping", "Topsector from sector: care", "derived from stated domain", "register's
mapping", "judgement") or when a page names it ("Topsector stated", "topsectors added as stated"). This
script turns those words into ``judgement`` or ``stated`` and quotes them in ``notes``; a cell whose notes
say neither gets no row value (not recorded), never a guess. Mapping a field a page names onto a topsector
or challenge counts as judgement, the issue's definition, also where an older note called it "derived from
stated domain". Rows already in the file are kept as they are (hand-made entries win); communities
without a topsector and a challenge get no row. Then a topsector basis is raised to ``derived`` where the
community's own name carries the topsector's label ("KennisDC Logistiek"). Prints how many cells it marked.
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
    return mark_named_topsectors()



def named_topsector(name: str, topsectors: list[str], labels: dict[str, set[str]]) -> str:
    """The first of ``topsectors`` whose label is a word of the community's own name, or ''.

    Only the part before the first ' (' counts: bracketed parts are often the register's own additions.
    'Health' is left out: it is an alternative label of Life Sciences & Health, not the topsector's name.
    """
    own = name.split(" (")[0]
    for topsector in topsectors:
        for label in sorted(labels.get(topsector, ())):
            if label.lower() != "health" and re.search(rf"(?<!\w){re.escape(label)}(?!\w)", own, re.I):
                return f"{topsector} ('{label}')"
    return ""


def mark_named_topsectors() -> int:
    """Raise a topsector basis to ``derived`` where the community's own name carries the topsector's label
    ('KennisDC Logistiek', 'EnTranCe - Centre of Expertise Energy'): the page names it, the word is the label."""
    with (DATA / "topsectors.csv").open(newline="", encoding="utf-8") as f:
        labels = {t["name_nl"]: {t["name_nl"], t["name_en"], *[a for a in t["alt_labels"].split(";") if a]}
                  for t in csv.DictReader(f)}
    with COMMUNITIES.open(newline="", encoding="utf-8") as f:
        cells = {r["name"]: [v.strip() for v in r["topsectors"].split(";") if v.strip()] for r in csv.DictReader(f)}
    with BASES.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    raised = 0
    for row in rows:
        if row["topsectors_basis"] in ("stated", "derived") or not cells.get(row["community"]):
            continue
        found = named_topsector(row["community"], cells[row["community"]], labels)
        if found:
            row["topsectors_basis"] = "derived"
            row["notes"] += f" | topsectors derived: the community's own name carries the topsector label {found}"
            raised += 1
    with BASES.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"topsector bases raised to derived from the community's name: {raised}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
