"""hckg.reports.labels: one label per IRI of an answer, in one query."""

from __future__ import annotations

from hckg.reports.labels import labels_of

FRYSLAN = "https://w3id.org/hckg/id/province/PV21"
HEALTH = "https://w3id.org/hckg/id/challenge/gezondheid-zorg"
COE = "https://w3id.org/hckg/def#CentreOfExpertise"


def test_labels_are_dutch_first_and_iris_without_a_label_are_left_out(store):
    found = labels_of(store, [FRYSLAN, HEALTH, COE, "https://example.org/nothing", FRYSLAN])
    assert found == {FRYSLAN: "Fryslân", HEALTH: "Gezondheid & Zorg", COE: "Centre of Expertise"}


def test_english_labels_are_chosen_when_asked_for(store):
    assert labels_of(store, [FRYSLAN], language="en")[FRYSLAN] in ("Friesland", "Fryslân")


def test_no_iris_ask_nothing(store):
    assert labels_of(store, []) == {}
