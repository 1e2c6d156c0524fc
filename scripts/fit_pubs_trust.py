"""Fit the publication linker's trust model (hckg/pubs/trust_model.json) on the development half of the real set.

    .venv/bin/python scripts/fit_pubs_trust.py [--set tests/pubs_real/dev] [--write]

Builds a throw-away store from data/, imports the development records, collects the features of every
(publication, community) pair the cues re-score (``suggest.combine``), labels each pair right or wrong
from the records' ``hckg_community`` field, and fits a conditional logit (which community of a
publication's candidates is right) followed by Platt scaling, so trust is a calibrated probability
1 / (1 + exp(-(b + a·(w·x)))); the product a·w is stored as the coefficients.
It prints the in-sample figures and a leave-one-publication-out figure (each publication scored by a
model fitted without it), the honest estimate on unseen records. ``--write`` stores the coefficients.
Never point it at the held-out half: that half is run once, with ``hckg pubs eval``, at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
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
from hckg.pubs.suggest import DEFAULT_MIN_TRUST  # noqa: E402
from hckg.pubs.trust import FEATURES, MODEL_PATH, Model  # noqa: E402

C = 1.0
"""L2 strength of both steps: the development half has tens of publications, so coefficients are kept modest."""


def conditional_logit(x: np.ndarray, y: np.ndarray, groups: list[str]) -> np.ndarray:
    """Weights w maximising Σ_publications log softmax(w·x)[right pair] - |w|²/(2C) (McFadden's conditional logit).

    It learns what puts the right community first among a publication's candidates; publications
    whose right community is not among the candidates carry no information and are left out.
    """
    index: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        index[g].append(i)
    blocks = [np.array(rows) for rows in index.values() if y[rows].sum() == 1]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = (w @ w) / (2 * C), w / C
        for rows in blocks:
            s = x[rows] @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            right = y[rows] == 1
            total -= float(s[right][0] - s.max() - np.log(np.exp(s - s.max()).sum()))
            grad = grad - (x[rows][right][0] - p @ x[rows])
        return total, grad

    # Disagreeing cues and a year before the community started may only lower trust (the rule).
    bounds = [(None, 0.0) if f in ("conflict", "before_start") else (None, None) for f in FEATURES]
    return minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds).x


def fit(x: np.ndarray, y: np.ndarray, groups: list[str]) -> Model:
    """Conditional logit for the ranking, then Platt scaling (a 1-D logistic regression) for calibrated trust."""
    w = conditional_logit(x, y, groups)
    score = (x @ w).reshape(-1, 1)
    platt = LogisticRegression(C=C, max_iter=1000).fit(score, y)
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    return Model(b, {f: a * float(v) for f, v in zip(FEATURES, w)})


def figures(top: dict[str, tuple[str, float]], labels: dict[str, tuple[str, str]], threshold: float) -> str:
    answered = [k for k, (_, t) in top.items() if t >= threshold]
    right = sum(top[k][0] == labels[k][0] for k in answered)
    precision = right / len(answered) if answered else 0.0
    return f"first right {right}/{len(labels)} at {threshold}, precision {precision:.3f} ({right}/{len(answered)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=ROOT / "tests" / "pubs_real" / "dev")
    parser.add_argument("--write", action="store_true", help="write hckg/pubs/trust_model.json")
    args = parser.parse_args()
    if "heldout" in str(args.set):
        sys.exit("refused: the model is fitted on the development half only")
    pairs: list[tuple[str, str, dict[str, float], float]] = []
    settings = replace(Settings.from_env(), data_dir=ROOT / "data")
    found, labels = run(settings, args.set, seen=lambda p, c, x, floor: pairs.append((p, c, x, floor)))
    key_of = {s.publication: label_key(s.doi if s.doi.lower() in labels else "", s.title) for s in found}
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

    def tops(score) -> dict[str, tuple[str, float]]:
        best = dict(fixed)
        for i, (p, c, _, floor) in enumerate(pairs):
            t = max(score(i), floor)
            k = key_of[p]
            if k not in best or t > best[k][1]:
                best[k] = (c, t)
        return best

    inside = tops(lambda i: model.trust(dict(zip(FEATURES, x[i]))))
    loo_models = {}
    for p in rescored:
        keep = [i for i, g in enumerate(groups) if g != p]
        loo_models[p] = fit(x[keep], y[keep], [groups[i] for i in keep]) if len(set(y[keep])) == 2 else model
    outside = tops(lambda i: loo_models[groups[i]].trust(dict(zip(FEATURES, x[i]))))
    report = {}
    for name, top in (("in-sample", inside), ("leave-one-publication-out", outside)):
        for t in (DEFAULT_MIN_TRUST, 0.0):
            line = figures(top, labels, t)
            report[f"{name} @ {t}"] = line
            print(f"{name}: {line}")
    print("coefficients:", json.dumps({"intercept": round(model.intercept, 3),
                                       **{f: round(w, 3) for f, w in model.coefficients.items()}}))
    if args.write:
        MODEL_PATH.write_text(json.dumps({
            "fitted_on": f"{args.set.relative_to(ROOT)}: {len(labels)} publications, {len(pairs)} pairs "
                         f"(scripts/fit_pubs_trust.py: conditional logit, L2 C={C}, then Platt scaling)",
            "intercept": round(model.intercept, 4),
            "coefficients": {f: round(w, 4) for f, w in model.coefficients.items()},
            "dev_figures": report}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
