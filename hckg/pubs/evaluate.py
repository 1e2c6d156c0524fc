"""Measure the linker on a labelled set: precision@1, recall, the methods behind right and wrong answers.

The set (``tests/pubs_eval/``, synthetic records about real communities) is imported into a fresh
temporary store built from ``data/``, never into the user's store. Definitions, per threshold t:

- a record's *answer* is its best suggestion with trust >= t (none when nothing reaches t);
- precision@1 = records whose answer is the expected community / records with an answer
  (an answer for a record that expects none is wrong);
- recall = records whose expected community is among its suggestions >= t / records that expect one.
"""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import rdflib

from ..gate.build import build
from ..config import PROJECT_ROOT, Settings
from ..store.oxigraph import open_store
from . import cues, profiles
from .readers import READERS
from .records import clean_text, normalise_title
from .trust import Model
from .importer import import_files
from .suggest import DEFAULT_MIN_TRUST, Seen, Suggestion, suggest
from ..gate.write import GraphWrite, digest, write_graphs

EVAL_DIR = PROJECT_ROOT / "tests" / "pubs_eval"
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass
class Scores:
    threshold: float
    answered: int
    correct: int
    expected: int
    found: int
    methods: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(method of the answer, "right" / "wrong") → records."""
    cues: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(cue of the record, method of the answer or "none") → records."""

    @property
    def precision_at_1(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 0.0


def label_key(doi: str, title: str) -> str:
    """A record's key in labels.csv: its DOI, or ``title:`` + its normalised title when it has none (real reports)."""
    return doi.strip().lower() if doi.strip() else "title:" + normalise_title(title)


def read_labels(path: Path) -> dict[str, tuple[str, str]]:
    """Record key (``label_key``) → (expected community IRI or "", cue); a ``title`` column keys records without DOI."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {label_key(row.get("doi") or "", row.get("title") or ""): (row["expected_community"], row.get("cue") or "")
                for row in csv.DictReader(handle)}


def read_bib_labels(folder: Path) -> dict[str, tuple[str, str]]:
    """Labels written into the records of a real set: the ``hckg_community`` field of each BibTeX entry.

    The importer ignores that field (it is not bibliographic), so the linker never sees it. The cue
    column is the entry type (article, misc, ...), for reading the results by kind of record.
    """
    import bibtexparser  # only the evaluation reads label fields

    found: dict[str, tuple[str, str]] = {}
    for path in sorted(folder.glob("*.bib")):
        for entry in bibtexparser.parse_string(path.read_text(encoding="utf-8")).entries:
            fields = {k.lower(): str(v.value) for k, v in entry.fields_dict.items()}
            found[label_key(fields.get("doi", ""), clean_text(fields.get("title", "")))] = (
                fields.get("hckg_community", "").strip(), entry.entry_type.lower())
    return found


def score(suggestions: list[Suggestion], labels: dict[str, tuple[str, str]], threshold: float) -> Scores:
    by_doi: dict[str, list[Suggestion]] = {}
    for s in suggestions:
        if s.trust >= threshold:
            key = s.doi.lower() if s.doi and s.doi.lower() in labels else label_key("", s.title)
            by_doi.setdefault(key, []).append(s)
    result = Scores(threshold, 0, 0, sum(1 for e, _ in labels.values() if e), 0)
    for doi, (expected, cue) in sorted(labels.items()):
        found = sorted(by_doi.get(doi, []), key=lambda s: -s.trust)
        if expected and any(s.target == expected for s in found):
            result.found += 1
        if not found:
            result.cues[(cue, "none")] += 1
            continue
        top = found[0]
        right = top.target == expected
        result.answered += 1
        result.correct += right
        result.methods[(top.method, "right" if right else "wrong")] += 1
        result.cues[(cue, top.method)] += 1
    return result


def run(settings: Settings, eval_dir: Path = EVAL_DIR, model: Model | None = None, seen: Seen | None = None
        ) -> tuple[list[Suggestion], dict[str, tuple[str, str]]]:
    """Suggestions for the labelled set, computed in a throw-away store built from ``settings.data_dir``.

    Every publication file of the folder is imported (JSON, BibTeX, RIS, oai_dc XML), marked synthetic
    like everything in the throw-away store. ``model`` replaces ``trust_model.json`` (for fitting and cross-validation).
    """
    labels = read_labels(eval_dir / "labels.csv") if (eval_dir / "labels.csv").is_file() else read_bib_labels(eval_dir)
    with tempfile.TemporaryDirectory(prefix="hckg-pubs-eval-") as tmp:
        scratch = replace(settings, store_path=Path(tmp) / "store")
        build(scratch)
        for grants in sorted(eval_dir.glob("*.ttl")):
            graph = rdflib.Graph().parse(grants, format="turtle")
            write_graphs(scratch, [GraphWrite(f"https://w3id.org/hckg/graph/pubs-eval/{grants.stem}", graph,
                                              str(grants), digest(grants.read_bytes()), synthetic=True)])
        import_files(scratch, sorted(p for p in eval_dir.iterdir() if p.suffix.lower() in READERS), synthetic=True)
        store = open_store(scratch.store_path)
        try:
            communities = profiles.communities(store)
            found = suggest(profiles.publications(store), communities, profiles.grants(store),
                            lexicon=profiles.lexicon(store), facts=cues.facts(store, communities), model=model, seen=seen)
        finally:
            store.close()
    return found, labels


def curve(suggestions: list[Suggestion], labels: dict[str, tuple[str, str]],
          thresholds: tuple[float, ...] = THRESHOLDS) -> list[Scores]:
    return [score(suggestions, labels, t) for t in sorted(set(thresholds) | {DEFAULT_MIN_TRUST})]
