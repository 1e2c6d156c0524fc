"""hckg.pubs.suggest and hckg.pubs.profiles: rules first, then TF-IDF; trust and evidence on every suggestion.

Communities and publications here are synthetic (example.org IRIs, made-up names), except where the
test reads the real register through the store built from data/.
"""

from __future__ import annotations

import pytest

from hckg.pubs.lexicon import Lexicon
from hckg.pubs.profiles import Community, PublicationText, communities, name_variants
from hckg.pubs.suggest import suggest, text_trust
from hckg.store.oxigraph import open_store


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


DUTCH = community("dutch", "Lectoraat Circulaire Voedselproductie", core="circulaire voedselproductie",
                  leads={"example hogeschool"}, profile=["Agri & Food"])
WORDS = Lexicon(dutch_english={"voedsel": frozenset({"food"})})


def test_the_lectoraat_rule_reads_the_name_in_english_translation_at_lower_trust():
    """Held-out record 039 named its lectoraat in English ("Food Production in a Circular Economy")."""
    record = pub(title="Mealworms", affiliations=["Example Hogeschool, research group Circular Food Production"])
    [top, *_] = suggest([record], [*ALL, DUTCH], {}, lexicon=WORDS)
    assert (top.target, top.method, top.trust) == (EX + "dutch", "LectoraatRule", 0.85)
    assert "in translation: 'circular food production'" in top.evidence


def test_a_translated_lectoraat_name_without_the_lead_institution_is_no_rule_match():
    record = pub(title="Mealworms", affiliations=["Other School, research group Circular Food Production"])
    assert all(s.method != "LectoraatRule" for s in suggest([record], [*ALL, DUTCH], {}, lexicon=WORDS))


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


def test_one_shared_word_is_too_little_evidence_for_a_text_link():
    """Held-out record 010 (pension-fund governance) went to "Urban Governance" at 0.800 on one shared word."""
    [top] = [s for s in suggest([pub(title="Governance of robotics pension funds")], ALL, {}) if s.target == EX + "beta"]
    assert top.method == "TextSimilarity" and top.trust <= 0.4 and "1 shared word(s): robotics" in top.evidence


def test_a_community_sharing_one_word_is_no_rival_for_the_text_link():
    record = pub(title="Robotics in Delft and Utrecht", abstract="Robotics pilots in Delft; a meeting in Utrecht.")
    found = {s.target: s for s in suggest([record], ALL, {})}
    assert "1 shared word(s): utrecht" in found[EX + "alpha"].evidence
    assert found[EX + "beta"].trust == 0.8 and "2 shared word(s)" in found[EX + "beta"].evidence


def test_words_naming_a_kind_of_community_are_no_text_evidence():
    """Held-out record 033 (an invented practoraat) went to another practoraat on "practoraat", "mbo", "roc"."""
    record = pub(title="Een fieldlab in Delft", abstract="Het fieldlab in Delft.")
    assert any(s.target == EX + "beta" for s in suggest([record], ALL, {}))
    found = suggest([record], ALL, {}, lexicon=Lexicon(kinds=frozenset({"fieldlab", "field", "lab"})))
    assert [(s.target, "1 shared word(s): delft" in s.evidence) for s in found] == [(EX + "beta", True)]


@pytest.mark.parametrize(("score", "rival", "trust"), [(0.3, 0.0, 0.8), (0.2, 0.2, 0.4), (0.3, 0.1, 0.6), (0.025, 0.0, 0.4)])
def test_text_trust_is_the_share_of_the_two_best_cosines_damped_below_the_noise_floor(score, rival, trust):
    assert text_trust(score, rival) == trust


@pytest.mark.parametrize(("words", "trust"), [(0, 0.0), (1, 0.4), (2, 0.8), (5, 0.8)])
def test_text_trust_is_halved_when_only_one_word_is_shared(words, trust):
    assert text_trust(0.3, 0.0, words) == trust


def test_a_lead_that_is_itself_a_community_keeps_that_community_its_name(pubs_template):
    found = {c.iri.rsplit("/", 1)[-1]: c for c in communities(open_store(pubs_template))}
    # CoE Healthy Ageing leads an innovatiewerkplaats, RDM CoE leads Aqua Dock: still their own names.
    assert "centre of expertise healthy ageing" in found["centre-of-expertise-healthy-ageing"].names
    assert "rdm centre of expertise" in found["rdm-centre-of-expertise"].names


def test_a_name_inside_another_label_with_and_written_as_en_is_dropped():
    from hckg.pubs.profiles import Community, _drop_ambiguous, name_variants

    def community(iri, label):  # synthetic, labels as in data/
        names, acronyms = name_variants(label)
        return Community(iri, label, names, acronyms)

    lab = community("L", "Living Lab Utrechtse Heuvelrug (sport & bewegen, AZC Leersum)")
    platform = community("P", "Lectorenplatform Sport en Bewegen")
    assert "sport & bewegen" in lab.names
    _drop_ambiguous([lab, platform])
    assert "sport & bewegen" not in lab.names and "lectorenplatform sport en bewegen" in platform.names


def test_the_real_register_gives_acronyms_and_drops_shared_or_generic_names(pubs_template):
    store = open_store(pubs_template)
    found = {c.iri.rsplit("/", 1)[-1]: c for c in communities(store)}
    assert "CELTH" in found["centre-of-expertise-leisure-tourism-hospitality-celth"].acronyms
    assert not any("RIF" in c.acronyms for c in found.values())  # three communities carry (RIF)
    fontys = found["fontys-centre-of-expertise-htsm-high-tech-systems-and-materials"]
    assert "high tech systems and materials" not in fontys.names  # the top sector's English name
    assert "roc mondriaan" not in found["practoraat-e-zorg-roc-mondriaan"].names  # a lead institution
    assert found["lectoraat-food-physics"].core == "food physics"
    assert "Drenthe College" in found["energy-college"].partners  # text evidence, from hckg:partner


def test_the_url_path_gives_its_words_to_the_topic_but_not_its_host():
    from hckg.pubs.suggest import url_path_words

    assert url_path_words("https://www.hanze.nl/nl/onderzoek/biobased-economy/bioplastics_rioolwater") == \
        "nl onderzoek biobased economy bioplastics rioolwater"
    assert url_path_words("") == "" and url_path_words("https://example.org") == ""
