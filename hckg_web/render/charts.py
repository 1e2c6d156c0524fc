"""Which charts show the monitor and a saved query's answer: numbers from the store in, SVG out.

The monitor's figures (``hckg.reports.monitor``) become one chart per section and dimension, each bar linking
to the saved query (and parameters) that computes it. A saved query with a ``#+ view:`` hint is
drawn from its own answer: ``bar`` takes the first text column as labels and the last numeric column
as values, ``map`` needs a ``cbsCode`` column and a count. No number is made here: every value
drawn is a value of a query's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence
from urllib.parse import urlencode

from hckg.reports.monitor import Figure, Monitor
from .svg import Bar, bar_chart
from .svg_map import ProvinceCount, province_map

Row = Mapping[str, str]


def query_href(query: str, params: Mapping[str, str] | None = None) -> str:
    """The query page that runs ``query`` with ``params`` (the page a person can rerun and download from)."""
    pairs = list((params or {}).items())
    return f"/queries/{query}" + ("?" + urlencode(pairs + [("run", "1")]) if pairs else "")


def figure_href(figure: Figure) -> str:
    return query_href(figure.query, figure.params)


@dataclass(frozen=True)
class Chart:
    """One chart of the monitor page: the SVG, and the queries its bars come from."""

    key: str
    title: str
    svg: str
    queries: tuple[str, ...]
    bars: tuple[Bar, ...]


def _by(figures: Sequence[Figure], dimension: str) -> dict[tuple[str, str], dict[str, Figure]]:
    grouped: dict[tuple[str, str], dict[str, Figure]] = {}
    for f in figures:
        if f.dimension == dimension:
            grouped.setdefault((f.key, f.label), {})[f.measure] = f
    return grouped


def _chart(key: str, title: str, bars: list[Bar], figures: Sequence[Figure], description: str, **options: object) -> Chart:
    queries = tuple(sorted({f.query for f in figures}))
    return Chart(key, title, bar_chart(f"chart-{key}", title, bars, description, **options),  # type: ignore[arg-type]
                 queries, tuple(bars))


def monitor_charts(result: Monitor) -> dict[str, list[Chart]]:
    """Section key → its charts, in the order of ``hckg monitor``."""
    charts: dict[str, list[Chart]] = {}
    for section in result.sections:
        rows = result.rows(section.key)
        maker = _MAKERS.get(section.key)
        charts[section.key] = maker(rows) if maker else []
    return charts


def _progress_charts(rows: Sequence[Figure]) -> list[Chart]:
    total = {f.measure: f for f in rows if f.dimension == "all"}
    target = total["targetValue"].value
    headline = [
        Bar("toward the target", total["startedByTargetYear"].value,
            extra=total["noStartYear"].value, note=f"(+{total['noStartYear'].value} without start year)",
            href=figure_href(total["startedByTargetYear"])),
    ]
    charts = [_chart("100-extra-total", "Extra learning communities toward the target", headline, list(total.values()),
                     f"{total['startedByTargetYear'].value} communities started after the baseline year and by the "
                     f"target year; {total['noStartYear'].value} more have no start year (light part); target "
                     f"{target}.", target=float(target), target_label="target")]
    for dimension, title in (("challenge", "by societal challenge"), ("type", "by type"), ("province", "by province"),
                             ("keyTechnology", "by key technology")):
        groups = _by(rows, dimension)
        if not groups:
            continue
        bars = [Bar(label, m["startedByTargetYear"].value, extra=m["noStartYear"].value,
                    note=f"(+{m['noStartYear'].value} undated)" if m["noStartYear"].value else "",
                    href=figure_href(m["startedByTargetYear"]))
                for (_, label), m in groups.items()]
        used = [f for m in groups.values() for f in m.values()]
        charts.append(_chart(f"100-extra-{dimension}", f"Started after the baseline, {title}", bars, used,
                             f"Communities started after the baseline year and by the target year, {title}; the light "
                             "part of each bar counts the communities without a start year."))
    return charts


def _region_charts(rows: Sequence[Figure]) -> list[Chart]:
    groups = _by(rows, "challenge")
    total = _by(rows, "all")
    provinces = sum(int(f.value) for m in total.values() for f in m.values())  # with + without = 12
    bars = [Bar(label, m["provincesWith"].value, note=f"of {provinces}", href=figure_href(m["provincesWithout"]))
            for (_, label), m in list(total.items()) + list(groups.items())]
    used = [f for m in list(total.values()) + list(groups.values()) for f in m.values()]
    return [_chart("every-region", "Provinces with a learning community", bars, used,
                   f"How many of the {provinces} provinces have a learning community, in all and per societal "
                   "challenge (any type).", maximum=float(provinces), target=float(provinces),
                   target_label="every province")]


def _coe_civ_charts(rows: Sequence[Figure]) -> list[Chart]:
    charts = []
    groups = {**_by(rows, "all"), **_by(rows, "type")}
    for measure, title in (("before", "started before the period"), ("byPeriodEnd", "by the end of the period")):
        bars = [Bar(label or "CoE and CIV", m[measure].value, extra=m["noStartYear"].value,
                    note=f"(+{m['noStartYear'].value} undated)" if m["noStartYear"].value else "",
                    href=figure_href(m[measure])) for (_, label), m in groups.items()]
        used = [f for m in groups.values() for f in m.values()]
        charts.append(_chart(f"coe-civ-{measure}", f"CoEs and CIVs {title}", bars, used,
                             f"Centres counted {title} (capacity itself is not in the data); the light part counts "
                             "centres without a start year."))
    return charts


_MAKERS: dict[str, Callable[[Sequence[Figure]], list[Chart]]] = {
    "100-extra": _progress_charts,
    "every-region": _region_charts,
    "coe-civ-doubling": _coe_civ_charts,
}


def _numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def chart_columns(variables: Sequence[str], rows: Sequence[Row], value: str | None = None) -> tuple[str, str]:
    """(label column, value column) of a SELECT answer drawn as bars or a map.

    The label is the first column named ``...Label``, else the first column of plain text (not
    numbers, not IRIs), else the first column; the value is ``value`` (the ``#+ view-value:``
    decorator) or the first column after the label whose values are all numbers (empty counts as 0).
    Raises ValueError when there is no such column: the answer cannot be drawn.
    """
    numeric = [v for v in variables if rows and all(_numeric(r.get(v) or "0") for r in rows)]
    iri = [v for v in variables if any((r.get(v) or "").startswith(("http://", "https://")) for r in rows)]
    label = next((v for v in variables if v.endswith("Label")),
                 next((v for v in variables if v not in numeric and v not in iri), variables[0] if variables else ""))
    if value is not None:
        if value not in variables:
            raise ValueError(f"the view's value column {value!r} is not among {', '.join(variables)}")
        return label, value
    after = [v for v in numeric if v != label]
    if not after:
        raise ValueError(f"no numeric column among {', '.join(variables)}")
    return label, after[0]


def answer_bars(variables: Sequence[str], rows: Sequence[Row], href: Callable[[Row], str] | None = None,
                value: str | None = None) -> list[Bar]:
    """One bar per row of a SELECT answer (columns chosen by ``chart_columns``)."""
    label, column = chart_columns(variables, rows, value)
    return [Bar(r.get(label) or "(none)", float(r.get(column) or 0), href=href(r) if href else "") for r in rows]


def answer_chart(ident: str, title: str, view: str, variables: Sequence[str], rows: Sequence[Row],
                 href: Callable[[Row], str] | None = None, value: str | None = None) -> str:
    """The SVG of a saved query's answer for its view hint (``bar`` or ``map``).

    Raises ValueError when the answer does not have the columns the view needs (the page then says so).
    """
    if view == "bar":
        return bar_chart(ident, title, answer_bars(variables, rows, href, value), title)
    if view == "map":
        if "cbsCode" not in variables:
            raise ValueError("a map needs a cbsCode column")
        label, column = chart_columns(variables, rows, value)
        return province_map(ident, title, [ProvinceCount(r["cbsCode"], r.get(label) or r["cbsCode"],
                                                         int(float(r.get(column) or 0)), href(r) if href else "")
                                           for r in rows])
    raise ValueError(f"view {view!r} has no chart drawn from an answer")
