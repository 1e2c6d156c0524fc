"""hckg.pubs.trust: the fitted combination of cues, its committed coefficients, and conflicts."""

import json

from hckg.pubs.cues import Cue
from hckg.pubs.topic import Topic
from hckg.pubs.trust import FEATURES, MODEL_PATH, Model, conflicts, features, load


def test_committed_model_names_every_feature_and_what_it_was_fitted_on():
    data = json.loads(MODEL_PATH.read_text())
    assert set(data["coefficients"]) == set(FEATURES) and data["fitted_on"]
    assert "fresh3" not in data["fitted_on"].lower()
    model = load()
    assert 0.0 < model.trust({}) < 0.5  # no evidence: below the default threshold
    assert model.margin > 0 and model.coefficients["conflict"] <= 0 and model.coefficients["before_start"] <= 0


def test_a_candidate_clear_of_its_rival_is_trusted_more_than_one_in_a_tie():
    model = Model(-2.0, {"author": 3.0, "topic": 1.0}, scale=0.5, margin=1.0)
    alone = {"author": 1.0}
    clear, _ = model.trusts([alone, {"topic": 0.5}])
    tied, _ = model.trusts([alone, {"author": 1.0}])
    assert clear > tied and model.trusts([alone]) == [model.trust(alone)]
    assert Model(-3.0, {"author": 3.0}).trust(alone) == 0.5  # scale 1, margin 0: the plain logistic regression


def test_more_evidence_more_trust_and_conflict_lowers_it():
    model = Model(-3.0, {"author": 3.0, "topic": 1.0, "conflict": -1.0})
    alone = model.trust(features("", 0.0, [Cue("author", 1.0, "")], None, False))
    with_topic = model.trust(features("", 0.0, [Cue("author", 1.0, "")], Topic(2.0, 1.0, 1, ("a", "b")), False))
    disputed = model.trust(features("", 0.0, [Cue("author", 1.0, "")], None, True))
    assert disputed < alone < with_topic


def test_features_of_rules_text_and_cues():
    x = features("NameRule", 0.95, [Cue("lead", 0.5, ""), Cue("lead", 0.25, "")], Topic(1.0, 0.4, 3, ()), False)
    assert (x["rule"], x["text"], x["lead"], x["topic"], x["topic_top"]) == (0.95, 0.0, 0.5, 0.4, 0.0)
    assert features("TextSimilarity", 0.6, [], None, False)["text"] == 0.6


def test_conflict_between_author_and_topic_is_said_for_both():
    said = conflicts({"A": [Cue("author", 1.0, "")]}, {"B": Topic(3.0, 1.0, 1, ("x", "y")), "A": Topic(1.0, 0.3, 2, ("x",))})
    assert set(said) == {"A", "B"} and "topic points to another community (B)" in said["A"]
    # A weak cue (an institution leading four communities) is no conflict, nor is a topic of one shared term.
    assert conflicts({"A": [Cue("lead", 0.25, "")]}, {"B": Topic(3.0, 1.0, 1, ("x", "y"))}) == {}
    assert conflicts({"A": [Cue("author", 1.0, "")]}, {"B": Topic(3.0, 1.0, 1, ("x",))}) == {}


def test_the_topic_chooses_among_the_communities_of_one_institution():
    from hckg.pubs.trust import institution_topic_top

    cues = {"A": [Cue("lead", 0.1, "")], "B": [Cue("lead", 0.1, "")], "C": [Cue("author", 1.0, "")]}
    topics = {"A": Topic(1.0, 0.25, 3, ("x",)), "B": Topic(2.0, 0.5, 2, ("y",)), "C": Topic(4.0, 1.0, 1, ("z",))}
    assert institution_topic_top(cues, topics) == "B"  # C is the topic's best, but no institution points at it
    assert institution_topic_top(cues, {"C": topics["C"]}) is None
    x = features("", 0.0, cues["B"], topics["B"], False, inst_topic=True)
    assert x["inst_topic"] == 1.0 and features("", 0.0, cues["A"], topics["A"], False)["inst_topic"] == 0.0
