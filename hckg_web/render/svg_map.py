"""A schematic tile map of the twelve Dutch provinces as SVG, shaded by a count per province.

The machines have no internet and the project ships no boundary geometry, so each province is one
square tile placed roughly where it lies (Fryslân and Groningen on top, Limburg at the bottom right).
The map says it is schematic. Provinces with a count of 0 are the headline's "lacking" ones: they
are hatched, outlined in red and listed in the description, so they stand out without colour too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .svg import attr, link, number, wrapper

TILES: dict[str, tuple[int, int]] = {
    "PV21": (1, 0), "PV20": (2, 0),                      # Fryslân, Groningen
    "PV27": (0, 1), "PV24": (1, 1), "PV22": (2, 1),      # Noord-Holland, Flevoland, Drenthe
    "PV28": (0, 2), "PV26": (1, 2), "PV23": (2, 2),      # Zuid-Holland, Utrecht, Overijssel
    "PV29": (0, 3), "PV30": (1, 3), "PV25": (2, 3),      # Zeeland, Noord-Brabant, Gelderland
    "PV31": (2, 4),                                      # Limburg
}
"""CBS code → (column, row) of the tile; the grid keeps each province's neighbours roughly in place."""
SHADES = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")
LACKING = "#c0392b"
TILE, GAP, MARGIN = 112, 6, 10


@dataclass(frozen=True)
class ProvinceCount:
    code: str
    """CBS code (PV20 ...): where the tile goes."""
    label: str
    count: int
    href: str = ""


def shade(count: int, maximum: int) -> str:
    """The fill of a tile with ``count`` (>0) on a scale up to ``maximum``: four steps of blue."""
    step = min(len(SHADES) - 1, (count - 1) * len(SHADES) // max(maximum, 1))
    return SHADES[step]


def province_map(ident: str, title: str, provinces: Sequence[ProvinceCount], what: str = "communities") -> str:
    """The tile map; raises ValueError for a province code without a tile (not one of the twelve)."""
    unknown = sorted(p.code for p in provinces if p.code not in TILES)
    if unknown:
        raise ValueError(f"no tile for province code(s) {', '.join(unknown)}; the map knows {', '.join(sorted(TILES))}")
    maximum = max([p.count for p in provinces] + [1])
    lacking = [p.label for p in provinces if p.count == 0]
    grid_w = 3 * TILE + 2 * GAP
    legend_x = MARGIN + grid_w + 24
    width, height = legend_x + 200, MARGIN * 2 + 5 * TILE + 4 * GAP + 20
    parts = [
        "<defs><pattern id=\"" + attr(ident) + "-hatch\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\" "
        "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#fff\"/>"
        f"<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"{LACKING}\" stroke-width=\"3\"/></pattern></defs>"
    ]
    for p in sorted(provinces, key=lambda p: TILES[p.code][::-1]):
        col, row = TILES[p.code]
        x, y = MARGIN + col * (TILE + GAP), MARGIN + row * (TILE + GAP)
        is_lacking = p.count == 0
        fill = f"url(#{ident}-hatch)" if is_lacking else shade(p.count, maximum)
        stroke = f"stroke=\"{LACKING}\" stroke-width=\"3\"" if is_lacking else "stroke=\"#fff\" stroke-width=\"1\""
        ink = "#fff" if not is_lacking and fill in SHADES[2:] else "#111"
        tip = f"{p.label}: {p.count} {what}" + (" (lacking)" if is_lacking else "")
        halo = ' style="paint-order:stroke" stroke="#fff" stroke-width="4"' if is_lacking else ""
        weight = ' font-weight="600"' if is_lacking else ""
        inner = (f"<title>{attr(tip)}</title><rect x=\"{x}\" y=\"{y}\" width=\"{TILE}\" height=\"{TILE}\" rx=\"6\" "
                 f"fill=\"{fill}\" {stroke}/>"
                 f"<text x=\"{x + TILE / 2}\" y=\"{y + 42}\" text-anchor=\"middle\" fill=\"{ink}\" font-size=\"13\" "
                 f"class=\"province-label\"{weight}{halo}>{attr(p.label)}</text>"
                 f"<text x=\"{x + TILE / 2}\" y=\"{y + 78}\" text-anchor=\"middle\" fill=\"{ink}\" font-size=\"26\" "
                 f"font-weight=\"700\" class=\"province-count\"{halo}>{number(p.count)}</text>")
        kind = "province lacking" if is_lacking else "province"
        parts.append(f"<g class=\"{kind}\" data-code=\"{attr(p.code)}\" "
                     f"data-label=\"{attr(p.label)}\" data-count=\"{p.count}\">{link(p.href, inner)}</g>")
    parts.append(_legend(ident, legend_x, maximum, what))
    parts.append(f"<text x=\"{MARGIN}\" y=\"{height - 8}\" fill=\"#666\" font-size=\"12\">Schematic tile map: one "
                 "square per province, roughly in place; not to scale, no borders.</text>")
    description = (f"Schematic tile map of the 12 provinces; each shows its number of {what}. "
                   + (f"Lacking (0): {', '.join(lacking)}." if lacking else "No province lacks one."))
    return wrapper(ident, width, height, title, description, "".join(parts), css_class="province-map")


def _legend(ident: str, x: int, maximum: int, what: str) -> str:
    rows = [f"<text x=\"{x}\" y=\"{MARGIN + 14}\" font-weight=\"600\">{attr(what.capitalize())}</text>",
            f"<rect x=\"{x}\" y=\"{MARGIN + 26}\" width=\"22\" height=\"16\" fill=\"url(#{attr(ident)}-hatch)\" "
            f"stroke=\"{LACKING}\" stroke-width=\"2\"/><text x=\"{x + 30}\" y=\"{MARGIN + 39}\">0: lacking</text>"]
    seen: list[tuple[str, int, int]] = []
    for count in range(1, maximum + 1):
        colour = shade(count, maximum)
        if seen and seen[-1][0] == colour:
            seen[-1] = (colour, seen[-1][1], count)
        else:
            seen.append((colour, count, count))
    for i, (colour, low, high) in enumerate(seen):
        y = MARGIN + 50 + i * 24
        span = str(low) if low == high else f"{low}-{high}"
        rows.append(f"<rect x=\"{x}\" y=\"{y}\" width=\"22\" height=\"16\" fill=\"{colour}\"/>"
                    f"<text x=\"{x + 30}\" y=\"{y + 13}\">{span}</text>")
    return "<g class=\"legend\">" + "".join(rows) + "</g>"
