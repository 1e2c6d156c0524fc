"""Words the linker knows about: kinds of community (no evidence) and Dutch → English words (for names in translation).

Both come from the store, not from a hand-written list: the kinds from the ontology's labels of
community and organisation classes, the Dutch → English words from resources labelled in both
languages (ontology terms, top sectors, challenges, technologies). Two labels of one resource with
as many content words each are aligned word by word: "Landbouw, Water & Voedsel" / "Agriculture,
Water & Food" gives landbouw → agriculture, voedsel → food. Labels of unequal length or of more than
four content words are skipped, and so is a Dutch word that gets two different English words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

DUTCH_STOP_WORDS = frozenset("""de het een en van in op te voor met aan door bij als om of uit tot over naar
    dat die dit deze zijn is was worden wordt werd hun haar hij zij we wij ze er niet ook nog al dan
    maar meer veel zo onder tussen na""".split())
STOP_WORDS = DUTCH_STOP_WORDS | ENGLISH_STOP_WORDS
COGNATE_PREFIX = 5
"""Words agreeing in their first five letters count as one: circulaire/circular, economie/economy,
productie/production. Truncation to five letters is a known stemmer for Dutch and English alike."""
COMPOUND_PART = 4
ALIGNED_WORDS = 4
"""Longer labels are sentences, whose word order differs between the languages ("Zorgen voor synergie ...")."""


def fold(text: str) -> str:
    """Case-folded, accents removed, spaces collapsed: the form names are compared in.

    >>> fold("  Fryslân  Café ")
    'fryslan cafe'
    """
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    return " ".join(plain.split())


@dataclass(frozen=True)
class Lexicon:
    kinds: frozenset[str] = frozenset()
    """Words of the names of kinds of community and organisation: "practoraat", "centre", "hogeschool"."""
    dutch_english: Mapping[str, frozenset[str]] = field(default_factory=dict)


def content_words(text: str) -> list[str]:
    """Folded words of two letters or more, stop words dropped.

    >>> content_words("Voedselproductie in een Circulaire Economie")
    ['voedselproductie', 'circulaire', 'economie']
    """
    return [w for w in re.findall(r"[^\W\d_]{2,}", fold(text)) if w not in STOP_WORDS]


def align(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Dutch word → English words, from (Dutch label, English label) pairs of equal content-word length.

    >>> align([("Landbouw, Water & Voedsel", "Agriculture, Water & Food"), ("Klimaatneutrale landbouw", "Climate-neutral farming")])
    {'landbouw': frozenset({'agriculture'}), 'voedsel': frozenset({'food'})}
    """
    found: dict[str, set[str]] = defaultdict(set)
    for nl, en in pairs:
        dutch, english = content_words(nl), content_words(en)
        if len(dutch) == len(english) <= ALIGNED_WORDS:
            for d, e in zip(dutch, english):
                if d != e:
                    found[d].add(e)
    # A word given two different translations was aligned out of order somewhere: trust neither.
    return {d: frozenset(e) for d, e in sorted(found.items()) if len(e) == 1}


def _same(dutch: str, token: str, lexicon: Lexicon) -> bool:
    if dutch == token or token in lexicon.dutch_english.get(dutch, ()):
        return True
    return min(len(dutch), len(token)) >= COGNATE_PREFIX and dutch[:COGNATE_PREFIX] == token[:COGNATE_PREFIX]


def _find(dutch: str, tokens: list[str], lexicon: Lexicon) -> list[int]:
    """Positions in tokens that render one Dutch word: the word, a translation or cognate, or its two parts."""
    whole = [i for i, t in enumerate(tokens) if _same(dutch, t, lexicon)]
    if whole:
        return whole[:1]
    for cut in range(COMPOUND_PART, len(dutch) - COMPOUND_PART + 1):
        head = _find(dutch[:cut], tokens, lexicon) if dutch[:cut] in lexicon.dutch_english else []
        tail = [i for i, t in enumerate(tokens) if _same(dutch[cut:], t, lexicon)]
        if head and tail:
            return [head[0], tail[0]]
    return []


def in_translation(name: str, text: str, lexicon: Lexicon) -> str | None:
    """The words of text that render every content word of the Dutch name, close together; None if not all do.

    A compound is split only after a Dutch word the lexicon knows ("voedsel|productie").

    >>> words = Lexicon(dutch_english={"voedsel": frozenset({"food"})})
    >>> in_translation("Voedselproductie in een Circulaire Economie", "Research group Food Production in a Circular Economy", words)
    'food production circular economy'
    >>> in_translation("Voedselproductie in een Circulaire Economie", "Food safety in the circular economy", words) is None
    True
    """
    wanted = content_words(name)
    tokens = content_words(text)
    # The rendered name must read as one phrase: a window of twice as many words as the name has.
    width = 2 * len(wanted)
    for start in range(max(1, len(tokens) - width + 1)):
        window = tokens[start:start + width]
        positions: list[int] = []
        for dutch in wanted:
            found = _find(dutch, window, lexicon)
            if not found:
                break
            positions += found
        else:
            if wanted:
                return " ".join(window[i] for i in sorted(set(positions)))
    return None
