"""scripts/mark_sector_basis.py reads a basis from a note's own words and from a community's own name, never guesses."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("mark_sector_basis", ROOT / "scripts" / "mark_sector_basis.py")
assert _spec and _spec.loader
marker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(marker)


@pytest.mark.parametrize(
    ("notes", "subject", "expected"),
    [("Topsector from sector: care (Life Sciences & Health).", "topsector", "judgement"),
     ("Topsector ICT is the register's mapping (judgement).", "topsector", "judgement"),
     ("register-fill: topsector derived from stated domain: dudocxp.nl", "topsector", "judgement"),
     ("Topsector stated (logistics) on the lectorate page.", "topsector", "stated"),
     ("Challenge: energy transition stated on the page.", "challenge", "stated"),
     ("Existing cells kept. Partners from wur.nl.", "topsector", ""),
     ("Topsector from sector: care.", "challenge", "")],
)
def test_a_basis_is_read_from_the_notes_words_or_left_unrecorded(notes, subject, expected):
    value, quoted = marker.basis(notes, subject)
    assert value == expected
    assert bool(quoted) == bool(expected)  # the words it was read from are kept for the notes column


LABELS = {"Logistiek": {"Logistiek", "Logistics"}, "Life Sciences & Health": {"Life Sciences & Health", "Health"},
          "Energie": {"Energie", "Energy"}}


@pytest.mark.parametrize(
    ("name", "topsectors", "expected"),
    [("KennisDC Logistiek (Centre of Expertise Logistiek)", ["Logistiek"], "Logistiek ('Logistiek')"),
     ("EnTranCe - Centre of Expertise Energy", ["Energie"], "Energie ('Energy')"),
     ("Health Innovation Centre of Expertise", ["Life Sciences & Health"], ""),  # 'Health' is not the topsector's name
     ("Beet! (Brabant Eet; RIF agrifood Logistiek)", ["Logistiek"], ""),  # bracketed part is the register's addition
     ("Logistiekcentrum Oost", ["Logistiek"], "")],  # a whole word, not part of one
)
def test_a_topsector_counts_as_named_only_when_the_own_name_carries_its_label(name, topsectors, expected):
    assert marker.named_topsector(name, topsectors, LABELS) == expected


def test_the_real_bases_file_only_qualifies_cells_the_register_has():
    with (ROOT / "data" / "learning_communities.csv").open(newline="", encoding="utf-8") as f:
        cells = {r["name"]: r for r in csv.DictReader(f)}
    with (ROOT / "data" / "community_bases.csv").open(newline="", encoding="utf-8") as f:
        bases = list(csv.DictReader(f))
    assert bases and all(r["community"] in cells for r in bases)
    for r in bases:
        assert not r["topsectors_basis"] or cells[r["community"]]["topsectors"], r["community"]
        assert not r["societal_challenge_basis"] or cells[r["community"]]["societal_challenge"], r["community"]
