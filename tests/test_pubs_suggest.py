"""hckg.pubs.suggest and hckg.pubs.profiles: rules first, then TF-IDF; trust and evidence on every suggestion.

Communities and publications here are synthetic (example.org IRIs, made-up names), except where the
test reads the real register through the store built from data/.
"""

from __future__ import annotations

import pytest

from hckg.pubs.profiles import Community, PublicationText, communities, name_variants
from hckg.pubs.suggest import suggest, text_trust
from hckg.store import open_store

from pubs_helpers import pubs_template  # noqa: F401  (fixture)

EX = "https://example.org/hckg-synthetic/community/"


def community(key: str, label: str, **extra) -> Community:
    names, acronyms = name_variants(label)
    c = Community(EX + key, label, names, acronyms, **extra)
    return c


ALPHA = community("alpha", "Centre of Expertise Alpha Zorg (CEAZ)", profile=["Gezondheid en Zorg", "Health and Care", "Utrecht"])
BETA = community("beta", "Fieldlab Beta Robotics", profile=["High Tech Systemen en Materialen", "robotics", "Delft"])
LECT = community("lect", "Lectoraat Synthetic Soil Science", core="synthetic soil science",
                 leads={"example hogeschool"}, lead_rors={"0uuuuuu00"}, profile=["Agri & Food"])
ALL = [ALPHA, BETA, LECT]


def pub(**fields) -> PublicationText:
    return PublicationText("https://w3id.org/hckg/id/publication/t-x-2020-00000000", doi="10.5555/x", **fields)


def test_a_community_named_in_the_abstract_is_suggested_by_the_name_rule():
    [top, *_] = suggest([pub(title="A study", abstract="Work done at the centre of expertise alpha zorg in 2020.")], ALL, {})
    assert (top.target, top.method, top.trust) == (EX + "alpha", "NameRule", 0.95)
    assert "centre of expertise alpha zorg" in top.evidence


def test_an_acronym_counts_only_as_written():
    assert suggest([pub(title="Results of CEAZ pilots")], ALL, {})[0].method == "AcronymRule"
    assert all(s.method != "AcronymRule" for s in suggest([pub(title="results of ceaz pilots")], ALL, {}))


def test_the_lectoraat_rule_needs_the_lead_institution_and_the_lectoraat_name():
    both = pub(title="Soil", affiliations=["Example Hogeschool, research group Synthetic Soil Science"])
    only_topic = pub(title="Soil", affiliations=["Other School, research group Synthetic Soil Science"])
    assert suggest([both], ALL, {})[0].method == "LectoraatRule"
    assert all(s.method != "LectoraatRule" for s in suggest([only_topic], ALL, {}))


def test_a_grant_number_of_a_grant_for_the_community_links_it():
    [top, *_] = suggest([pub(title="Unrelated words", grants=["EXAMPLE-GRANT-9"])], ALL, {"EXAMPLE-GRANT-9": {EX + "beta"}})
    assert (top.target, top.method, top.trust) == (EX + "beta", "GrantRule", 0.9)


def test_a_ror_affiliation_with_the_lead_institution_is_weak_evidence():
    found = {s.target: s for s in suggest([pub(title="Unrelated words", rors=["0uuuuuu00"])], ALL, {})}
    assert (found[EX + "lect"].method, found[EX + "lect"].trust) == ("AffiliationRule", 0.5)


def test_text_similarity_ranks_the_topical_community_first_below_every_rule():
    [top, *_] = suggest([pub(title="Robotics in Delft", abstract="Robotics field lab for high tech operators in Delft.")], ALL, {})
    assert (top.target, top.method) == (EX + "beta", "TextSimilarity")
    assert top.trust <= 0.8 and "robotics" in top.evidence


def test_suggestions_come_best_first_per_publication_and_min_trust_filters():
    text = pub(title="CEAZ and robotics in Delft", abstract="Robotics field lab for high tech operators in Delft.")
    found = suggest([text], ALL, {})
    assert [s.trust for s in found] == sorted((s.trust for s in found), reverse=True)
    assert [s.method for s in suggest([text], ALL, {}, min_trust=0.9)] == ["AcronymRule"]


@pytest.mark.parametrize(("score", "rival", "trust"), [(0.3, 0.0, 0.8), (0.2, 0.2, 0.4), (0.3, 0.1, 0.6), (0.025, 0.0, 0.4)])
def test_text_trust_is_the_share_of_the_two_best_cosines_damped_below_the_noise_floor(score, rival, trust):
    assert text_trust(score, rival) == trust


def test_the_real_register_gives_acronyms_and_drops_shared_or_generic_names(pubs_template):
    store = open_store(pubs_template)
    found = {c.iri.rsplit("/", 1)[-1]: c for c in communities(store)}
    assert "CELTH" in found["centre-of-expertise-leisure-tourism-hospitality-celth"].acronyms
    assert not any("RIF" in c.acronyms for c in found.values())  # three communities carry (RIF)
    fontys = found["fontys-centre-of-expertise-htsm-high-tech-systems-and-materials"]
    assert "high tech systems and materials" not in fontys.names  # the top sector's English name
    assert "roc mondriaan" not in found["practoraat-e-zorg-roc-mondriaan"].names  # a lead institution
    assert found["lectoraat-food-physics"].core == "food physics"
