"""Topic cue: BM25 of a publication's words against each community's profile text.

The publication's words (``suggest.combine``) are its title, abstract, keywords, series/venue and the words
of its URL's path (``suggest.url_path_words``: pages are filed under their subject).

A community's profile is what the store says of it in words: names, description (nl and en),
top sectors, societal challenge, key technologies (their Dutch and English labels). Words are
folded, stop words and kind words ("hogeschool", "centre") dropped, and cut to their first six
letters (``TOPIC_PREFIX``), which makes Dutch and English cognates one term (circulaire/circular,
economie/economy). A Dutch word the lexicon knows also adds its English word.

Six, not the lexicon's five (``lexicon.COGNATE_PREFIX``): at five letters "Amsterdam" and "Amstelhuis"
were one term, and a topic match on it put a living lab ahead of its centre. On the real set (101
records, scripts/fit_pubs_trust.py) six letters gave 75/101 first right at 0.5 leave-one-out and 75/101
grouped by community, against 74 and 75 at five (at threshold 0: 82 and 80 against 81 and 79); seven
letters and a Dutch Snowball stemmer (snowballstemmer, tried and not kept: one more dependency) were
within one to four records of it either way, which on 101 records is noise.

BM25 (Robertson & Zaragoza's Okapi weighting, k1 = 1.2, b = 0.75) ranks the communities for one
publication; ``Topic.share`` is a score as a share of the best, so 1.0 is the top community.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .lexicon import COGNATE_PREFIX, STOP_WORDS, Lexicon, fold

K1, B = 1.2, 0.75
TOPIC_PREFIX = COGNATE_PREFIX + 1


def terms(text: str, lexicon: Lexicon = Lexicon()) -> list[str]:
    """Folded, stemmed content words (three letters or more) of text, with known English renderings.

    >>> terms("Circulaire economie in de bouw")
    ['circul', 'econom', 'bouw']
    """
    found: list[str] = []
    for word in re.findall(r"[^\W\d_]{3,}", fold(text)):
        if word in STOP_WORDS or word in lexicon.kinds:
            continue
        found.append(word[:TOPIC_PREFIX])
        found += [e[:TOPIC_PREFIX] for e in sorted(lexicon.dutch_english.get(word, ())) if e[:TOPIC_PREFIX] != word[:TOPIC_PREFIX]]
    return found


@dataclass(frozen=True)
class Topic:
    score: float
    share: float
    """score / best score of this publication (1.0 for the best community; 0 when nothing is shared)."""
    rank: int
    """1 for the best community."""
    shared: tuple[str, ...]
    """Shared terms, strongest first (stems)."""


class TopicIndex:
    """BM25 over community profiles, built once and queried per publication."""

    def __init__(self, profiles: dict[str, str], lexicon: Lexicon = Lexicon()) -> None:
        self.lexicon = lexicon
        self.docs = {iri: Counter(terms(text, lexicon)) for iri, text in profiles.items()}
        self.lengths = {iri: sum(c.values()) for iri, c in self.docs.items()}
        self.average = (sum(self.lengths.values()) / len(self.lengths)) if self.lengths else 1.0
        frequency = Counter(t for c in self.docs.values() for t in c)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequency.items()}

    def rank(self, text: str) -> dict[str, Topic]:
        """Topic of text for every community sharing a term with it (others are absent)."""
        query = set(terms(text, self.lexicon))
        scored: dict[str, tuple[float, list[tuple[float, str]]]] = {}
        for iri, doc in self.docs.items():
            parts = []
            norm = K1 * (1 - B + B * self.lengths[iri] / self.average)
            for t in query:
                tf = doc.get(t, 0)
                if tf:
                    parts.append((self.idf[t] * tf * (K1 + 1) / (tf + norm), t))
            if parts:
                scored[iri] = (sum(p for p, _ in parts), sorted(parts, reverse=True))
        if not scored:
            return {}
        best = max(s for s, _ in scored.values())
        order = sorted(scored, key=lambda i: -scored[i][0])
        return {iri: Topic(round(scored[iri][0], 4), round(scored[iri][0] / best, 4) if best else 0.0, position,
                           tuple(t for _, t in scored[iri][1]))
                for position, iri in enumerate(order, start=1)}
