"""Fit the publication linker's trust model (hckg/pubs/trust_model.json) on the real set, and cross-validate it.

    .venv/bin/python scripts/fit_pubs_trust.py [--set DIR ...] [--folds 5] [--show] [--write]

Builds a throw-away store from data/, imports the records of every ``--set`` folder (default: both halves
of tests/pubs_real, 101 records: the first held-out half was run once and is spent, so both are
development data now), collects the features of every (publication, community) pair the cues re-score
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

It refuses ``tests/pubs_real/fresh/``: that folder is the next held-out set, run once with
``hckg pubs eval`` after the code is final, and never read while fitting or tuning.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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

C = 1.0
"""L2 strength of both steps: the set has about a hundred publications, so coefficients are kept modest."""
REAL = ROOT / "tests" / "pubs_real"
DEFAULT_SETS = (REAL / "dev", REAL / "heldout")
FRESH = REAL / "fresh"
"""The unseen held-out set: never fitted on, never read here."""
FOLD_SEED = 19019
CALIBRATION = os.environ.get("PUBS_CALIBRATION", "margin")
"""How the Platt step is fitted: "margin" (score and margin, every pair), "pairs" (score, every pair), and
either with "-answers" (each publication's best candidate only). Kept for comparing; the default is used."""


def refuse_fresh(folder: Path) -> None:
    """Exit when ``folder`` is the fresh held-out set or lies inside it (however the path is written)."""
    path = folder.resolve()
    if path == FRESH.resolve() or FRESH.resolve() in path.parents or "fresh" in folder.parts:
        sys.exit(f"refused: {folder} is the fresh held-out set; it is run once with `hckg pubs eval`, never fitted on")


def conditional_logit(x: np.ndarray, y: np.ndarray, groups: list[str]) -> np.ndarray:
    """Weights w maximising Σ_publications log softmax(w·x)[right pair] - |w|²/(2C) (McFadden's conditional logit).

    It learns what puts the right community first among a publication's candidates; publications
    whose right community is not among the candidates carry no information and are left out.
    """
    index: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        index[g].append(i)
    blocks = [(x[rows], y[rows] == 1) for rows in map(np.array, index.values()) if y[rows].sum() == 1]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = (w @ w) / (2 * C), w / C
        for xb, right in blocks:
            s = xb @ w
            top = s.max()
            e = np.exp(s - top)
            p = e / e.sum()
            total -= float(s[right][0] - top - np.log(e.sum()))
            grad = grad - (xb[right][0] - p @ xb)
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
    for rows in index.values():
        for i in rows:
            out[i] = max([0.0, *(score[j] for j in rows if j != i)])
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


def gather(sets: list[Path], settings: Settings, work: Path) -> Path:
    """One folder holding every set's publication files (prefixed by the set's name), for one store."""
    for folder in sets:
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in READERS or path.suffix == ".ttl":
                shutil.copy(path, work / f"{folder.name}-{path.name}")
    return work


FRESH3 = REAL / "fresh3"
"""The round-3 held-out set (collected 3 December 2026 for the final measurement): never fitted on, never read here."""


def refuse_round3(folders: list[Path]) -> None:
    """Exit when a folder is the round-3 held-out set, lies inside it or names it (``..``, ``./``, absolute, a file).

    Kept apart from ``refuse_fresh`` on purpose: whether round 2 (fresh/) may be fitted on is decided
    separately; round 3 is refused whatever that decision is.
    """
    for folder in folders:
        path = folder.resolve()
        if path == FRESH3.resolve() or FRESH3.resolve() in path.parents or "fresh3" in folder.parts:
            sys.exit(f"refused: {folder} is the round-3 held-out set (tests/pubs_real/fresh3); "
                     "it is run once with `hckg pubs eval`, never fitted on")

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", help="labelled folder (repeatable); default: both halves of tests/pubs_real")
    parser.add_argument("--folds", type=int, default=5, help="grouped k-fold by gold community")
    parser.add_argument("--show", action="store_true", help="list the records the cross-validated models get wrong")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    parser.add_argument("--write", action="store_true", help="write hckg/pubs/trust_model.json")
    args = parser.parse_args()
    refuse_round3(args.set or [])
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
