"""Network analytics: the graph matches the store, the exports read back, each measure gives the known answer.

Counts on the real data come from SPARQL written here, not from the internal queries the graph is
built with; each measure is checked on a hand-made graph small enough to work out on paper.
"""

from __future__ import annotations

from register import communities

import csv
import io
from collections import Counter

import networkx as nx
import pytest
from typer.testing import CliRunner

from hckg.reports.analytics import (
    NO_PROVINCE,
    Bridge,
    CoOccurrence,
    ProvinceNetwork,
    bridging_organisations,
    build_graph,
    components_per_province,
    degree_leaders,
    lead_dependence,
    serving_communities,
    single_lead_regions,
    topsector_cooccurrence,
    write_graph,
)
from hckg.cli.app import app

PREFIX = "PREFIX hckg: <https://w3id.org/hckg/def#>\n"
COMMUNITY_PROPERTIES = {
    "leadInstitution": "hckg:leadInstitution",
    "partner": "hckg:partner",
    "topsector": "hckg:topsector",
    "challenge": "hckg:societalChallenge",
    "keyTechnology": "hckg:keyTechnology",
    "province": "hckg:province",
}


def count(store, where: str) -> int:
    rows = list(store.query(PREFIX + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0]["n"].value)


def expected_nodes(store) -> dict[str, int]:
    organisations = ("SELECT DISTINCT ?o WHERE { ?c a hckg:LearningCommunity . "
                     "{ ?c hckg:leadInstitution ?o } UNION { ?c hckg:partner ?o } }")
    return {
        "community": count(store, "SELECT DISTINCT ?c WHERE { ?c a hckg:LearningCommunity }"),
        "organisation": count(store, organisations),
        "topsector": count(store, "SELECT DISTINCT ?t WHERE { ?t a hckg:Topsector }"),
        "challenge": count(store, "SELECT DISTINCT ?t WHERE { ?t a hckg:SocietalChallenge }"),
        "keyTechnology": count(store, "SELECT DISTINCT ?t WHERE { ?t a hckg:KeyTechnology }"),
        "province": count(store, "SELECT DISTINCT ?t WHERE { ?t a hckg:Province }"),
    }


def expected_edges(store) -> dict[str, int]:
    edges = {name: count(store, f"?c a hckg:LearningCommunity ; {prop} ?o") for name, prop in COMMUNITY_PROPERTIES.items()}
    edges["leadTopsector"] = count(store, "?c a hckg:SocietalChallenge ; hckg:leadTopsector ?t")
    edges["involvedTopsector"] = count(store, "?c a hckg:SocietalChallenge ; hckg:involvedTopsector ?t")
    return {k: v for k, v in edges.items() if v}


@pytest.fixture(scope="module")
def graph(store) -> nx.MultiDiGraph:
    return build_graph(store)


def test_the_graph_has_one_node_per_resource_of_each_kind(store, graph):
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    assert dict(kinds) == expected_nodes(store)
    assert kinds["community"] == len(communities())


def test_the_graph_has_one_edge_per_triple_of_each_relation(store, graph):
    relations = Counter(relation for _, _, relation in graph.edges(keys=True))
    assert dict(relations) == expected_edges(store)


def test_no_node_or_edge_attribute_is_none(graph):
    for _, attrs in graph.nodes(data=True):
        assert all(isinstance(v, (str, int)) for v in attrs.values()), attrs
    assert all(isinstance(attrs["relation"], str) for _, _, attrs in graph.edges(data=True))


def test_graphml_edge_ids_are_unique(graph):
    import xml.etree.ElementTree as ET

    out = io.BytesIO()
    write_graph(graph, "graphml", out)
    edges = ET.fromstring(out.getvalue()).iter("{http://graphml.graphdrawing.org/xmlns}edge")
    ids = Counter(edge.get("id") for edge in edges)
    assert sum(ids.values()) == graph.number_of_edges() and None not in ids
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_the_export_reads_back_with_the_store_counts(store, graph, tmp_path, fmt):
    path = tmp_path / f"hckg.{fmt}"
    with path.open("wb") as f:
        write_graph(graph, fmt, f)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == sum(expected_nodes(store).values())
    assert back.number_of_edges() == sum(expected_edges(store).values())
    community = "https://w3id.org/hckg/id/community/automotive-centre-of-expertise-ace"
    assert back.nodes[community]["label"] == "Automotive Centre of Expertise (ACE)"
    assert back.nodes[community]["kind"] == "community"
    assert int(back.nodes[community]["startYear"]) == 2011


def test_the_csv_edge_list_has_one_row_per_edge_with_kinds_and_labels(store, graph):
    buffer = io.BytesIO()
    write_graph(graph, "csv", buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8"))))
    assert Counter(r["relation"] for r in rows) == Counter(expected_edges(store))
    assert all(r["sourceKind"] and r["targetKind"] and r["sourceLabel"] and r["targetLabel"] for r in rows)


# --- measures on a hand-made graph -------------------------------------------------------------


def tiny(nodes: dict[str, str], edges: list[tuple[str, str, str]]) -> nx.MultiDiGraph:
    """Nodes by name → kind (label = name), edges as (source, relation, target)."""
    graph = nx.MultiDiGraph()
    for name, kind in nodes.items():
        graph.add_node(name, kind=kind, label=name)
    for source, relation, target in edges:
        graph.add_edge(source, target, key=relation, relation=relation)
    return graph


def test_betweenness_ranks_the_organisation_in_the_middle_of_a_chain_first():
    # x - c1 - a - c2 - b - c3: of the 10 pairs of other nodes, 6 pass through a and 4 through b.
    graph = tiny(
        {"c1": "community", "c2": "community", "c3": "community", "a": "organisation", "b": "organisation",
         "x": "organisation", "T1": "topsector", "T2": "topsector"},
        [("c1", "partner", "x"), ("c1", "leadInstitution", "a"), ("c2", "partner", "a"),
         ("c2", "leadInstitution", "b"), ("c3", "partner", "b"),
         ("c1", "topsector", "T1"), ("c2", "topsector", "T2"), ("c3", "topsector", "T2")],
    )
    assert bridging_organisations(graph) == [
        Bridge("a", "a", pytest.approx(0.6), 2, ("T1", "T2")),
        Bridge("b", "b", pytest.approx(0.4), 2, ("T2",)),
    ]


def test_topsector_pairs_are_counted_once_per_community_that_names_both():
    graph = tiny(
        {"c1": "community", "c2": "community", "c3": "community", "T1": "topsector", "T2": "topsector", "T3": "topsector"},
        [("c1", "topsector", "T1"), ("c1", "topsector", "T2"),
         ("c2", "topsector", "T1"), ("c2", "topsector", "T2"), ("c2", "topsector", "T3"),
         ("c3", "topsector", "T3")],
    )
    assert topsector_cooccurrence(graph) == [
        CoOccurrence("T1", "T1", "T2", "T2", 2),
        CoOccurrence("T1", "T1", "T3", "T3", 1),
        CoOccurrence("T2", "T2", "T3", "T3", 1),
    ]


def test_components_per_province_count_islands_and_provinces_without_communities():
    graph = tiny(
        {"c1": "community", "c2": "community", "c3": "community", "c4": "community", "c5": "community",
         "a": "organisation", "b": "organisation", "d": "organisation",
         "P1": "province", "P2": "province", "P3": "province"},
        [("c1", "province", "P1"), ("c2", "province", "P1"), ("c1", "partner", "a"), ("c2", "leadInstitution", "a"),
         ("c3", "province", "P2"), ("c4", "province", "P2"), ("c3", "partner", "b"), ("c4", "partner", "d"),
         # c5 has no province but shares organisation a: that link does not join it to P1's network.
         ("c5", "partner", "a")],
    )
    assert components_per_province(graph) == [
        ProvinceNetwork("P1", "P1", communities=2, organisations=1, components=1, largest=2),
        ProvinceNetwork("P2", "P2", communities=2, organisations=2, components=2, largest=1),
        ProvinceNetwork("P3", "P3", communities=0, organisations=0, components=0, largest=0),
        ProvinceNetwork(NO_PROVINCE, "(no province)", communities=1, organisations=1, components=1, largest=1),
    ]


def lead_graph() -> nx.MultiDiGraph:
    return tiny(
        {"c1": "community", "c2": "community", "c3": "community", "c4": "community", "c5": "community",
         "c6": "community", "a": "organisation", "b": "organisation", "d": "organisation",
         "T1": "topsector", "T2": "topsector", "X": "challenge", "Y": "challenge", "Z": "challenge",
         "P1": "province", "P2": "province"},
        [
            # X: c1 through its lead topsector T1, c2 named in its source; both led by a.
            ("X", "leadTopsector", "T1"), ("c1", "topsector", "T1"), ("c1", "leadInstitution", "a"),
            ("c2", "challenge", "X"), ("c2", "leadInstitution", "a"),
            # Y: c3 named (led by b); c4 only has a topsector that is *involved* in Y, so it does not serve Y.
            ("c3", "challenge", "Y"), ("c3", "leadInstitution", "b"),
            ("Y", "involvedTopsector", "T2"), ("c4", "topsector", "T2"), ("c4", "leadInstitution", "d"),
            # Z: two communities with different leads, c6 in P2 with no lead recorded.
            ("c5", "challenge", "Z"), ("c5", "leadInstitution", "b"), ("c5", "province", "P1"),
            ("c1", "challenge", "Z"), ("c1", "province", "P1"), ("c6", "challenge", "Z"), ("c6", "province", "P2"),
        ],
    )


def test_a_community_serves_a_challenge_named_in_its_source_or_led_by_its_topsector_not_merely_involved():
    graph = lead_graph()
    assert serving_communities(graph, "X") == ["c1", "c2"]
    assert serving_communities(graph, "Y") == ["c3"]
    assert serving_communities(graph, "Z") == ["c1", "c5", "c6"]


def test_challenges_whose_serving_communities_have_one_lead_institution_are_flagged():
    rows = {r.challenge: r for r in lead_dependence(lead_graph())}
    assert (rows["X"].single, rows["X"].leads, rows["X"].without_lead) == (True, (("a", 2),), 0)
    assert (rows["Y"].single, rows["Y"].leads) == (True, (("b", 1),))
    assert (rows["Z"].single, rows["Z"].leads, rows["Z"].without_lead) == (False, (("a", 1), ("b", 1)), 1)


def test_single_lead_regions_lists_challenge_province_pairs_with_one_lead():
    # X in P1: c1 (a); X in P2: c2 (a); Z in P1: c1 (a) and c5 (b), two leads; Z in P2: c6 without a lead, none.
    graph = lead_graph()
    graph.add_edge("c2", "P2", key="province", relation="province")
    assert [(r.challenge, r.province, r.leads) for r in single_lead_regions(graph)] == [
        ("X", "P1", (("a", 1),)), ("X", "P2", (("a", 1),))]


def test_degree_leaders_count_edges_in_and_out_and_break_ties_by_label():
    graph = lead_graph()
    assert [(l.node, l.degree) for l in degree_leaders(graph, "organisation", top=2)] == [("a", 2), ("b", 2)]
    assert [(l.node, l.degree) for l in degree_leaders(graph, "community", top=1)] == [("c1", 4)]


# --- the command -------------------------------------------------------------------------------

runner = CliRunner()


def test_analyse_prints_a_summary_with_the_counts_and_measures(settings, store):
    result = runner.invoke(app, ["analyse"], env={"HCKG_STORE": str(settings.store_path)})
    assert result.exit_code == 0, result.output
    assert f"{len(communities())} communities" in result.stdout
    for heading in ("bridge topsectors", "Topsectors that share communities", "Province networks",
                    "Lead institutions per challenge", "Most connected"):
        assert heading in result.stdout


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_analyse_writes_the_graph_to_a_file(settings, store, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(app, ["analyse", "--format", fmt, "--out", str(out)],
                           env={"HCKG_STORE": str(settings.store_path)})
    assert result.exit_code == 0, result.output
    edges = sum(expected_edges(store).values())
    if fmt == "csv":
        assert len(out.read_text(encoding="utf-8").splitlines()) == edges + 1
    else:
        back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
        assert back.number_of_edges() == edges


def test_analyse_refuses_an_unknown_format(settings, store):
    result = runner.invoke(app, ["analyse", "--format", "xlsx"], env={"HCKG_STORE": str(settings.store_path)})
    assert result.exit_code == 2
