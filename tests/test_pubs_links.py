"""hckg.pubs.links and hckg.pubs.decide: suggestions stored as link resources; accept/reject with PROV."""

from __future__ import annotations

from decimal import Decimal

import pytest
import rdflib
from rdflib.namespace import PROV, RDF, XSD

from hckg.iris import HCKG
from hckg.pubs import profiles
from hckg.pubs.decide import decide
from hckg.pubs.importer import import_files
from hckg.pubs.links import LINKS_GRAPH, UnknownLink, current, list_links, write_suggestions
from hckg.pubs.suggest import suggest
from hckg.gate.write import GraphWrite, write_graphs
from hckg.store.oxigraph import open_store
from hckg.gate.validate import ValidationFailed

from helpers import select, sorted_nquads
from pubs_helpers import EVAL

HEALTHY_AGEING = "https://w3id.org/hckg/id/community/centre-of-expertise-healthy-ageing"


@pytest.fixture
def suggested(pubs_settings):
    """The synthetic evaluation records imported and their suggestions (trust >= 0.5) stored."""
    import_files(pubs_settings, [EVAL / "eval-csl.json"], synthetic=True)
    store = open_store(pubs_settings.store_path)
    found = suggest(profiles.publications(store), profiles.communities(store), profiles.grants(store), min_trust=0.5)
    store.close()
    write_suggestions(pubs_settings, found)
    return pubs_settings, found


def test_suggestions_are_stored_as_links_with_status_suggested(suggested):
    settings, found = suggested
    links = list_links(open_store(settings.store_path))
    assert len(links) == len(found) > 0
    assert {l.status for l in links} == {"suggested"}
    healthy = [l for l in links if l.doi == "10.5555/hckg-eval-001"]
    assert [(l.target, l.method, l.trust) for l in healthy] == [(HEALTHY_AGEING, "NameRule", 0.95)]
    assert healthy[0].target_name == "Centre of Expertise Healthy Ageing"


def test_suggesting_again_adds_nothing_and_keeps_decisions(suggested):
    settings, found = suggested
    link = list_links(open_store(settings.store_path))[0]
    decide(settings, link.iri, "accepted", who="tester@example.org")
    added, kept = write_suggestions(settings, found)
    assert (added, kept) == (0, len(found))
    assert next(l for l in list_links(open_store(settings.store_path)) if l.iri == link.iri).status == "accepted"


def test_accept_and_reject_record_who_and_when(suggested):
    settings, _ = suggested
    first, second = list_links(open_store(settings.store_path))[:2]
    decide(settings, first.iri, "accepted", who="tester@example.org")
    decide(settings, second.iri.rsplit("/", 1)[-1], "rejected", who="reviewer@example.org")
    by_status = {l.status: l for l in list_links(open_store(settings.store_path)) if l.status != "suggested"}
    assert (by_status["accepted"].iri, by_status["accepted"].decided_by) == (first.iri, "tester@example.org")
    assert (by_status["rejected"].iri, by_status["rejected"].decided_by) == (second.iri, "reviewer@example.org")
    assert by_status["accepted"].decided_at.startswith("20")
    rows = select(open_store(settings.store_path), f"""SELECT ?type ?agent WHERE {{
        <{first.iri}> <{HCKG.decision}> ?d . ?d a ?type ; <{PROV.wasAssociatedWith}> ?agent }}""")
    assert [r["type"] for r in rows] == [str(PROV.Activity)] and rows[0]["agent"].startswith("https://w3id.org/hckg/id/software/")
    assert [l.iri for l in list_links(open_store(settings.store_path), "accepted")] == [first.iri]


def test_an_unknown_link_is_refused_and_the_store_is_unchanged(suggested):
    settings, _ = suggested
    before = sorted_nquads(settings.store_path)
    with pytest.raises(UnknownLink, match="no publication link 'nope'"):
        decide(settings, "nope", "accepted")
    assert sorted_nquads(settings.store_path) == before


def test_the_gate_refuses_a_link_with_trust_above_one_or_an_unknown_target(suggested):
    settings, _ = suggested
    before = sorted_nquads(settings.store_path)
    graph = current(open_store(settings.store_path))
    link = next(iter(graph.subjects(RDF.type, HCKG.PublicationLink)))
    graph.set((link, HCKG.trust, rdflib.Literal(Decimal("1.5"), datatype=XSD.decimal)))
    graph.set((link, HCKG.linkTarget, rdflib.URIRef("https://example.org/not-a-community")))
    with pytest.raises(ValidationFailed) as err:
        write_graphs(settings, [GraphWrite(LINKS_GRAPH, graph, "test", "0" * 64)])
    assert sorted({v.path for v in err.value.violations}) == [str(HCKG.linkTarget), str(HCKG.trust)]
    assert sorted_nquads(settings.store_path) == before


def test_a_link_made_by_hand_is_accepted_at_once_and_may_point_at_a_challenge(suggested):
    from hckg.pubs.decide import link_by_hand

    settings, found = suggested
    publication = found[0].publication
    challenge = "https://w3id.org/hckg/id/challenge/gezondheid-zorg"
    iri = link_by_hand(settings, publication, challenge, "read the paper", who="curator@example.org")
    [made] = [l for l in list_links(open_store(settings.store_path)) if l.iri == iri]
    assert (made.method, made.trust, made.status, made.decided_by) == ("ManualLink", 1.0, "accepted", "curator@example.org")


def test_a_link_by_hand_to_an_unknown_target_is_refused_by_the_gate(suggested):
    from hckg.pubs.decide import link_by_hand

    settings, found = suggested
    before = sorted_nquads(settings.store_path)
    with pytest.raises(ValidationFailed) as err:
        link_by_hand(settings, found[0].publication, "https://example.org/nowhere", "")
    assert {v.path for v in err.value.violations} == {str(HCKG.linkTarget)}
    assert sorted_nquads(settings.store_path) == before
