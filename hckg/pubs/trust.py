"""One trust per (publication, community) from all cues: a logistic regression whose coefficients are in the repo.

Features of a pair (``features``), each in [0, 1]:

| feature | value |
| --- | --- |
| ``rule`` | trust of a name, acronym, lectoraat, grant or ROR rule (``suggest``), else 0 |
| ``text`` | trust of the TF-IDF text match (``suggest.text_trust``), else 0 |
| ``author`` / ``lead`` / ``partner`` / ``name`` / ``core`` | specificity of that cue (``cues``): 1, or 1/n when it points at n communities |
| ``topic`` | BM25 score as a share of the publication's best (``topic``) |
| ``topic_top`` | 1 when the community is the publication's best by topic |
| ``before_start`` | 1 when the publication is older than the community |
| ``conflict`` | 1 for the community only the topic points to while author/institution/name cues point at others |
| ``inst_topic`` | 1 for the community the topic ranks best among those an institution cue (lead, partner) points at (``institution_topic_top``): a hogeschool leads ten communities or more, and its cue alone cannot choose |

trust = 1 / (1 + exp(-(intercept + scale·s + margin·(s - s_rival)))), s = Σ coefficient × feature,
s_rival the best score of the publication's other candidates (``Model``), rounded to three decimals.
The numbers (``trust_model.json``) are fitted by ``scripts/fit_pubs_trust.py`` on the real labelled set
(both halves of tests/pubs_real and the spent round-2 set tests/pubs_real/fresh; never tests/pubs_real/fresh3,
the round-3 held-out set); that file records what it was fitted on
and the cross-validated figures.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .cues import Cue
from .topic import Topic

MODEL_PATH = Path(__file__).with_name("trust_model.json")
FEATURES = ("rule", "text", "author", "lead", "partner", "name", "core", "topic", "topic_top", "before_start", "conflict", "inst_topic")
NEW_CUES = frozenset({"author", "lead", "partner", "name", "core"})
"""Cues beyond the rules: a publication without any of them keeps the rules' trust unchanged."""
AGAINST_CUES = "author/institution/name cues point to another community"
"""Said of the community a topic alone points to, against others' cues: the ``conflict`` feature is 1 for it."""
RULE_METHODS = frozenset({"NameRule", "AcronymRule", "LectoraatRule", "GrantRule", "AffiliationRule"})


@dataclass(frozen=True)
class Model:
    """trust = 1 / (1 + exp(-(intercept + scale·s + margin·(s - s_rival)))), s = Σ coefficient × feature.

    ``s_rival`` is the best score among the publication's other candidates (0, no evidence, when it has
    none or all score lower): a community that stands well clear of the next one is more likely right
    than one that leads by a hair, so the margin is calibrated too. ``scale`` 1 and ``margin`` 0 give the
    plain logistic regression of one pair.
    """

    intercept: float
    coefficients: dict[str, float]
    fitted_on: str = ""
    scale: float = 1.0
    margin: float = 0.0

    def score(self, x: dict[str, float]) -> float:
        return sum(self.coefficients.get(f, 0.0) * x.get(f, 0.0) for f in FEATURES)

    def trust(self, x: dict[str, float], rival: float = 0.0) -> float:
        """Trust of one pair; ``rival`` is the best score (``score``) of the publication's other candidates."""
        s = self.score(x)
        logit = self.intercept + self.scale * s + self.margin * (s - max(rival, 0.0))
        return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit)))), 3)

    def trusts(self, xs: list[dict[str, float]]) -> list[float]:
        """Trust of each candidate of one publication, each against the best of the others."""
        scores = [self.score(x) for x in xs]
        return [self.trust(x, max((t for j, t in enumerate(scores) if j != i), default=0.0)) for i, x in enumerate(xs)]


def load(path: Path = MODEL_PATH) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(float(data["intercept"]), {f: float(data["coefficients"].get(f, 0.0)) for f in FEATURES},
                 str(data.get("fitted_on", "")), float(data.get("scale", 1.0)), float(data.get("margin", 0.0)))


def institution_topic_top(cues: dict[str, list[Cue]], topics: dict[str, Topic]) -> str | None:
    """Of the communities an institution cue points at, the one the topic ranks best (sharing a term), else None.

    A hogeschool leads ten communities or more, so its cue alone cannot choose; the topic chooses among them.
    """
    pointed = [iri for iri, found in cues.items() if any(c.kind in ("lead", "partner") for c in found)]
    scored = [(topics[iri].score, iri) for iri in pointed if iri in topics and topics[iri].score > 0]
    return max(scored)[1] if scored else None


def features(method: str, old_trust: float, cues: list[Cue], topic: Topic | None, conflict: bool,
             inst_topic: bool = False) -> dict[str, float]:
    """The feature vector of one pair; ``method``/``old_trust`` are the rules' best for it ("" / 0 if none)."""
    x = {f: 0.0 for f in FEATURES}
    if method in RULE_METHODS:
        x["rule"] = old_trust
    elif method == "TextSimilarity":
        x["text"] = old_trust
    for cue in cues:
        if cue.kind in x:
            x[cue.kind] = max(x[cue.kind], cue.value)
    if topic is not None:
        x["topic"] = topic.share
        x["topic_top"] = 1.0 if topic.rank == 1 else 0.0
    x["conflict"] = 1.0 if conflict else 0.0
    x["inst_topic"] = 1.0 if inst_topic else 0.0
    return x


def conflicts(cues: dict[str, list[Cue]], topics: dict[str, Topic], ruled: set[str] = frozenset()) -> dict[str, str]:
    """Community → why its cues disagree with another community's, for the evidence.

    Author, institution and name cues of specificity 0.5 or more, and the name/lectoraat/grant rules
    (``ruled``), point at a set S; the topic at its best community T (when it shares two terms or more).
    When T is not in S, every community in S and T itself are in conflict.

    >>> from .cues import Cue
    >>> from .topic import Topic
    >>> sorted(conflicts({"A": [Cue("author", 1.0, "")]}, {"B": Topic(3.0, 1.0, 1, ("x", "y"))}))
    ['A', 'B']
    >>> conflicts({"A": [Cue("author", 1.0, "")]}, {"A": Topic(3.0, 1.0, 1, ("x", "y"))})
    {}
    """
    pointed = {iri for iri, found in cues.items() if any(c.kind in NEW_CUES and c.value >= 0.5 for c in found)}
    pointed |= set(ruled)
    top = next((iri for iri, t in topics.items() if t.rank == 1 and len(t.shared) >= 2), None)
    if not pointed or top is None or top in pointed:
        return {}
    said = {iri: f"conflict: the topic points to another community ({top})" for iri in pointed}
    said[top] = f"conflict: {AGAINST_CUES} (" + ", ".join(sorted(pointed)) + ")"
    return said
