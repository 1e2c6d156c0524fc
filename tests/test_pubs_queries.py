"""The publication saved queries count accepted links only (issue 7).

The store holds the synthetic evaluation records and grants (tests/pubs_eval/); the expected rows were
worked out by hand from tests/pubs_eval/labels.csv and data/learning_communities.csv: Healthy Ageing
(Groningen, Gezondheid en Zorg) gets records 001 (2021) and 039 (2022, NWO grant), CoE BBE (Noord-Brabant,
Circulaire economie) gets 036 (2022, NWO grant), World Horti Center (Zuid-Holland, no challenge) gets 004
(2022). The link of 002 to the RDM Centre of Expertise is rejected and must count nowhere.
"""

from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest
import rdflib

from hckg.formats import json_rows
from hckg.pubs import profiles
from hckg.pubs.decide import decide
from hckg.pubs.importer import import_files
from hckg.pubs.links import link_iri, write_suggestions
from hckg.pubs.suggest import suggest
from hckg.gate.write import GraphWrite, digest, write_graphs
from hckg.queries.running import run_saved
from hckg.store.oxigraph import open_store

from pubs_helpers import EVAL, copy_store

C = "https://w3id.org/hckg/id/community/"
HEALTHY, BBE, HORTI, RDM = (C + "centre-of-expertise-healthy-ageing", C + "centre-of-expertise-biobased-economy-coe-bbe",
                            C + "world-horti-center-mbo-westland", C + "rdm-centre-of-expertise")
ACCEPT = {"001": HEALTHY, "039": HEALTHY, "036": BBE, "004": HORTI}


@pytest.fixture(scope="module")
def decided(pubs_template, tmp_path_factory):
    pubs_settings = copy_store(pubs_template, tmp_path_factory.mktemp("pubs-queries"))
    grants = EVAL / "grants.ttl"
    write_graphs(pubs_settings, [GraphWrite("https://w3id.org/hckg/graph/pubs-eval/grants",
                                            rdflib.Graph().parse(grants), str(grants), digest(grants.read_bytes()), True)])
    import_files(pubs_settings, [EVAL / "eval-csl.json", EVAL / "eval-crossref.json"], synthetic=True)
    store = open_store(pubs_settings.store_path)
    found = suggest(profiles.publications(store), profiles.communities(store), profiles.grants(store), min_trust=0.5)
    store.close()
    write_suggestions(pubs_settings, found)
    by_doi = {s.doi: s.publication for s in found}
    for number, community in ACCEPT.items():
        decide(pubs_settings, str(link_iri(by_doi[f"10.5555/hckg-eval-{number}"], community)), "accepted", "tester")
    decide(pubs_settings, str(link_iri(by_doi["10.5555/hckg-eval-002"], RDM)), "rejected", "tester")
    return pubs_settings


def rows(settings, name: str, **params: str) -> list[dict[str, str]]:
    answer = run_saved(open_store(settings.store_path), settings.queries_dir, name, {k: [v] for k, v in params.items()})
    assert isinstance(answer, ox.QuerySolutions)
    return json_rows(answer)


def test_publications_per_community_count_accepted_links_only(decided):
    assert [(r["community"], r["publications"], r["latestYear"]) for r in rows(decided, "publications-per-community")] == [
        (HEALTHY, "2", "2022"), (BBE, "1", "2022"), (HORTI, "1", "2022")]


def test_publications_per_challenge_follow_the_communities_named_challenge(decided):
    assert [(r["challenge"].rsplit("/", 1)[-1], r["publications"]) for r in rows(decided, "publications-per-challenge")] == [
        ("gezondheid-zorg", "2"), ("circulaire-economie", "1")]


def test_publications_per_region_follow_the_communities_province(decided):
    assert [(r["regionLabel"], r["publications"]) for r in rows(decided, "publications-per-region")] == [
        ("Groningen", "2"), ("Noord-Brabant", "1"), ("Zuid-Holland", "1")]


def test_nwo_funded_output_per_challenge_counts_only_nwo_funded_publications(decided):
    assert [(r["challenge"].rsplit("/", 1)[-1], r["publications"]) for r in rows(decided, "publications-funded-per-challenge")] == [
        ("circulaire-economie", "1"), ("gezondheid-zorg", "1")]


def test_communities_without_publications_leave_out_those_with_an_accepted_link(decided):
    listed = {r["community"] for r in rows(decided, "communities-without-publications")}
    with open(decided.data_dir / "learning_communities.csv", encoding="utf-8", newline="") as handle:
        in_register = sum(1 for _ in csv.DictReader(handle))
    assert len(listed) == in_register - 3
    assert not listed & {HEALTHY, BBE, HORTI} and RDM in listed
