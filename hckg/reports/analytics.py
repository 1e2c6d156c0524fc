"""Network analytics (`hckg analyse`): the communities and what they link as a networkx graph.

The roadmap asks how the public-private partnerships are spread and connected; a graph answers
questions a table cannot: which organisations bridge topsectors, which topsectors meet in the same
communities, whether a province's communities form one network or islands, and which challenges
hang on a single lead institution. The graph comes from the store through two internal saved
queries (``queries/internal/analytics-*.rq``); every measure is a plain function of the graph, so
it can be checked on a hand-made graph whose answer is known.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import IO, Iterable

import networkx as nx

from ..queries.running import internal_records
from ..store.base import Store

log = logging.getLogger(__name__)

KINDS = ("community", "organisation", "topsector", "challenge", "keyTechnology", "province")
MEMBER_RELATIONS = ("leadInstitution", "partner")
EXPORT_FORMATS = ("graphml", "gexf", "csv")
NO_PROVINCE = ""
"""The key of the row that collects communities without a province."""


def build_graph(store: Store) -> nx.MultiDiGraph:
    """The network of communities, organisations, topsectors, challenges, key technologies, provinces.

    Node attributes: ``kind`` (one of KINDS), ``label`` (Dutch where there is one), and for
    communities ``communityType`` (CoE, CIV ...) and ``startYear`` (only when known: GraphML and
    GEXF have no null). Edges point from a community (or, for leadTopsector/involvedTopsector, from
    a challenge), one per triple, keyed and attributed by ``relation``.
    """
    graph = nx.MultiDiGraph()
    for row in internal_records(store, "analytics-nodes.rq"):
        node, kind = row["node"], row["kind"]
        if node in graph:
            log.warning("%s is both a %s and a %s; kept as %s", node, graph.nodes[node]["kind"], kind,
                        graph.nodes[node]["kind"])
            continue
        attrs: dict[str, str | int] = {"kind": kind, "label": row.get("labelNl") or row.get("labelAny") or node}
        if "type" in row:
            attrs["communityType"] = row["type"]
        if "year" in row:
            attrs["startYear"] = int(row["year"])
        graph.add_node(node, **attrs)
    for row in internal_records(store, "analytics-edges.rq"):
        for end in (row["source"], row["target"]):
            if end not in graph:
                log.warning("%s (%s edge) is none of the node kinds; added as kind 'other'", end, row["relation"])
                graph.add_node(end, kind="other", label=end)
        graph.add_edge(row["source"], row["target"], key=row["relation"], relation=row["relation"])
    log.info("network: %d nodes, %d edges", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label", node))


def _targets(graph: nx.MultiDiGraph, node: str, relation: str) -> list[str]:
    return sorted({v for _, v, r in graph.out_edges(node, keys=True) if r == relation})


def _sources(graph: nx.MultiDiGraph, node: str, relation: str) -> list[str]:
    return sorted({u for u, _, r in graph.in_edges(node, keys=True) if r == relation})


def nodes_of(graph: nx.MultiDiGraph, kind: str) -> list[str]:
    return sorted(n for n, k in graph.nodes(data="kind") if k == kind)


def membership_graph(graph: nx.MultiDiGraph, communities: Iterable[str] | None = None) -> nx.Graph:
    """The undirected community–organisation graph (lead institution and partner edges).

    With ``communities``, only those communities and their organisations.
    """
    keep = set(nodes_of(graph, "community") if communities is None else communities)
    members = nx.Graph()
    members.add_nodes_from(keep)
    for u, v, relation in graph.edges(keys=True):
        if relation in MEMBER_RELATIONS and u in keep:
            members.add_edge(u, v)
    return members


@dataclass(frozen=True)
class Bridge:
    """An organisation, how central it is in the membership graph, and the topsectors it spans."""

    organisation: str
    label: str
    betweenness: float
    communities: int
    topsectors: tuple[str, ...]
    """Labels of the topsectors of its communities, sorted."""


def bridging_organisations(graph: nx.MultiDiGraph) -> list[Bridge]:
    """Organisations by betweenness centrality on the community–organisation graph, highest first.

    Betweenness (normalised) is the share of shortest paths between other nodes that pass through
    the organisation: a high value means communities (and their topsectors) that reach each other
    through it. Organisations with betweenness 0 are left out.
    """
    members = membership_graph(graph)
    centrality = nx.betweenness_centrality(members, normalized=True)
    bridges = []
    for org in nodes_of(graph, "organisation"):
        score = centrality.get(org, 0.0)
        if score <= 0:
            continue
        communities = _sources(graph, org, "leadInstitution") + _sources(graph, org, "partner")
        topsectors = {_label(graph, t) for c in communities for t in _targets(graph, c, "topsector")}
        bridges.append(Bridge(org, _label(graph, org), score, len(set(communities)), tuple(sorted(topsectors))))
    return sorted(bridges, key=lambda b: (-b.betweenness, -len(b.topsectors), b.label))


@dataclass(frozen=True)
class CoOccurrence:
    """Two topsectors and the number of communities that name both."""

    first: str
    first_label: str
    second: str
    second_label: str
    communities: int


def topsector_cooccurrence(graph: nx.MultiDiGraph) -> list[CoOccurrence]:
    """Pairs of topsectors that share at least one community, most shared first."""
    counts: Counter[tuple[str, str]] = Counter()
    for community in nodes_of(graph, "community"):
        for pair in combinations(_targets(graph, community, "topsector"), 2):
            counts[pair] += 1
    pairs = [CoOccurrence(a, _label(graph, a), b, _label(graph, b), n) for (a, b), n in counts.items()]
    return sorted(pairs, key=lambda p: (-p.communities, p.first_label, p.second_label))


@dataclass(frozen=True)
class ProvinceNetwork:
    """How the communities of one province hang together through their organisations."""

    province: str
    """The province IRI, or NO_PROVINCE for the communities without one."""
    label: str
    communities: int
    organisations: int
    components: int
    """Connected components of the province's communities and their organisations."""
    largest: int
    """Communities in the largest component."""


def components_per_province(graph: nx.MultiDiGraph) -> list[ProvinceNetwork]:
    """Per province, the connected components of its communities with their lead institutions and partners.

    One component means every community there reaches every other through shared organisations;
    as many components as communities means islands. A province without communities has 0.
    The last row collects the communities without a province.
    """
    located = {c for p in nodes_of(graph, "province") for c in _sources(graph, p, "province")}
    groups = [(p, _label(graph, p), _sources(graph, p, "province")) for p in nodes_of(graph, "province")]
    groups.sort(key=lambda g: g[1])
    groups.append((NO_PROVINCE, "(no province)", [c for c in nodes_of(graph, "community") if c not in located]))
    rows = []
    for province, label, communities in groups:
        members = membership_graph(graph, communities)
        parts = list(nx.connected_components(members))
        largest = max((len(part & set(communities)) for part in parts), default=0)
        rows.append(ProvinceNetwork(province, label, len(communities), members.number_of_nodes() - len(communities),
                                    len(parts), largest))
    return rows


def serving_communities(graph: nx.MultiDiGraph, challenge: str) -> list[str]:
    """Communities that serve a challenge as the headline query defines it (README).

    Its source names the challenge, or one of its topsectors leads the challenge in the roadmap's table.
    """
    named = set(_sources(graph, challenge, "challenge"))
    via_lead = {c for t in _targets(graph, challenge, "leadTopsector") for c in _sources(graph, t, "topsector")}
    return sorted(c for c in named | via_lead if graph.nodes[c].get("kind") == "community")


@dataclass(frozen=True)
class LeadDependence:
    """The lead institutions behind the communities serving one challenge (in one province)."""

    challenge: str
    label: str
    province: str
    """A province IRI, or NO_PROVINCE for the whole country."""
    province_label: str
    serving: int
    without_lead: int
    """Serving communities whose data names no lead institution."""
    leads: tuple[tuple[str, int], ...]
    """(organisation label, serving communities it leads), most first."""

    @property
    def single(self) -> bool:
        """True when every recorded lead of the serving communities is one organisation."""
        return len(self.leads) == 1


def _dependence(graph: nx.MultiDiGraph, challenge: str, province: str, communities: list[str]) -> LeadDependence:
    leads: Counter[str] = Counter()
    without = 0
    for community in communities:
        found = _targets(graph, community, "leadInstitution")
        without += not found
        leads.update(_label(graph, org) for org in found)
    ordered = tuple(sorted(leads.items(), key=lambda kv: (-kv[1], kv[0])))
    province_label = _label(graph, province) if province else "(all)"
    return LeadDependence(challenge, _label(graph, challenge), province, province_label, len(communities), without, ordered)


def lead_dependence(graph: nx.MultiDiGraph) -> list[LeadDependence]:
    """Per challenge, nationally: the lead institutions of its serving communities."""
    return [_dependence(graph, ch, NO_PROVINCE, serving_communities(graph, ch)) for ch in nodes_of(graph, "challenge")]


def single_lead_regions(graph: nx.MultiDiGraph) -> list[LeadDependence]:
    """(challenge, province) pairs whose serving communities there all have the same one lead institution."""
    found = []
    for challenge in nodes_of(graph, "challenge"):
        serving = serving_communities(graph, challenge)
        for province in nodes_of(graph, "province"):
            here = [c for c in serving if province in _targets(graph, c, "province")]
            row = _dependence(graph, challenge, province, here)
            if row.single:
                found.append(row)
    return sorted(found, key=lambda r: (r.label, r.province_label))


@dataclass(frozen=True)
class Leader:
    node: str
    label: str
    degree: int


def degree_leaders(graph: nx.MultiDiGraph, kind: str, top: int = 5) -> list[Leader]:
    """The ``top`` nodes of one kind with the most edges (in and out), ties by label."""
    leaders = [Leader(n, _label(graph, n), int(graph.degree(n))) for n in nodes_of(graph, kind)]
    return sorted(leaders, key=lambda l: (-l.degree, l.label))[:top]


@dataclass(frozen=True)
class Analysis:
    """Every measure of `hckg analyse` on one graph."""

    nodes: dict[str, int]
    edges: dict[str, int]
    bridges: list[Bridge]
    cooccurrence: list[CoOccurrence]
    provinces: list[ProvinceNetwork]
    challenges: list[LeadDependence]
    single_lead_regions: list[LeadDependence]
    leaders: dict[str, list[Leader]]


def analyse(graph: nx.MultiDiGraph, top: int = 5) -> Analysis:
    """All measures; node counts per kind and edge counts per relation for the record."""
    return Analysis(
        nodes=dict(sorted(Counter(k for _, k in graph.nodes(data="kind")).items())),
        edges=dict(sorted(Counter(r for _, _, r in graph.edges(keys=True)).items())),
        bridges=bridging_organisations(graph),
        cooccurrence=topsector_cooccurrence(graph),
        provinces=components_per_province(graph),
        challenges=lead_dependence(graph),
        single_lead_regions=single_lead_regions(graph),
        leaders={kind: degree_leaders(graph, kind, top) for kind in ("organisation", "community", "topsector")},
    )


def write_graph(graph: nx.MultiDiGraph, fmt: str, output: IO[bytes]) -> None:
    """Write the graph as GraphML, GEXF (opens in Gephi) or a CSV edge list with labels and kinds."""
    if fmt == "graphml":
        # networkx writes a multigraph edge's key as its id, and the key is the relation ("partner" 304
        # times): GraphML wants ids unique in the document, so each edge gets source|relation|target.
        unique = graph.copy()
        for u, v, relation in unique.edges(keys=True):
            unique.edges[u, v, relation]["id"] = f"{u}|{relation}|{v}"
        nx.write_graphml(unique, output, edge_id_from_attribute="id")
    elif fmt == "gexf":
        nx.write_gexf(graph, output)
    elif fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["source", "relation", "target", "sourceKind", "sourceLabel", "targetKind", "targetLabel"])
        for u, v, relation in sorted(graph.edges(keys=True)):
            writer.writerow([u, relation, v, graph.nodes[u]["kind"], _label(graph, u), graph.nodes[v]["kind"],
                             _label(graph, v)])
        output.write(text.getvalue().encode("utf-8"))
    else:
        raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
