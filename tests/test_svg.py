"""The SVG renderers (hckg_web/render/svg.py, svg_map.py, svg_network.py): the numbers and labels drawn are the ones given.

The SVG is parsed as XML (it must be well-formed to be inlined in a page) and read back through the
``data-*`` attributes and the text nodes, so a wrong number or a lost label fails here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from hckg_web.render.svg import Bar, bar_chart
from hckg_web.render.svg_map import TILES, ProvinceCount, province_map
from hckg_web.render.svg_network import ego_network, layout, network_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter("{http://www.w3.org/2000/svg}text")]


def groups(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [g for g in root.iter("{http://www.w3.org/2000/svg}g") if css_class in (g.get("class") or "").split()]


def test_a_bar_chart_draws_each_value_with_its_label_title_and_target():
    svg = parse(bar_chart("c1", "Communities & more", [Bar("Alfa <A>", 3, extra=2, note="(+2)", href="/x?a=1&b=2"),
                                                       Bar("Beta", 0)], "desc", target=10))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find("svg:title", NS).text == "Communities & more"
    bars = groups(svg, "bar")
    assert [(b.get("data-label"), b.get("data-value"), b.get("data-extra")) for b in bars] == [
        ("Alfa <A>", "3", "2"), ("Beta", "0", "0")]
    assert "3 (+2)" in texts(bars[0]) and "Alfa <A>" in texts(bars[0])
    assert bars[0].find("svg:a", NS).get("href") == "/x?a=1&b=2"
    assert groups(svg, "target")[0].get("data-value") == "10"


def test_bar_lengths_are_proportional_to_the_values():
    svg = parse(bar_chart("c2", "t", [Bar("a", 4), Bar("b", 2), Bar("c", 1)]))
    widths = [float(b.find(".//svg:rect", NS).get("width")) for b in groups(svg, "bar")]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[1] == pytest.approx(2 * widths[2])


def test_an_empty_bar_chart_says_so():
    assert "no rows" in texts(parse(bar_chart("c3", "t", [])))


def twelve(counts: dict[str, int]) -> list[ProvinceCount]:
    return [ProvinceCount(code, f"Province {code}", counts.get(code, 0), f"/id/province/{code}") for code in sorted(TILES)]


def test_the_map_has_one_tile_per_province_with_its_count_and_marks_the_lacking_ones():
    svg = parse(province_map("m", "Map", twelve({"PV20": 3, "PV26": 1, "PV31": 7})))
    tiles = groups(svg, "province")
    assert sorted(t.get("data-code") for t in tiles) == sorted(TILES)
    shown = {t.get("data-code"): int(t.get("data-count")) for t in tiles}
    assert shown == {code: {"PV20": 3, "PV26": 1, "PV31": 7}.get(code, 0) for code in TILES}
    for tile in tiles:
        assert tile.get("data-count") in texts(tile)  # the number is written on the tile, not only shaded
    lacking = sorted(t.get("data-code") for t in groups(svg, "lacking"))
    assert lacking == sorted(set(TILES) - {"PV20", "PV26", "PV31"})
    assert all("hatch" in t.find(".//svg:rect", NS).get("fill") for t in groups(svg, "lacking"))
    description = svg.find("svg:desc", NS).text
    assert description.startswith("Schematic tile map") and "Province PV22" in description
    assert any("Schematic" in t for t in texts(svg))


def test_the_map_refuses_a_province_it_has_no_tile_for():
    with pytest.raises(ValueError, match="PV99"):
        province_map("m", "Map", [ProvinceCount("PV99", "Atlantis", 1)])


def test_no_province_lacking_is_said_in_the_description():
    svg = parse(province_map("m", "Map", twelve({code: 1 for code in TILES})))
    assert groups(svg, "lacking") == [] and "No province lacks one." in svg.find("svg:desc", NS).text


def small_network() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node, kind in (("c:a", "community"), ("c:b", "community"), ("c:c", "community"), ("o:x", "organisation"),
                       ("o:y", "organisation"), ("t:e", "topsector"), ("p:u", "province")):
        g.add_node(node, kind=kind, label=node.upper())
    for u, v, r in (("c:a", "o:x", "leadInstitution"), ("c:a", "o:y", "partner"), ("c:a", "t:e", "topsector"),
                    ("c:a", "p:u", "province"), ("c:b", "o:x", "partner"), ("c:c", "o:y", "partner"),
                    ("c:c", "o:x", "leadInstitution")):
        g.add_edge(u, v, key=r, relation=r)
    return g


def test_the_ego_network_holds_members_and_the_communities_sharing_them():
    network = ego_network(small_network(), "c:a")
    assert network.members("leadInstitution") == ["o:x"] and network.members("partner") == ["o:y"]
    assert network.members("sharing") == ["c:b", "c:c"]
    assert sorted(network.graph.edges) == sorted([("c:a", "o:x"), ("c:a", "o:y"), ("c:a", "t:e"), ("c:a", "p:u"),
                                                  ("c:b", "o:x"), ("c:c", "o:x"), ("c:c", "o:y")])
    assert ego_network(small_network(), "c:a", max_neighbours=1).left_out == 1


def test_the_ego_network_of_a_non_community_is_a_key_error():
    with pytest.raises(KeyError):
        ego_network(small_network(), "o:x")


def test_the_layout_is_the_same_on_every_run_and_inside_the_picture():
    first, second = layout(ego_network(small_network(), "c:a")), layout(ego_network(small_network(), "c:a"))
    assert first == second
    assert first["c:a"] == (0.5, 0.5)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())


def test_the_network_svg_draws_every_node_and_edge_with_its_label_and_link():
    network = ego_network(small_network(), "c:a")
    svg = parse(network_svg("n", "Net", network, {"o:x": "/id/organisation/x"}))
    nodes = groups(svg, "node")
    assert sorted(n.get("data-iri") for n in nodes) == sorted(network.graph.nodes)
    assert {n.get("data-iri"): texts(n)[0] for n in nodes} == {n: n.upper() for n in network.graph.nodes}
    assert len(list(svg.iter("{http://www.w3.org/2000/svg}line"))) == network.graph.number_of_edges()
    linked = [n for n in nodes if n.find("svg:a", NS) is not None]
    assert [n.get("data-iri") for n in linked] == ["o:x"]
    assert network_svg("n", "Net", network) == network_svg("n", "Net", network)
