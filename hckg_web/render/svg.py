"""Server-rendered SVG bar charts: no JavaScript, no CDN, readable by screen readers and by tests.

A chart is a plain string of SVG built from numbers the caller got from a saved query. Every bar
carries its label and value as text and as ``data-label``/``data-value`` attributes, so a test (or
a person with a screen reader) reads the same numbers the store gave; ``<title>``/``<desc>`` say
what the chart shows. Shared pieces (escaping, the accessible wrapper) are used by the map and the
network view too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Sequence

FONT = "font-family=\"system-ui,sans-serif\""
BAR_COLOUR = "#2f6f9f"
EXTRA_COLOUR = "#a9c6dd"
TARGET_COLOUR = "#c0392b"


def attr(value: object) -> str:
    """A value escaped for an XML attribute or text node."""
    return escape(str(value), quote=True)


def number(value: float) -> str:
    """1.0 → '1', 12.5 → '12.5': the number as the query gave it, without a stray '.0'."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def wrapper(ident: str, width: float, height: float, title: str, description: str, body: str,
            css_class: str = "chart") -> str:
    """The ``<svg>`` element with ``role="img"`` and a title and description it is labelled by."""
    return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{attr(css_class)}\" id=\"{attr(ident)}\" "
            f"viewBox=\"0 0 {number(width)} {number(height)}\" width=\"{number(width)}\" height=\"{number(height)}\" "
            f"role=\"img\" aria-labelledby=\"{attr(ident)}-title {attr(ident)}-desc\" {FONT} font-size=\"13\">"
            f"<title id=\"{attr(ident)}-title\">{attr(title)}</title><desc id=\"{attr(ident)}-desc\">{attr(description)}</desc>"
            f"{body}</svg>")


def link(href: str, inner: str) -> str:
    return f"<a href=\"{attr(href)}\">{inner}</a>" if href else inner


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, an optional lighter extension (``extra``) and a link."""

    label: str
    value: float
    extra: float = 0
    """Drawn after the bar in a lighter colour: e.g. communities without a start year, which *could* count."""
    href: str = ""
    note: str = ""
    """Short text after the number, e.g. '+3 undated'."""


def bar_chart(ident: str, title: str, bars: Sequence[Bar], description: str = "", maximum: float | None = None,
              target: float | None = None, target_label: str = "target", label_width: int = 230,
              width: int = 680) -> str:
    """A horizontal bar chart; ``target`` draws a labelled vertical line (e.g. the roadmap's 100).

    The scale runs from 0 to the largest of ``maximum``, the target and every value plus its extra,
    so no bar is cut off. An empty ``bars`` gives a chart that says 'no rows'.
    """
    row, top, right = 24, 8, 150
    height = top + max(len(bars), 1) * row + (22 if target is not None else 8)
    scale_max = max([maximum or 0, target or 0, *(b.value + b.extra for b in bars), 1])
    plot = width - label_width - right

    def x(value: float) -> float:
        return label_width + plot * value / scale_max

    parts: list[str] = []
    if not bars:
        parts.append(f"<text x=\"{label_width}\" y=\"{top + 16}\" fill=\"#666\">no rows</text>")
    for i, bar in enumerate(bars):
        y = top + i * row
        value_w = max(plot * bar.value / scale_max, 0)
        extra_w = max(plot * bar.extra / scale_max, 0)
        shown = number(bar.value) + (f" {bar.note}" if bar.note else "")
        tip = f"{bar.label}: {shown}"
        parts.append(
            f"<g class=\"bar\" data-label=\"{attr(bar.label)}\" data-value=\"{attr(number(bar.value))}\""
            f" data-extra=\"{attr(number(bar.extra))}\">" + link(bar.href, (
                f"<title>{attr(tip)}</title>"
                f"<text x=\"{label_width - 6}\" y=\"{y + 16}\" text-anchor=\"end\" class=\"bar-label\">"
                f"{attr(_clip(bar.label, label_width))}</text>"
                f"<rect x=\"{label_width}\" y=\"{y + 4}\" width=\"{value_w:.1f}\" height=\"{row - 8}\" fill=\"{BAR_COLOUR}\"/>"
                + (f"<rect class=\"extra\" x=\"{label_width + value_w:.1f}\" y=\"{y + 4}\" width=\"{extra_w:.1f}\" "
                   f"height=\"{row - 8}\" fill=\"{EXTRA_COLOUR}\"/>" if bar.extra else "")
                + f"<text x=\"{label_width + value_w + extra_w + 5:.1f}\" y=\"{y + 16}\" class=\"bar-value\">"
                f"{attr(shown)}</text>")) + "</g>")
    if target is not None:
        tx = x(target)
        bottom = top + max(len(bars), 1) * row
        # Drawn first, so the bars and their numbers lie on top of the line.
        parts.insert(0, f"<g class=\"target\" data-value=\"{attr(number(target))}\"><line x1=\"{tx:.1f}\" y1=\"{top}\" "
                     f"x2=\"{tx:.1f}\" y2=\"{bottom}\" stroke=\"{TARGET_COLOUR}\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
                     f"<text x=\"{tx:.1f}\" y=\"{bottom + 15}\" text-anchor=\"middle\" fill=\"{TARGET_COLOUR}\">"
                     f"{attr(target_label)}: {attr(number(target))}</text></g>")
    parts.append(f"<line x1=\"{label_width}\" y1=\"{top}\" x2=\"{label_width}\" y2=\"{top + max(len(bars), 1) * row}\" "
                 "stroke=\"#555\"/>")
    return wrapper(ident, width, height, title, description or title, "".join(parts))


def _clip(text: str, width: int) -> str:
    """Labels longer than the label column (about 7.6 px a character at 13 px) end in '…'; the full one is in <title>."""
    most = max(math.floor(width / 7.6), 4)
    return text if len(text) <= most else text[: most - 1] + "…"
