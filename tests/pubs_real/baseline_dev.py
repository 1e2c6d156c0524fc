"""Measure the current linker on one half of the real publication set (default: the development half).

Why: the figure to beat. The half's BibTeX files are imported into a throw-away store built from ``data/``
(never the user's store), ``hckg.pubs.suggest`` ranks communities for every record, and each record's gold
community (its ``hckg_community`` field, which the importer does not read) is compared with the ranking.

    .venv/bin/python tests/pubs_real/baseline_dev.py                 # development half, table
    .venv/bin/python tests/pubs_real/baseline_dev.py --format json

Reported per threshold t (the default 0.5 first):
- first right: records whose best suggestion has trust >= t and is the gold community / all records;
- precision: of the records that get an answer at t (best suggestion >= t), the share whose answer is right;
- gold found: records whose gold community is among *all* their suggestions >= t / all records.

The first held-out half (``--half heldout``) and the round-2 fresh set (``--half fresh``) were each run once
and are spent: both are development data now. The round-3 held-out set (``fresh3``) is not offered here.
For a per-record failure table with cross-validated trust, use ``scripts/fit_pubs_trust.py --failures FILE``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import bibtexparser

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from hckg.config import Settings  # noqa: E402
from hckg.gate.build import build  # noqa: E402
from hckg.pubs import profiles  # noqa: E402
from hckg.pubs.importer import import_files  # noqa: E402
from hckg.pubs.suggest import DEFAULT_MIN_TRUST, Suggestion, suggest  # noqa: E402
from hckg.store.oxigraph import open_store  # noqa: E402

THRESHOLDS = (DEFAULT_MIN_TRUST, 0.0, 0.3, 0.7)


def _key(title: str) -> str:
    return " ".join(title.lower().split())


def gold(half_dir: Path) -> dict[str, tuple[str, str]]:
    """Normalised title -> (entry key, gold community IRI), from every .bib file of the half."""
    found = {}
    for path in sorted(half_dir.glob("*.bib")):
        for entry in bibtexparser.parse_string(path.read_text(encoding="utf-8")).entries:
            fields = {k.lower(): str(v.value) for k, v in entry.fields_dict.items()}
            found[_key(fields["title"])] = (entry.key, fields["hckg_community"])
    return found


def suggestions(half_dir: Path, settings: Settings) -> list[Suggestion]:
    with tempfile.TemporaryDirectory(prefix="hckg-pubs-real-") as tmp:
        scratch = replace(settings, store_path=Path(tmp) / "store")
        build(scratch)
        import_files(scratch, sorted(half_dir.glob("*.bib")))
        store = open_store(scratch.store_path)
        try:
            return suggest(profiles.publications(store), profiles.communities(store), profiles.grants(store),
                           lexicon=profiles.lexicon(store))
        finally:
            store.close()


def score(found: list[Suggestion], labels: dict[str, tuple[str, str]]) -> dict:
    by_title: dict[str, list[Suggestion]] = {}
    for s in found:
        by_title.setdefault(_key(s.title), []).append(s)
    unmatched = sorted(set(by_title) - set(labels))
    if unmatched:
        raise SystemExit(f"suggestions for titles not in the set: {unmatched[:3]}")
    rows = []
    for title, (key, expected) in sorted(labels.items(), key=lambda kv: kv[1][0]):
        ranked = sorted(by_title.get(title, []), key=lambda s: -s.trust)
        rank = next((i + 1 for i, s in enumerate(ranked) if s.target == expected), None)
        best = ranked[0] if ranked else None
        rows.append({"key": key, "gold": expected, "gold_rank": rank,
                     "best": best.target if best else None, "best_trust": round(best.trust, 3) if best else None,
                     "best_method": best.method if best else None})
    total = len(rows)
    curve = []
    for t in THRESHOLDS:
        answered = [r for r in rows if r["best"] is not None and r["best_trust"] >= t]
        right = [r for r in answered if r["best"] == r["gold"]]
        found_any = sum(1 for title, (key, expected) in labels.items()
                        if any(s.target == expected and s.trust >= t for s in by_title.get(title, [])))
        curve.append({"threshold": t, "records": total, "first_right": len(right), "answered": len(answered),
                      "precision": round(len(right) / len(answered), 3) if answered else None,
                      "gold_found": found_any})
    return {"records": total, "curve": curve, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=["dev", "heldout", "fresh"], default="dev",
                        help="dev, heldout (spent) or fresh (round 2, spent); never fresh3, the round-3 held-out set")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args(argv)
    half_dir = HERE / args.half
    result = score(suggestions(half_dir, Settings.from_env()), gold(half_dir))
    result["half"] = args.half
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(f"{args.half} half: {result['records']} real records")
    print("threshold  first right  answered  precision  gold among suggestions")
    for c in result["curve"]:
        precision = "-" if c["precision"] is None else f"{c['precision']:.3f}"
        print(f"{c['threshold']:>9}  {c['first_right']:>5} / {c['records']:<4} {c['answered']:>8}  {precision:>9}"
              f"  {c['gold_found']:>5} / {c['records']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
