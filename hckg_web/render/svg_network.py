"""A network view of one learning community and its partners, laid out by networkx and drawn as SVG.

The layout (``spring_layout`` with a fixed seed, nodes added in sorted order) is computed on the
server, so the same store always gives the same picture and a test can compare it. The ego network
is taken from ``hckg.reports.analytics.build_graph``: the community, its lead institution and partners, its
topsectors, challenges and province, and the other communities that share an organisation with it
(the most-connected first, at most ``MAX_NEIGHBOURS``).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from hckg.reports.analytics import MEMBER_RELATIONS
from .svg import attr, link, wrapper

SEED = 7
MAX_NEIGHBOURS = 20
COLOURS = {"focus": "#c0392b", "community": "#2f6f9f", "organisation": "#e69f00", "topsector": "#009e73",
           "challenge": "#cc79a7", "province": "#7f7f7f", "keyTechnology": "#56b4e9", "other": "#999999"}


@dataclass(frozen=True)
class EgoNetwork:
    """The nodes and edges to draw; ``graph`` nodes carry ``kind``, ``label`` and ``role``."""

    community: str
    graph: nx.Graph
    left_out: int
    """Other communities sharing an organisation that were not drawn (beyond MAX_NEIGHBOURS)."""

    def members(self, role: str) -> list[str]:
        return sorted(n for n, r in self.graph.nodes(data="role") if r == role)


def ego_network(full: nx.MultiDiGraph, community: str, max_neighbours: int = MAX_NEIGHBOURS) -> EgoNetwork:
    """The community's neighbourhood; KeyError when ``community`` is no community node of ``full``."""
    if full.nodes.get(community, {}).get("kind") != "community":
        raise KeyError(community)
    ego = nx.Graph()

    def add(node: str, role: str) -> None:
        if node not in ego:
            data = full.nodes[node]
            ego.add_node(node, kind=data.get("kind", "other"), label=str(data.get("label", node)), role=role)

    add(community, "focus")
    organisations = []
    for _, target, relation in sorted(full.out_edges(community, keys=True)):
        add(target, relation if relation in MEMBER_RELATIONS else full.nodes[target].get("kind", "other"))
        ego.add_edge(community, target, relation=relation)
        if relation in MEMBER_RELATIONS:
            organisations.append(target)
    shared: dict[str, set[str]] = {}
    for organisation in organisations:
        for other, _, relation in full.in_edges(organisation, keys=True):
            if other != community and relation in MEMBER_RELATIONS:
                shared.setdefault(other, set()).add(organisation)
    ranked = sorted(shared, key=lambda c: (-len(shared[c]), str(full.nodes[c].get("label", c)), c))
    for other in ranked[:max_neighbours]:
        add(other, "sharing")
        for organisation in sorted(shared[other]):
            ego.add_edge(other, organisation, relation="shares")
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(ego.nodes(data=True)))
    ordered.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in ego.edges(data=True)))
    return EgoNetwork(community, ordered, max(len(ranked) - max_neighbours, 0))


def layout(network: EgoNetwork, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1] x [0, 1]; the community in the middle, the same for the same graph and seed."""
    pos = nx.spring_layout(network.graph, seed=seed, fixed=[network.community], pos={network.community: (0.0, 0.0)})
    # With a fixed node networkx does not rescale: stretch each axis so the farthest node touches the edge.
    spread = [max([abs(float(p[axis])) for p in pos.values()] + [1e-9]) for axis in (0, 1)]
    return {n: (0.5 + 0.5 * float(x) / spread[0], 0.5 + 0.5 * float(y) / spread[1]) for n, (x, y) in pos.items()}


def network_svg(ident: str, title: str, network: EgoNetwork, hrefs: dict[str, str] | None = None,
                size: int = 900, seed: int = SEED) -> str:
    """The ego network as SVG: edges, then nodes coloured by kind, each labelled and linked."""
    hrefs = hrefs or {}
    pad = 200
    pos = {n: (pad + x * (size - 2 * pad), 40 + y * (size - 80)) for n, (x, y) in layout(network, seed).items()}
    parts = []
    for u, v, data in network.graph.edges(data=True):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        dash = " stroke-dasharray=\"3 3\"" if data.get("relation") == "shares" else ""
        parts.append(f"<line class=\"edge\" data-relation=\"{attr(data.get('relation', ''))}\" x1=\"{x1:.1f}\" "
                     f"y1=\"{y1:.1f}\" x2=\"{x2:.1f}\" y2=\"{y2:.1f}\" stroke=\"#bbb\"{dash}/>")
    for node, data in network.graph.nodes(data=True):
        x, y = pos[node]
        role, kind = data["role"], data["kind"]
        colour = COLOURS["focus"] if role == "focus" else COLOURS.get(kind, COLOURS["other"])
        radius = 14 if role == "focus" else 9 if kind == "community" else 7
        label = data["label"] if len(data["label"]) <= 34 else data["label"][:33] + "…"
        # Labels point away from the middle, so the ones at the edges stay inside the picture.
        side = -1 if role != "focus" and x < size / 2 else 1
        anchor = "end" if side < 0 else "start"
        inner = (f"<title>{attr(data['label'])} ({attr(role)})</title>"
                 f"<circle cx=\"{x:.1f}\" cy=\"{y:.1f}\" r=\"{radius}\" fill=\"{colour}\" stroke=\"#fff\"/>"
                 f"<text x=\"{x + side * (radius + 4):.1f}\" y=\"{y + 4:.1f}\" text-anchor=\"{anchor}\" font-size=\"11\" "
                 f"style=\"paint-order:stroke\" stroke=\"#fff\" stroke-width=\"3\">{attr(label)}</text>")
        parts.append(f"<g class=\"node\" data-iri=\"{attr(node)}\" data-kind=\"{attr(kind)}\" data-role=\"{attr(role)}\">"
                     f"{link(hrefs.get(node, ''), inner)}</g>")
    legend = "".join(f"<circle cx=\"{14 + i * 118}\" cy=\"{size + 14}\" r=\"6\" fill=\"{c}\"/>"
                     f"<text x=\"{24 + i * 118}\" y=\"{size + 18}\" font-size=\"11\">{attr(k)}</text>"
                     for i, (k, c) in enumerate(list(COLOURS.items())[:6]))
    counts = {role: len(network.members(role)) for role in ("leadInstitution", "partner", "sharing")}
    description = (f"{network.graph.nodes[network.community]['label']}: {counts['leadInstitution']} lead institution(s), "
                   f"{counts['partner']} partner(s), and {counts['sharing']} other communities sharing an organisation"
                   + (f" ({network.left_out} more not drawn)" if network.left_out else "") + ". Layout: networkx "
                   f"spring layout, seed {seed}.")
    return wrapper(ident, size, size + 30, title, description, "".join(parts) + legend, css_class="network")
