"""The roadmap monitor (`hckg monitor`): progress toward the roadmap's targets, read live from the store.

Techniekpact publishes its monitors as yearly PDFs; here every figure is the answer of a saved query
(``queries/*.rq``) that anyone can rerun, and says which query it is. Target values, baseline and
target years come from the roadmap in the data (``data/roadmap/roadmap.ttl``), never from code, and
what the data cannot tell (communities without a start year, capacity of CoEs/CIVs) is counted and
said, not dropped.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Mapping, Sequence


from ..queries.catalog import get_query
from ..queries.running import enumerate_values, records, run_saved
from ..store.base import Store

TARGET_100 = "https://w3id.org/hckg/id/target/100-extra-learning-communities"
TARGET_REGIONS = "https://w3id.org/hckg/id/target/learning-communities-every-region"
AMBITION_COE_CIV = "https://w3id.org/hckg/id/ambition/verdubbeling-capaciteit-coe-civ"
ANY_COMMUNITY = "https://w3id.org/hckg/def#LearningCommunity"
FORMATS = ("table", "json", "csv")


@dataclass(frozen=True)
class Figure:
    """One number of the monitor and the saved query (with parameters) that gives it."""

    section: str
    dimension: str
    """What the row is about: all, challenge, type, province, keyTechnology."""
    key: str
    """The IRI of the challenge, type, province ... ('' for all, or for the row without one)."""
    label: str
    measure: str
    value: int | float
    query: str
    params: dict[str, str] = field(default_factory=dict)
    detail: str = ""
    """What lies behind the number when it is short enough to show, e.g. the provinces lacking."""

    @property
    def source(self) -> str:
        """``query?param=value&...``: the saved query and parameters to rerun."""
        return self.query + ("?" + "&".join(f"{k}={v}" for k, v in self.params.items()) if self.params else "")


@dataclass(frozen=True)
class Section:
    """One roadmap target or ambition, as the data states it, and what the data can say about it."""

    key: str
    title: str
    target: str
    """The IRI of the target or ambition in the data."""
    statement: str
    """The target's label from the data."""
    target_query: str
    notes: list[str]


@dataclass(frozen=True)
class Monitor:
    sections: list[Section]
    figures: list[Figure]

    def figure(self, section: str, dimension: str, measure: str, key: str = "") -> int | float:
        """The value of one figure; KeyError when there is none."""
        for f in self.figures:
            if (f.section, f.dimension, f.measure, f.key) == (section, dimension, measure, key):
                return f.value
        raise KeyError((section, dimension, measure, key))

    def rows(self, section: str) -> list[Figure]:
        return [f for f in self.figures if f.section == section]


def _rows(store: Store, folder: Path, name: str, params: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, str]]:
    return records(run_saved(store, folder, name, params or {}))[1]


def _number(text: str) -> int | float:
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _target(store: Store, folder: Path, iri: str) -> dict[str, str]:
    rows = [r for r in _rows(store, folder, "targets") if r["target"] == iri]
    if not rows:
        raise LookupError(f"the data has no target {iri} (saved query targets)")
    return rows[0]


def _progress(store: Store, folder: Path, target: dict[str, str]) -> tuple[Section, list[Figure]]:
    section = "100-extra"
    value = _number(target["targetValue"])
    baseline, year = target["baselineYear"], target["targetYear"]
    figures: list[Figure] = []
    measures = ("communities", "startedAfterBaseline", "startedByTargetYear", "noStartYear")
    query = "progress-100-extra-communities"
    for row in _rows(store, folder, query):
        for m in measures:
            label = row["valueLabel"] or ("all" if row["dimension"] == "all" else "(none)")
            figures.append(Figure(section, row["dimension"], row["value"], label, m,
                                  _number(row[m]), query))
    query = "progress-100-extra-by-key-technology"
    for row in _rows(store, folder, query):
        for m in measures:
            figures.append(Figure(section, "keyTechnology", row["keyTechnology"], row["keyTechnologyLabel"] or "(none)",
                                  m, _number(row[m]), query))
    total = {f.measure: f.value for f in figures if f.dimension == "all"}
    reached, undated = total["startedByTargetYear"], total["noStartYear"]
    for measure, number in (("targetValue", value), ("shareOfTarget", round(100 * reached / value, 1)),
                            ("atMostWithUndated", reached + undated)):
        figures.append(Figure(section, "all", "", "all", measure, number,
                              "targets" if measure == "targetValue" else "progress-100-extra-communities"))
    notes = [
        f"{reached} of {value} communities started after {baseline} and by {year} "
        f"({round(100 * reached / value, 1)}%); {total['startedAfterBaseline']} started after {baseline} in all.",
        f"{undated} of {total['communities']} communities have no start year: they are counted in every row "
        f"(noStartYear) and could add at most {undated}, so at most {reached + undated} of {value}.",
        "The register is thin (not Katapult's full list), and it records no end dates: read the counts as a "
        "lower bound of communities started, not a net count of communities that still exist.",
        "By challenge a community counts for each challenge it serves (named in its source, or led by one of "
        "its topsectors), so those rows overlap; rows '(none)' collect communities without a challenge, province "
        "or key technology.",
    ]
    if all(f.value == 0 for f in figures if f.dimension == "keyTechnology" and f.key and f.measure == "communities"):
        notes.append("No community is linked to a key technology in the data yet: every community falls in the "
                     "key-technology row '(none)'.")
    return Section(section, "100 extra learning communities", TARGET_100, target["targetLabel"], "targets", notes), figures


def _regions(store: Store, folder: Path, target: dict[str, str]) -> tuple[Section, list[Figure]]:
    section = "every-region"
    total = len(_province_values(store, folder))
    figures: list[Figure] = []
    without = _rows(store, folder, "regions-without-community")
    query = "regions-without-community"
    figures.append(Figure(section, "all", "", "any type, any challenge", "provincesWith", total - len(without), query))
    figures.append(Figure(section, "all", "", "any type, any challenge", "provincesWithout", len(without), query,
                          detail=", ".join(r["regionLabel"] for r in without)))
    challenge_param = get_query(folder, "regions-lacking-community").parameter("challenge")
    assert challenge_param is not None
    for term, label in enumerate_values(store, challenge_param):
        params = {"challenge": term.value, "type": ANY_COMMUNITY}
        lacking = _rows(store, folder, "regions-lacking-community", {k: [v] for k, v in params.items()})
        name = "regions-lacking-community"
        figures.append(Figure(section, "challenge", term.value, label, "provincesWith", total - len(lacking), name, params))
        figures.append(Figure(section, "challenge", term.value, label, "provincesWithout", len(lacking), name, params,
                              detail=", ".join(r["regionLabel"] for r in lacking)))
    unplaced = [r for r in _rows(store, folder, "communities-per-province-type") if not r["province"]]
    no_province = sum(int(r["communities"]) for r in unplaced)
    figures.append(Figure(section, "province", "", "(none)", "communities", no_province, "communities-per-province-type"))
    notes = [
        f"{total} provinces; a province 'without' has no such community recorded there.",
        f"{no_province} communities have no province (national networks, or no place in the source) and count for none.",
        "The target also asks that communities work on the region's own priorities, anchored in regional "
        "investment agendas: the data holds no investment agendas, so only presence is measured.",
    ]
    return Section(section, "Learning communities in every region", TARGET_REGIONS, target["targetLabel"], "targets",
                   notes), figures


def _province_values(store: Store, folder: Path) -> list[str]:
    param = get_query(folder, "province-subgraph").parameter("province")
    assert param is not None
    return [term.value for term, _ in enumerate_values(store, param)]


def _coe_civ(store: Store, folder: Path) -> tuple[Section, list[Figure]]:
    section = "coe-civ-doubling"
    query = "progress-coe-civ-doubling"
    rows = _rows(store, folder, query)
    ambition = next((r for r in _rows(store, folder, "ambitions-goals-targets") if r["item"] == AMBITION_COE_CIV), None)
    figures = [Figure(section, "all" if not r["type"] else "type", r["type"], r["typeLabel"], m, _number(r[m]), query)
               for r in rows for m in ("centres", "before", "byPeriodEnd", "startedInPeriod", "noStartYear")]
    notes = ["The data cannot measure this ambition: it holds no capacity figures for CoEs and CIVs (students, "
             "staff, budget or partners over time), and the ambition has no number or baseline. The figures count "
             "centres instead."]
    both = next((r for r in rows if not r["type"]), None)
    if both:
        notes.append(f"CoEs and CIVs started before {both['periodStart']}: {both['before']}; by {both['periodEnd']}: "
                     f"{both['byPeriodEnd']} ({both['startedInPeriod']} started {both['periodStart']}-{both['periodEnd']}); "
                     f"{both['noStartYear']} have no start year and could fall anywhere.")
    statement = ambition["itemLabel"] if ambition else "(the ambition is not in the data)"
    return Section(section, "2016-2020: doubling CoE/CIV capacity", AMBITION_COE_CIV, statement,
                   "ambitions-goals-targets", notes), figures


def monitor(store: Store, folder: Path) -> Monitor:
    """Every figure of the monitor, computed by the saved queries in ``folder`` on ``store``.

    Raises LookupError when the roadmap's targets are missing from the data, and the saved-query
    errors (UnknownQuery ...) when a query the monitor names is missing.
    """
    sections: list[Section] = []
    figures: list[Figure] = []
    for section, rows in (_progress(store, folder, _target(store, folder, TARGET_100)),
                          _regions(store, folder, _target(store, folder, TARGET_REGIONS)),
                          _coe_civ(store, folder)):
        sections.append(section)
        figures.extend(rows)
    return Monitor(sections, figures)


def to_json(result: Monitor) -> str:
    data = {"sections": [asdict(s) for s in result.sections],
            "figures": [{**asdict(f), "source": f.source} for f in result.figures]}
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_csv(result: Monitor) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "dimension", "key", "label", "measure", "value", "detail", "query"])
    for f in result.figures:
        writer.writerow([f.section, f.dimension, f.key, f.label, f.measure, f.value, f.detail, f.source])
    return out.getvalue()
