"""Suggest links from publications to learning communities: rules first, then TF-IDF similarity.

Each suggestion carries a trust score and its evidence, like OpenAIRE's tagging of research products
to communities. Trust is fixed per rule (how often such a match is right, judged by hand, not fitted):

| method | trust | fires when |
| --- | --- | --- |
| NameRule | 0.95 | the community's name (or another name of it) is written in the record |
| AcronymRule | 0.90 | its acronym, which no other community has, is written as is |
| LectoraatRule | 0.90 | its lead institution and its lectoraat/practoraat name are both written |
| GrantRule | 0.90 | the record cites a grant number of a grant for the community (hckg:grantFor) |
| AffiliationRule | 0.50 / 0.30 | an author's ROR is the lead institution's (0.30 when it leads several) |
| TextSimilarity | <= 0.80 | TF-IDF cosine of title, abstract, keywords and affiliations with the community's profile, as a share of the two best (``text_trust``) |

A name found inside a longer name of another community counts for the longer one only.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from .profiles import Community, PublicationText, fold

DEFAULT_MIN_TRUST = 0.5
TRUST = {"NameRule": 0.95, "AcronymRule": 0.90, "LectoraatRule": 0.90, "GrantRule": 0.90}
TEXT_TRUST_CAP = 0.80
TEXT_CANDIDATES = 3
TEXT_NOISE_FLOOR = 0.05
DUTCH_STOP_WORDS = frozenset("""de het een en van in op te voor met aan door bij als om of uit tot over naar
    dat die dit deze zijn is was worden wordt werd hun haar hij zij we wij ze er niet ook nog al dan
    maar meer veel zo onder tussen na""".split())
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


def _lectoraat_hits(pub: PublicationText, communities: list[Community]) -> list[_Hit]:
    folded = fold(pub.text)
    if not PROFESSORSHIP.search(folded):
        return []
    hits = []
    for c in communities:
        if not c.core or not _word(c.core).search(folded):
            continue
        lead = next((l for l in sorted(c.leads, key=len, reverse=True) if len(l) >= 4 and _word(l).search(folded)), None)
        if lead:
            hits.append(_Hit(c, "LectoraatRule", TRUST["LectoraatRule"],
                             f"lead institution {lead!r} with lectoraat/practoraat {c.core!r}"))
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


def _text_hits(pubs: list[PublicationText], communities: list[Community]) -> dict[str, list[_Hit]]:
    """TF-IDF over communities and publications together; cosine of each publication with each community."""
    if not pubs or not communities:
        return {}
    vectorizer = TfidfVectorizer(strip_accents="unicode", lowercase=True, ngram_range=(1, 2), sublinear_tf=True,
                                 stop_words=sorted(ENGLISH_STOP_WORDS | DUTCH_STOP_WORDS))
    matrix = vectorizer.fit_transform([c.text for c in communities] + [p.text for p in pubs])
    similarity = cosine_similarity(matrix[len(communities):], matrix[:len(communities)])
    vocabulary = vectorizer.get_feature_names_out()
    found: dict[str, list[_Hit]] = {}
    for row, pub in enumerate(pubs):
        order = similarity[row].argsort()[::-1]
        hits = []
        for rank, col in enumerate(order[:TEXT_CANDIDATES]):
            score = float(similarity[row, col])
            if score <= 0:
                continue
            rival = float(similarity[row, order[1] if rank == 0 else order[0]]) if len(order) > 1 else 0.0
            shared = matrix[len(communities) + row].multiply(matrix[col]).toarray().ravel()
            words = [vocabulary[i] for i in shared.argsort()[::-1][:5] if shared[i] > 0]
            hits.append(_Hit(communities[col], "TextSimilarity", text_trust(score, rival),
                             f"TF-IDF cosine {score:.3f} (next best community {rival:.3f}); shared terms: {', '.join(words)}"))
        found[pub.iri] = hits
    return found


def text_trust(score: float, rival: float) -> float:
    """Trust of a text match: its share of the two best cosines, damped below the noise floor.

    A raw cosine of short texts says little on its own (0.07 can be right, 0.15 wrong); what counts is
    how far the community stands out from the next one. ``score / (score + rival)`` is 1 for a lone
    match and 0.5 for a tie; scaled to at most 0.80 (below every rule), and damped when the cosine
    is under 0.05, the level of unrelated texts. Chosen after the first run on tests/pubs_eval (see
    the README's Publications section), so the evaluation set is not independent of it.

    >>> text_trust(0.3, 0.0), text_trust(0.1, 0.1), text_trust(0.02, 0.0)
    (0.8, 0.4, 0.32)
    """
    if score <= 0:
        return 0.0
    share = score / (score + rival)
    return round(TEXT_TRUST_CAP * share * min(1.0, score / TEXT_NOISE_FLOOR), 3)


def suggest(pubs: list[PublicationText], communities: list[Community], by_grant: dict[str, set[str]],
            min_trust: float = 0.0) -> list[Suggestion]:
    """Suggestions per publication, best first; one per (publication, community), the strongest method kept."""
    index = {c.iri: c for c in communities}
    text = _text_hits(pubs, communities)
    out: list[Suggestion] = []
    for pub in pubs:
        hits = (_name_hits(pub, communities) + _lectoraat_hits(pub, communities)
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
