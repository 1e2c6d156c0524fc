"""`hckg stats` counts: triples per graph add up, classes include their subclasses."""

from __future__ import annotations

from register import communities, type_counts

from hckg.stats import summarise

H = "https://w3id.org/hckg/def#"


def test_class_counts_include_subclasses_and_match_the_data(store):
    summary = summarise(store)
    counts = type_counts()
    assert summary.count(H + "LearningCommunity") == len(communities()) == sum(counts.values())
    for cls in ("CentreOfExpertise", "CentrumInnovatiefVakmanschap", "Fieldlab", "OtherLearningCommunity"):
        assert summary.count(H + cls) == counts[cls] > 0
    assert summary.count(H + "Province") == 12
    assert summary.count(H + "Topsector") == 10
    assert summary.count(H + "SocietalChallenge") == 5
    assert summary.count(H + "ImpactDomain") == 8


def test_triples_are_the_sum_over_named_graphs(store):
    summary = summarise(store)
    assert summary.triples == sum(g.triples for g in summary.graphs) > 5000
