"""The register's answers computed in plain Python from the CSV tables, as an oracle for the store.

The saved queries answer from the store by SPARQL; these functions answer the same questions from
``data/*.csv`` with the ``csv`` module and no RDF at all, so a test comparing the two fails when the
mapping, the inference or a query is wrong, and keeps holding when the register grows.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"

TYPE_CLASSES = {"CoE": "CentreOfExpertise", "CIV": "CentrumInnovatiefVakmanschap", "Fieldlab": "Fieldlab",
                "Skillslab": "Skillslab", "LivingLab": "LivingLab", "Lectoraat": "Lectoraat",
                "Practoraat": "Practoraat", "Other": "OtherLearningCommunity", "Campus": "Campus",
                "PracticeCentre": "PracticeCentre", "RIF": "RegionalInvestmentFundProject",
                "ExpertiseCentre": "ExpertiseCentre", "InnovationHub": "InnovationHub",
                "LearningNetwork": "LearningNetwork"}
"""The ``type`` codes of the communities table and the local names of their classes."""


def rows(name: str) -> list[dict[str, str]]:
    path = next(DATA.rglob(name))
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def split(cell: str) -> list[str]:
    return [v.strip() for v in (cell or "").split(";") if v.strip()]


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


@lru_cache(maxsize=None)
def communities() -> tuple[dict[str, str], ...]:
    return tuple(rows("learning_communities.csv"))


def type_counts() -> Counter[str]:
    """Communities per class local name (e.g. ``CentreOfExpertise``)."""
    return Counter(TYPE_CLASSES[r["type"]] for r in communities())


def _topsector_keys() -> dict[str, str]:
    """Every name and alternative label of a topsector (plain form) to its key."""
    keys: dict[str, str] = {}
    for r in rows("topsectors.csv"):
        for label in [r["key"], r["name_nl"], r["name_en"], *split(r["alt_labels"])]:
            keys[_plain(label)] = r["key"]
    return keys


def challenge_key(label: str) -> str:
    """The key of the challenge one of whose labels is ``label`` (case and accents ignored)."""
    for r in rows("impact_domains.csv"):
        labels = [r["key"], r["label_nl"], r["label_en"], *split(r["alt_labels_nl"]), *split(r["alt_labels_en"])]
        if r["kind"] == "challenge" and _plain(label) in {_plain(x) for x in labels}:
            return r["key"]
    raise KeyError(label)


def serves(community: dict[str, str], challenge: str, involved: bool = False) -> bool:
    """The headline's rule: the source names the challenge, or a topsector of the community leads it."""
    domain = next(r for r in rows("impact_domains.csv") if r["key"] == challenge)
    topsectors = {_topsector_keys()[_plain(t)] for t in split(community["topsectors"])}
    wanted = set(split(domain["lead_topsectors"])) | (set(split(domain["involved_topsectors"])) if involved else set())
    named = any(challenge_key(c) == challenge for c in split(community["societal_challenge"]))
    return named or bool(topsectors & wanted)


def provinces_lacking(challenge_label: str, types: list[str], involved: bool = False) -> list[str]:
    """Dutch names of the provinces with no community of ``types`` (codes) serving the challenge, sorted
    case- and accent-insensitively like the saved query."""
    challenge = challenge_key(challenge_label)
    served = {r["province"] for r in communities()
              if r["type"] in types and r["province"] and serves(r, challenge, involved)}
    names = [r["name_nl"] for r in rows("provinces.csv") if r["name_nl"] not in served]
    return sorted(names, key=lambda n: (_plain(n), n))


def started(after: int, until: int, types: tuple[str, ...] | None = None) -> int:
    """Communities (of ``types`` codes, or all) with a start year in (after, until]."""
    return sum(1 for r in communities() if r["start_year"] and after < int(r["start_year"]) <= until
               and (types is None or r["type"] in types))


def undated(types: tuple[str, ...] | None = None) -> int:
    return sum(1 for r in communities() if not r["start_year"] and (types is None or r["type"] in types))
