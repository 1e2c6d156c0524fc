"""Fit the publication linker's trust model (hckg/pubs/trust_model.json) on the real set, and cross-validate it.

    .venv/bin/python scripts/fit_pubs_trust.py [--set DIR ...] [--folds 5] [--show] [--write]

Builds a throw-away store from data/, imports the records of every ``--set`` folder (default: both halves
of tests/pubs_real and the round-2 fresh set, 169 records: the first held-out half and ``fresh/`` were each
run once and are spent, so all three are development data now), collects the features of every (publication, community) pair the cues re-score
(``suggest.combine``), labels each pair right or wrong from the records' ``hckg_community`` field, and
fits a conditional logit (weights w: which community of a publication's candidates is right) followed by
Platt scaling on the pair's score s = w·x and its margin over the publication's best other candidate,
so trust is a calibrated probability 1 / (1 + exp(-(b + a·s + c·(s - s_rival)))) (``trust.Model``);
w, a ("scale"), c ("margin") and b ("intercept") are stored.

Why cross-validation: a figure measured on the records the model was fitted on is optimistic. The
script prints, for the in-sample model, leave-one-publication-out and grouped k-fold by gold community
(all records of one community in the same fold, so a community's own words never help score it; the
model is refitted inside each fold), three figures: first right at the default threshold, precision
above it, first right at 0. ``--show`` lists each record the cross-validated models get wrong.

It refuses ``tests/pubs_real/fresh3/`` (in any spelling: case, separators, a path inside it): that folder
is the round-3 held-out set, run once with ``hckg pubs eval`` after the code is final, and never read while
fitting or tuning. ``tests/pubs_real/fresh/`` (round 2) was run once and is development data now.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hckg.config import Settings  # noqa: E402
from hckg.pubs.evaluate import label_key, run  # noqa: E402
from hckg.pubs.readers import READERS  # noqa: E402
from hckg.pubs.suggest import DEFAULT_MIN_TRUST  # noqa: E402
from hckg.pubs.trust import FEATURES, MODEL_PATH, Model  # noqa: E402

C = float(os.environ.get("PUBS_C", "3.0"))
"""L2 strength of both steps (``PUBS_C`` overrides it for comparing). 3 on the 169 records: grouped 5-fold
128/169 at 0.5, precision 0.928, against 124/169 (0.925) at 1 (the value fitted on 101 records), 113/169 at
0.3 and 129/169 (0.921) at 10."""
REAL = ROOT / "tests" / "pubs_real"
DEFAULT_SETS = (REAL / "dev", REAL / "heldout", REAL / "fresh")
FRESH = REAL / "fresh3"
"""The unseen round-3 held-out set: never fitted on, never read here."""
FOLD_SEED = 19019
CALIBRATION = os.environ.get("PUBS_CALIBRATION", "margin")
"""How the Platt step is fitted: "margin" (score and margin, every pair), "pairs" (score, every pair), and
either with "-answers" (each publication's best candidate only). Kept for comparing; the default is used."""


def _spelt(part: str) -> str:
    """A path part without case and separators: "Fresh_3", "fresh-3" and "FRESH3" are all "fresh3"."""
    return re.sub(r"[\W_]+", "", part.casefold())


def refuse_round3(folders: list[Path]) -> None:
    """``refuse_fresh`` for each folder: the name the round-3 set's own test module uses."""
    for folder in folders:
        refuse_fresh(folder)


def refuse_fresh(folder: Path) -> None:
    """Exit when ``folder`` is the round-3 held-out set or lies inside it (however the path is written).

    Any path part that reads "fresh3" once case and separators are dropped is refused, before or after
    resolving links and "..": the set may be copied or linked under another parent.
    """
    path = folder.resolve()
    parts = [*folder.parts, *path.parts]
    if path == FRESH.resolve() or FRESH.resolve() in path.parents or any(_spelt(p).startswith("fresh3") for p in parts):
        sys.exit(f"refused: {folder} is the fresh3 held-out set (the round-3 held-out set, tests/pubs_real/fresh3); "
                 "it is run once with `hckg pubs eval`, never fitted on")


def conditional_logit(x: np.ndarray, y: np.ndarray, groups: list[str]) -> np.ndarray:
    """Weights w maximising Σ_publications log softmax(w·x)[right pair] - |w|²/(2C) (McFadden's conditional logit).

    It learns what puts the right community first among a publication's candidates; publications
    whose right community is not among the candidates carry no information and are left out.
    """
    index: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        index[g].append(i)
    kept = [rows for rows in map(np.array, index.values()) if y[rows].sum() == 1]
    if not kept:
        return np.zeros(x.shape[1])
    # All blocks in one array, block by block, so the loss is a few vectorised operations (reduceat).
    order = np.concatenate(kept)
    xs, ys = x[order], y[order] == 1
    starts = np.cumsum([0, *(len(r) for r in kept[:-1])])
    block = np.repeat(np.arange(len(kept)), [len(r) for r in kept])
    right_x = xs[ys].sum(axis=0)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = xs @ w
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - top[block])
        sums = np.add.reduceat(e, starts)
        p = e / sums[block]
        total = (w @ w) / (2 * C) - float(s[ys].sum() - top.sum() - np.log(sums).sum())
        grad = w / C - (right_x - p @ xs)
        return total, grad

    # Disagreeing cues and a year before the community started may only lower trust (the rule).
    bounds = [(None, 0.0) if f in ("conflict", "before_start") else (None, None) for f in FEATURES]
    return minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds).x


def rivals(score: np.ndarray, groups: list[str]) -> np.ndarray:
    """Per pair: the best score among its publication's other candidates, at least 0 (``Model.trust``)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        index[g].append(i)
    out = np.zeros(len(groups))
    for rows in map(np.array, index.values()):
        block = score[rows]
        best = int(block.argmax())
        second = np.partition(block, -2)[-2] if len(rows) > 1 else 0.0
        out[rows] = np.maximum(0.0, np.where(np.arange(len(rows)) == best, second, block[best]))
    return out


def fit(x: np.ndarray, y: np.ndarray, groups: list[str]) -> Model:
    """Conditional logit for the ranking, then Platt scaling for calibrated trust.

    The scaling is a logistic regression of "this pair is right" on the pair's score s = w·x and on its
    margin over the best other candidate of the publication (s - rival), fitted on every pair
    (``CALIBRATION`` "margin", the default), or on s alone ("pairs", the first model's way).
    """
    w = conditional_logit(x, y, groups)
    score = x @ w
    margin = score - rivals(score, groups)
    inputs = np.column_stack([score, margin]) if CALIBRATION.startswith("margin") else score.reshape(-1, 1)
    if CALIBRATION.endswith("conflict"):
        inputs = np.column_stack([inputs, x[:, FEATURES.index("conflict")]])
    rows = np.arange(len(y))
    if CALIBRATION.endswith("answers"):  # each publication's best-scored candidate only
        best: dict[str, int] = {}
        for i, g in enumerate(groups):
            if g not in best or score[i] > score[best[g]]:
                best[g] = i
        rows = np.array(sorted(best.values()))
    platt = LogisticRegression(C=C, max_iter=1000).fit(inputs[rows], y[rows])
    a = float(platt.coef_[0][0])
    c = float(platt.coef_[0][1]) if inputs.shape[1] >= 2 else 0.0
    if CALIBRATION.endswith("conflict"):
        print("conflict in calibration:", round(float(platt.coef_[0][2]), 3))
    return Model(float(platt.intercept_[0]), {f: float(v) for f, v in zip(FEATURES, w)}, scale=a, margin=c)


def figures(top: dict[str, tuple[str, float]], labels: dict[str, tuple[str, str]]) -> dict[str, object]:
    """First right at the default threshold, precision above it, first right at 0."""
    answered = [k for k, (_, t) in top.items() if t >= DEFAULT_MIN_TRUST]
    right = sum(top[k][0] == labels[k][0] for k in answered)
    right_any = sum(top[k][0] == labels[k][0] for k in top)
    return {"first_right": right, "answered": len(answered), "records": len(labels),
            "precision": round(right / len(answered), 3) if answered else 0.0, "first_right_at_0": right_any}


def line(f: dict[str, object]) -> str:
    return (f"first right {f['first_right']}/{f['records']} at {DEFAULT_MIN_TRUST}, precision "
            f"{f['precision']:.3f} ({f['first_right']}/{f['answered']}), first right at 0 {f['first_right_at_0']}/{f['records']}")


def community_folds(labels: dict[str, tuple[str, str]], k: int) -> dict[str, int]:
    """Record key → fold; all records of one gold community share a fold, folds about equal in records."""
    by_community: dict[str, list[str]] = defaultdict(list)
    for key, (gold, _) in labels.items():
        by_community[gold].append(key)
    order = sorted(by_community)
    random.Random(FOLD_SEED).shuffle(order)
    order.sort(key=lambda c: -len(by_community[c]))  # stable: the biggest first, ties in shuffled order
    sizes, fold_of = [0] * k, {}
    for community in order:
        f = sizes.index(min(sizes))
        sizes[f] += len(by_community[community])
        fold_of.update({key: f for key in by_community[community]})
    return fold_of


CUE_KINDS = ("author", "lead", "partner", "name", "core", "rule")


def _cues_of(v: dict[str, float]) -> str:
    return " ".join(f"{k}={v[k]:.2g}" for k in CUE_KINDS if v.get(k)) or "-"


def classify(gold: str, ranked: list[tuple[str, float, dict[str, float]]], rescored: bool) -> str:
    """Why a record is missed, from the features of its gold community and of the winner.

    Classes: ``no cue`` (no author/institution/name cue: the rules and TF-IDF alone answered),
    ``gold not a candidate``, ``low trust`` (gold first, under the threshold), ``wrong name`` (the
    winner has a name/core/rule cue the gold lacks), ``shared institution`` (both have the same kind of
    institution cue, the topic picked the other), ``author elsewhere``, ``institution elsewhere``
    (the winner's cue is an institution the gold lacks), ``topic namesake`` (the winner has the topic only).
    """
    if not rescored:
        return "no cue"
    got = {c: (t, v) for c, t, v in ranked}
    if gold not in got:
        return "gold not a candidate"
    if ranked[0][0] == gold:
        return "low trust"
    win, g = ranked[0][2], got[gold][1]
    if any(win.get(k) for k in ("name", "core", "rule")) and not any(g.get(k) for k in ("name", "core", "rule")):
        return "wrong name"
    if any(win.get(k) and g.get(k) for k in ("lead", "partner")):
        return "shared institution"
    if win.get("author") and not g.get("author"):
        return "author elsewhere"
    if (win.get("lead") or win.get("partner")) and not (g.get("lead") or g.get("partner")):
        return "institution elsewhere"
    if not any(win.get(k) for k in CUE_KINDS):
        return "topic namesake"
    return "other"


def failure_rows(labels, titles, key_of, fixed, by_pub, pairs, x, model_of) -> list[dict[str, str]]:
    """One row per record the cross-validated model misses at the default threshold."""
    out = []
    pub_of = {key_of[p]: p for p in by_pub}
    for k in sorted(labels, key=lambda k: titles.get(k, k)):
        gold = labels[k][0]
        p = pub_of.get(k)
        if p is None:
            target, t = fixed.get(k, ("", 0.0))
            ranked = [(target, t, {})] if target else []
        else:
            rows = by_pub[p]
            trusts = model_of(p).trusts([dict(zip(FEATURES, x[i])) for i in rows])
            ranked = sorted(((pairs[i][1], max(t, pairs[i][3]), pairs[i][2]) for i, t in zip(rows, trusts)),
                            key=lambda r: -r[1])
        if ranked and ranked[0][0] == gold and ranked[0][1] >= DEFAULT_MIN_TRUST:
            continue
        short = lambda iri: iri.rsplit("/", 1)[-1][:40]  # noqa: E731
        rank = next((i + 1 for i, r in enumerate(ranked) if r[0] == gold), None)
        g = next((r for r in ranked if r[0] == gold), None)
        w = ranked[0] if ranked else ("", 0.0, {})
        out.append({"record": titles.get(k, k)[:60].replace("|", "/"), "gold": short(gold), "gold rank": str(rank or "-"),
                    "gold cues": _cues_of(g[2]) if g else "-", "gold trust": f"{g[1]:.2f}" if g else "-",
                    "won": short(w[0]) or "-", "won cues": _cues_of(w[2]), "won trust": f"{w[1]:.2f}",
                    "class": classify(gold, ranked, p is not None)})
    return out


def _count(rows: list[dict[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["class"]] += 1
    return counts


def failure_table(rows: list[dict[str, str]]) -> str:
    head = list(rows[0]) if rows else ["record"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(r[h] for h in head) + " |" for r in rows]
    counts = "; ".join(f"{c} {n}" for c, n in sorted(_count(rows).items(), key=lambda kv: -kv[1]))
    return f"{len(rows)} misses at {DEFAULT_MIN_TRUST} (grouped cross-validation): {counts}\n\n" + "\n".join(lines) + "\n"


def gather(sets: list[Path], settings: Settings, work: Path) -> Path:
    """One folder holding every set's publication files (prefixed by the set's name), for one store."""
    for folder in sets:
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in READERS or path.suffix == ".ttl":
                shutil.copy(path, work / f"{folder.name}-{path.name}")
    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", help="labelled folder (repeatable); default: dev, heldout and fresh of tests/pubs_real (never fresh3)")
    parser.add_argument("--folds", type=int, default=5, help="grouped k-fold by gold community")
    parser.add_argument("--show", action="store_true", help="list the records the cross-validated models get wrong")
    parser.add_argument("--failures", type=Path, help="write the grouped-CV misses, one row each with its class, as Markdown")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    parser.add_argument("--write", action="store_true", help="write hckg/pubs/trust_model.json")
    args = parser.parse_args()
    refuse_round3(args.set or [])  # before resolving: the path as written is checked too
    sets = [p.resolve() for p in (args.set or DEFAULT_SETS)]
    for folder in sets:
        refuse_fresh(folder)
    pairs: list[tuple[str, str, dict[str, float], float]] = []
    settings = replace(Settings.from_env(), data_dir=ROOT / "data")
    with tempfile.TemporaryDirectory(prefix="hckg-pubs-fit-") as tmp:
        found, labels = run(settings, gather(sets, settings, Path(tmp)),
                            seen=lambda p, c, x, floor: pairs.append((p, c, x, floor)))
    key_of = {s.publication: label_key(s.doi if s.doi.lower() in labels else "", s.title) for s in found}
    titles = {key_of[s.publication]: s.title for s in found}
    rescored = {p for p, *_ in pairs}
    fixed: dict[str, tuple[str, float]] = {}
    for s in found:  # publications the model does not touch keep the rules' answer
        key = key_of[s.publication]
        if s.publication not in rescored and (key not in fixed or s.trust > fixed[key][1]):
            fixed[key] = (s.target, s.trust)
    x = np.array([[v[f] for f in FEATURES] for _, _, v, _ in pairs])
    y = np.array([int(c == labels.get(key_of[p], ("", ""))[0]) for p, c, _, _ in pairs])
    groups = [p for p, *_ in pairs]
    print(f"{len(labels)} publications, {len(rescored)} re-scored by the cues, {len(pairs)} pairs, {int(y.sum())} right pairs")
    model = fit(x, y, groups)

    by_pub: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by_pub[g].append(i)

    def tops(model_of) -> dict[str, tuple[str, float]]:
        best = {k: ("", 0.0) for k in labels} | dict(fixed)
        for p, rows in by_pub.items():
            trusts = model_of(p).trusts([dict(zip(FEATURES, x[i])) for i in rows])
            for i, t in zip(rows, trusts):
                t = max(t, pairs[i][3])
                k = key_of[p]
                if t > best[k][1] or best[k][0] == "":
                    best[k] = (pairs[i][1], t)
        return best

    loo = {p: fit(x[keep], y[keep], [groups[i] for i in keep])
           for p in rescored for keep in [[i for i, g in enumerate(groups) if g != p]]}
    fold_of = community_folds(labels, args.folds)
    pub_fold = {p: fold_of.get(key_of[p], -1) for p in rescored}
    by_fold = {}
    for f in range(args.folds):
        keep = [i for i, g in enumerate(groups) if pub_fold[g] != f]
        by_fold[f] = fit(x[keep], y[keep], [groups[i] for i in keep])
    runs = {"in-sample": tops(lambda p: model),
            "leave-one-publication-out": tops(lambda p: loo[p]),
            f"grouped {args.folds}-fold by community": tops(lambda p: by_fold[pub_fold[p]])}
    report = {}
    for name, top in runs.items():
        report[name] = figures(top, labels)
        print(f"{name}: {line(report[name])}")
    if args.failures:
        grouped = lambda p: by_fold[pub_fold[p]]  # noqa: E731
        rows = failure_rows(labels, titles, key_of, fixed, by_pub, pairs, x, grouped)
        args.failures.write_text(failure_table(rows), encoding="utf-8")
        print("misses by class (grouped CV):", json.dumps(dict(sorted(_count(rows).items()))))
    if args.show:
        top = runs["leave-one-publication-out"]
        for k in sorted(labels, key=lambda k: titles.get(k, k)):
            got, t = top[k]
            if got != labels[k][0] or t < DEFAULT_MIN_TRUST:
                mark = "WRONG" if got != labels[k][0] else "LOW"
                print(f"  {mark} {t:.3f} {titles.get(k, k)[:70]!r}\n      gold {labels[k][0].rsplit('/', 1)[-1]}  got {got.rsplit('/', 1)[-1]}")
    coefficients = {"intercept": round(model.intercept, 3), "scale": round(model.scale, 3), "margin": round(model.margin, 3),
                    **{f: round(w, 3) for f, w in model.coefficients.items()}}
    print("coefficients:", json.dumps(coefficients))
    if args.json:
        args.json.write_text(json.dumps({"figures": report, "coefficients": coefficients}, indent=1) + "\n", encoding="utf-8")
    if args.write:
        names = ", ".join(str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in sets)
        MODEL_PATH.write_text(json.dumps({
            "fitted_on": f"{names}: {len(labels)} publications, {len(pairs)} pairs "
                         f"(scripts/fit_pubs_trust.py: conditional logit, L2 C={C}, then Platt scaling on score and margin)",
            "intercept": round(model.intercept, 4),
            "scale": round(model.scale, 4),
            "margin": round(model.margin, 4),
            "coefficients": {f: round(w, 4) for f, w in model.coefficients.items()},
            "figures": {name: line(f) for name, f in report.items()}}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
