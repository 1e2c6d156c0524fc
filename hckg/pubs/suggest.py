"""Suggest links from publications to learning communities: rules first, then TF-IDF similarity.

Each suggestion carries a trust score and its evidence, like OpenAIRE's tagging of research products
to communities. Trust is fixed per rule (how often such a match is right, judged by hand, not fitted):

| method | trust | fires when |
| --- | --- | --- |
| NameRule | 0.95 | the community's name (or another name of it) is written in the record |
| AcronymRule | 0.90 | its acronym, which no other community has, is written as is |
| LectoraatRule | 0.90 / 0.85 | its lead institution and its lectoraat/practoraat name are both written (0.85: the name in English, ``lexicon.in_translation``) |
| GrantRule | 0.90 | the record cites a grant number of a grant for the community (hckg:grantFor) |
| AffiliationRule | 0.50 / 0.30 | an author's ROR is the lead institution's (0.30 when it leads several) |
| TextSimilarity | <= 0.80 | TF-IDF cosine of title, abstract, keywords and affiliations with the community's profile, as a share of the two best, halved on one shared word (``text_trust``) |

| AuthorRule / InstitutionRule | fitted | with the store's facts (``combine``): an author in a role at the community / the publisher, series, affiliation or URL host is its lead or partner; trust from ``trust_model.json`` |

A name found inside a longer name of another community counts for the longer one only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from .lexicon import DUTCH_STOP_WORDS, Lexicon, in_translation, fold
from . import trust
from .cues import CueFinder, Facts
from .profiles import Community, PublicationText
from .topic import TopicIndex
from .trust import Model

Seen = Callable[[str, str, dict[str, float], float], None]

DEFAULT_MIN_TRUST = 0.5
TRUST = {"NameRule": 0.95, "AcronymRule": 0.90, "LectoraatRule": 0.90, "GrantRule": 0.90}
TRANSLATED_LECTORAAT_TRUST = 0.85
TEXT_TRUST_CAP = 0.80
TEXT_CANDIDATES = 3
TEXT_NOISE_FLOOR = 0.05
TEXT_MIN_TERMS = 2
PROFESSORSHIP = re.compile(r"\b(lectoraat|lectorate|lector|practoraat|practorate|professorship|research group|kenniscentrum)\b",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Suggestion:
    publication: str
    doi: str
    title: str
    target: str
    target_name: str
    trust: float
    method: str
    evidence: str


def _word(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(needle)}(?![\w])")


@dataclass
class _Hit:
    community: Community
    method: str
    trust: float
    evidence: str
    span: tuple[int, int] | None = None


def _name_hits(pub: PublicationText, communities: list[Community]) -> list[_Hit]:
    text = pub.text
    folded = fold(text)
    hits: list[_Hit] = []
    for c in communities:
        for name in sorted(c.names, key=len, reverse=True):
            match = _word(name).search(folded)
            if match:
                hits.append(_Hit(c, "NameRule", TRUST["NameRule"], f"name {name!r} in the record", match.span()))
                break
        for acronym in sorted(c.acronyms):
            match = _word(acronym).search(text)
            if match:
                method = "NameRule" if acronym in c.words else "AcronymRule"
                hits.append(_Hit(c, method, TRUST[method], f"{'acronym' if method == 'AcronymRule' else 'name'} "
                                 f"{acronym!r} in the record", None))
                break
    # A name inside a longer name of another community (e.g. inside its full label) counts for that one only.
    spans = [(h.span, h.community.iri) for h in hits if h.span]
    return [h for h in hits if not h.span or not any(
        other != h.community.iri and s[0] <= h.span[0] and h.span[1] <= s[1] and s != h.span for s, other in spans)]


def _lectoraat_hits(pub: PublicationText, communities: list[Community], lexicon: Lexicon) -> list[_Hit]:
    """Lead institution and lectoraat name both written; the name may be in English (0.85, ``in_translation``)."""
    folded = fold(pub.text)
    if not PROFESSORSHIP.search(folded):
        return []
    hits = []
    for c in communities:
        lead = next((l for l in sorted(c.leads, key=len, reverse=True) if len(l) >= 4 and _word(l).search(folded)), None)
        if not c.core or not lead:
            continue
        if _word(c.core).search(folded):
            hits.append(_Hit(c, "LectoraatRule", TRUST["LectoraatRule"],
                             f"lead institution {lead!r} with lectoraat/practoraat {c.core!r}"))
        elif rendered := in_translation(c.core, pub.text, lexicon):
            hits.append(_Hit(c, "LectoraatRule", TRANSLATED_LECTORAAT_TRUST,
                             f"lead institution {lead!r} with lectoraat/practoraat {c.core!r} in translation: {rendered!r}"))
    return hits


def _grant_hits(pub: PublicationText, by_grant: dict[str, set[str]], index: dict[str, Community]) -> list[_Hit]:
    return [_Hit(index[iri], "GrantRule", TRUST["GrantRule"], f"grant {number!r} is for this community")
            for number in pub.grants for iri in sorted(by_grant.get(number.strip(), ())) if iri in index]


def _ror_hits(pub: PublicationText, communities: list[Community]) -> list[_Hit]:
    led = Counter(r for c in communities for r in c.lead_rors)
    return [_Hit(c, "AffiliationRule", 0.5 if led[ror] == 1 else 0.3,
                 f"author affiliation https://ror.org/{ror} is the lead institution"
                 + ("" if led[ror] == 1 else f" (which leads {led[ror]} communities)"))
            for c in communities for ror in sorted(set(pub.rors) & c.lead_rors)]


def _text_hits(pubs: list[PublicationText], communities: list[Community],
               kinds: frozenset[str]) -> dict[str, list[_Hit]]:
    """TF-IDF over communities and publications together; cosine of each publication with each community.

    Words naming a kind of community or organisation (``kinds``) are stop words: sharing
    "practoraat" or "hogeschool" says nothing about which community a record is about.
    """
    if not pubs or not communities:
        return {}
    vectorizer = TfidfVectorizer(strip_accents="unicode", lowercase=True, ngram_range=(1, 2), sublinear_tf=True,
                                 stop_words=sorted(ENGLISH_STOP_WORDS | DUTCH_STOP_WORDS | kinds))
    matrix = vectorizer.fit_transform([c.text for c in communities] + [p.text for p in pubs])
    similarity = cosine_similarity(matrix[len(communities):], matrix[:len(communities)])
    vocabulary = vectorizer.get_feature_names_out()
    single = (matrix[:, [i for i, term in enumerate(vocabulary) if " " not in term]] > 0).astype(int)
    counts = (single[len(communities):] @ single[:len(communities)].T).toarray()
    found: dict[str, list[_Hit]] = {}
    for row, pub in enumerate(pubs):
        order = similarity[row].argsort()[::-1]
        # A community sharing one word with the record is a coincidence (text_trust), so it is no rival either.
        contenders = [c for c in order if counts[row, c] >= TEXT_MIN_TERMS]
        hits = []
        for col in order[:TEXT_CANDIDATES]:
            score = float(similarity[row, col])
            if score <= 0:
                continue
            others = [c for c in contenders if c != col]
            rival = float(similarity[row, others[0]]) if others else 0.0
            shared = matrix[len(communities) + row].multiply(matrix[col]).toarray().ravel()
            words = [str(vocabulary[i]) for i in shared.argsort()[::-1] if shared[i] > 0 and " " not in vocabulary[i]]
            hits.append(_Hit(communities[col], "TextSimilarity", text_trust(score, rival, len(words)),
                             f"TF-IDF cosine {score:.3f} (next best community sharing {TEXT_MIN_TERMS}+ words "
                             f"{rival:.3f}); {len(words)} shared word(s): {', '.join(words[:8])}"))
        found[pub.iri] = hits
    return found


def text_trust(score: float, rival: float, words: int = TEXT_MIN_TERMS) -> float:
    """Trust of a text match: its share of the two best cosines, damped below the noise floor.

    A raw cosine of short texts says little on its own (0.07 can be right, 0.15 wrong); what counts is
    how far the community stands out from the next one. ``score / (score + rival)`` is 1 for a lone
    match and 0.5 for a tie; scaled to at most 0.80 (below every rule), and damped when the cosine
    is under 0.05, the level of unrelated texts. Chosen after the first run on tests/pubs_eval (see
    the README's Publications section), so the evaluation set is not independent of it.

    ``words`` is how many distinct words (not type words, not stop words) the record and the
    community share. One word is one coincidence ("governance", "process"), so a lone shared word
    halves the trust, keeping it at most 0.40, under the default threshold; two or more count in full.
    For the same reason ``rival`` is the best cosine among the other communities sharing two words or more.

    >>> text_trust(0.3, 0.0), text_trust(0.1, 0.1), text_trust(0.02, 0.0), text_trust(0.3, 0.0, words=1)
    (0.8, 0.4, 0.32, 0.4)
    """
    if score <= 0:
        return 0.0
    share = score / (score + rival)
    return round(TEXT_TRUST_CAP * share * min(1.0, score / TEXT_NOISE_FLOOR) * min(1.0, words / TEXT_MIN_TERMS), 3)


def suggest(pubs: list[PublicationText], communities: list[Community], by_grant: dict[str, set[str]],
            min_trust: float = 0.0, lexicon: Lexicon = Lexicon(), facts: dict[str, Facts] | None = None,
            model: Model | None = None, seen: Seen | None = None) -> list[Suggestion]:
    """Suggestions per publication, best first; one per (publication, community), the strongest method kept.

    ``lexicon`` (``profiles.lexicon(store)``) gives the words that name kinds and the Dutch → English words.
    With ``facts`` (``cues.facts(store, communities)``) the librarian's cues (authors, institutions, names
    in publisher and URL, year) and the BM25 topic are combined with the rules by the fitted ``trust``
    model, for every publication that has one of those cues; the others keep the rules' trust.
    ``seen(publication, community, features, floor)`` is called for every re-scored pair (for fitting).
    """
    rows = _rule_suggestions(pubs, communities, by_grant, lexicon)
    if facts is not None:
        rows = combine(pubs, rows, facts, lexicon, model or trust.load(), seen)
    return [s for s in rows if s.trust >= min_trust]


def _method_of(kinds: set[str], old: Suggestion | None) -> str:
    if old is not None and old.method in trust.RULE_METHODS - {"AffiliationRule"}:
        return old.method
    if "author" in kinds:
        return "AuthorRule"
    if kinds & {"lead", "partner"}:
        return "InstitutionRule"
    if kinds & {"name", "core"}:
        return "NameRule"
    return old.method if old is not None else "TextSimilarity"


def combine(pubs: list[PublicationText], rows: list[Suggestion], found: dict[str, Facts], lexicon: Lexicon,
            model: Model, seen: Seen | None = None) -> list[Suggestion]:
    """Re-score each publication that has an author, institution or name cue with the trust model."""
    finder = CueFinder(found, lexicon.kinds)
    index = TopicIndex({iri: " ".join([f.label, *sorted(f.names), *sorted(f.acronyms), *f.description, *f.themes])
                        for iri, f in found.items()}, lexicon)
    by_pub: dict[str, list[Suggestion]] = {}
    for s in rows:
        by_pub.setdefault(s.publication, []).append(s)
    out: list[Suggestion] = []
    for pub in pubs:
        old_rows = by_pub.get(pub.iri, [])
        cues = finder.cues(pub)
        if not any(c.kind in trust.NEW_CUES for found_cues in cues.values() for c in found_cues):
            out += old_rows
            continue
        url_path = url_path_words(pub.url)
        topics = index.rank(" ".join([pub.title, pub.abstract, *pub.keywords, *pub.venue, url_path]))
        old = {s.target: s for s in old_rows}
        disagree = trust.conflicts(cues, topics, {t for t, s in old.items() if s.method in trust.RULE_METHODS - {"AffiliationRule"}})
        top_topics = [iri for iri, t in topics.items() if t.rank <= TEXT_CANDIDATES]
        candidates = [iri for iri in dict.fromkeys([*old, *cues, *top_topics]) if iri in found]
        inst_top = trust.institution_topic_top(cues, topics)
        xs = [trust.features(old[iri].method if iri in old else "", old[iri].trust if iri in old else 0.0,
                             cues.get(iri, []), topics.get(iri), trust.AGAINST_CUES in disagree.get(iri, ""),
                             iri == inst_top)
              for iri in candidates]
        new_rows = []
        for iri, x, fitted in zip(candidates, xs, model.trusts(xs)):
            before, pair_cues, topic = old.get(iri), cues.get(iri, []), topics.get(iri)
            parts = [before.evidence] if before else []
            parts += [f"{c.kind}: {c.evidence}" + (f" (1 of {round(1 / c.value)})" if c.value < 1 else "")
                      for c in pair_cues]
            if topic is not None:
                parts.append(f"topic: BM25 {topic.score:.2f} of title, abstract, series{' and URL path' if url_path else ''}, "
                             f"{topic.share:.2f} of the best (rank {topic.rank}); shared terms: {', '.join(topic.shared[:8])}")
            if iri == inst_top:
                parts.append("topic: the best of the communities the institution cues point to")
            if iri in disagree:
                parts.append(disagree[iri] + ("; trust lowered" if x["conflict"] else "; trust weighs its margin over that community"))
            # A name, lectoraat or grant rule keeps its trust unless the cues disagree.
            floor = before.trust if before is not None and before.method in trust.RULE_METHODS - {"AffiliationRule"} \
                and iri not in disagree else 0.0
            value = max(fitted, floor)
            if seen is not None:
                seen(pub.iri, iri, x, floor)
            parts.append(f"trust {value:.3f} from the fitted model ({', '.join(f'{k}={v:g}' for k, v in x.items() if v)})")
            new_rows.append(Suggestion(pub.iri, pub.doi, pub.title, iri, found[iri].label, value,
                                       _method_of({c.kind for c in pair_cues}, before), "; ".join(parts)))
        new_rows.sort(key=lambda s: (-s.trust, s.target))
        out += new_rows
    return out


def url_path_words(url: str) -> str:
    """The words of a URL's path, for the topic: pages are filed under their subject (``/stadslogistiek/...``).

    >>> url_path_words("https://www.hva.nl/urban-vitality/gedeelde-content/nieuws/stadsdorpen_2021.html")
    'urban vitality gedeelde content nieuws stadsdorpen 2021 html'
    """
    if not url:
        return ""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return ""
    return " ".join(w for w in re.split(r"[\W_]+", path) if w)


def _rule_suggestions(pubs: list[PublicationText], communities: list[Community], by_grant: dict[str, set[str]],
                      lexicon: Lexicon) -> list[Suggestion]:
    """The rules and TF-IDF alone (issue 7): one suggestion per pair, the strongest method kept."""
    min_trust = 0.0
    index = {c.iri: c for c in communities}
    text = _text_hits(pubs, communities, lexicon.kinds)
    out: list[Suggestion] = []
    for pub in pubs:
        hits = (_name_hits(pub, communities) + _lectoraat_hits(pub, communities, lexicon)
                + _grant_hits(pub, by_grant, index) + _ror_hits(pub, communities))
        ruled = {h.community.iri for h in hits}
        hits += [h for h in text.get(pub.iri, []) if h.community.iri not in ruled]
        best: dict[str, list[_Hit]] = {}
        for h in hits:
            best.setdefault(h.community.iri, []).append(h)
        rows = []
        for iri, group in best.items():
            group.sort(key=lambda h: -h.trust)
            top = group[0]
            evidence = "; ".join(dict.fromkeys(f"{h.method}: {h.evidence}" for h in group))
            rows.append(Suggestion(pub.iri, pub.doi, pub.title, iri, top.community.label, top.trust, top.method, evidence))
        rows.sort(key=lambda s: (-s.trust, s.target))
        out += [s for s in rows if s.trust >= min_trust]
    return out
