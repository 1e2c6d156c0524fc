"""hckg.pubs.topic: BM25 of a record against community profiles (hand-made synthetic profiles)."""

from hckg.pubs.lexicon import Lexicon
from hckg.pubs.topic import TopicIndex, terms

PROFILES = {  # synthetic community profiles
    "A": "Centre for biobased economy: bioplastics, biomass, biorefinery and green chemistry",
    "B": "Learning community on healthy ageing, care for the elderly and vitality",
    "C": "Circular construction: building materials, reuse and the circular economy in the bouw",
}


def test_the_community_sharing_the_rarer_terms_ranks_first():
    ranked = TopicIndex(PROFILES).rank("Bioplastics from sewage water: biomass for green chemistry")
    assert ranked["A"].rank == 1 and ranked["A"].share == 1.0
    assert "biopla" in ranked["A"].shared and "B" not in ranked


def test_dutch_and_english_cognates_meet_and_the_lexicon_translates():
    assert TopicIndex(PROFILES).rank("Circulaire economie in de bouw")["C"].rank == 1
    lexicon = Lexicon(dutch_english={"ouderen": frozenset({"elderly"})})
    assert "elderl" in terms("zorg voor ouderen", lexicon)
    assert TopicIndex(PROFILES, lexicon).rank("Zorg voor ouderen")["B"].rank == 1


def test_nothing_shared_is_no_topic_and_kind_words_do_not_count():
    assert TopicIndex(PROFILES).rank("Quantum chromodynamics") == {}
    lexicon = Lexicon(kinds=frozenset({"centre", "community", "learning"}))
    assert TopicIndex(PROFILES, lexicon).rank("a learning community centre") == {}


def test_six_letters_keep_amsterdam_and_amstelhuis_apart_and_cognates_together():
    assert terms("Amsterdam") != terms("Amstelhuis")
    assert terms("circulaire economie") == terms("circular economy")
