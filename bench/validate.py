"""SHACL validation benchmark (issue 4): pySHACL, pyrudof and HCKG's gate (full and focused) in one run.

Run on demand (never in `make test`; `make bench-validate` installs pyrudof and runs 10k and 100k):

    .venv/bin/python bench/validate.py --triples 10000 100000 1000000 [--seed N]
        [--engines pyshacl,pyrudof,gate,focused] [--pyshacl-timeout 300] [--profile 15]

For each size the real data/ and ontology/ are built into a temporary store (their graphs, without
`graph/meta` and `graph/inferred`, give the shapes' targets) and synthetic triples (bench/synthetic.py,
graph `.../graph/synthetic`, labelled hckg:SyntheticData) are added, with a seeded set of planted
violations (wrong datatypes, missing labels and sources, unknown provinces and topsectors, duplicate
labels, start years 3020 ...), each known as the result a standard engine gives for it.

Each engine runs in its own fresh subprocess, so its peak memory (VmHWM, read by the child at the end
of its timed step, or watched by the parent for a child it kills) is its own; not ru_maxrss, which
on Linux includes the parent's RSS at the spawn:
- pyshacl: `hckg.gate.validate.check` on rdflib graphs (killed after --pyshacl-timeout seconds of validation);
- pyrudof: the native engine of rudof, data and shapes read in strict mode;
- gate: `hckg.gate.checks.run_checks(store, compiled(shapes), focused=False)` on an on-disk Oxigraph store
  filled with bulk_load, as `hckg build` checks a store;
- focused: the store holds the synthetic data without planted faults (a store only ever holds data that
  passed the gate), then 20 new communities, 5 of them bad, are written into a new graph and checked the
  way `hckg.gate.engines.write_and_check` does it (seed, replace, seed, widen, focused checks). Afterwards, not
  timed, a full check of the same store tells whether the focused one found exactly what a full one finds.
`--profile N` prints, below each table, the N slowest checks of the gate and of the focused check
(shape, component and seconds), the figures to look at before making the gate faster.
A violation is compared as (focus node, path, value, source shape, severity), as tests/test_shacl_sparql.py
does; only results of severity Violation count (the ones that refuse a load).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402
from children import own_peak_mb  # noqa: E402

H = synthetic.H
ID = synthetic.ID
HS = "https://w3id.org/hckg/shapes#"
TYPE = synthetic.RDF_TYPE
LABEL = synthetic.LABEL
SOURCE = synthetic.SOURCE
XSD = "http://www.w3.org/2001/XMLSchema#"
COMPLEX = "(complex path)"
DELTA_GRAPH = "https://w3id.org/hckg/graph/synthetic-delta"
LEFT_OUT = ("https://w3id.org/hckg/graph/meta", "https://w3id.org/hckg/graph/inferred")
ONTOLOGY_GRAPH = "https://w3id.org/hckg/graph/ontology"
ENGINES = ("pyshacl", "pyrudof", "gate", "focused")

Key = tuple[str, "str | None", "str | None", "str | None", str]
"""A violation as (focus node, path, value, source shape, severity)."""


# --- the data: real graphs, synthetic triples, planted faults ---------------------------------------


def _iri(value: str) -> str:
    return f"<{value}>"


def _triple(s: str, p: str, o: str) -> str:
    return f"{_iri(s)} {_iri(p)} {o} ."


def _renamed(line: str) -> str:
    # The shapes pin each kind's IRI pattern (id:community/<slug>, id:organisation/<key>), so the
    # generator's id/synthetic/... IRIs would each be a violation (1,287 at 10k), burying the planted
    # ones. The graph .../graph/synthetic and the slug prefix "synthetic-" keep them labelled synthetic.
    return (line.replace(f"{synthetic.SYN}community/c", f"{ID}community/synthetic-c")
            .replace(f"{synthetic.SYN}organisation/o", f"{ID}organisation/synthetic-o"))


def community_iri(n: int | str) -> str:
    return f"{ID}community/synthetic-c{n}"


def organisation_iri(n: int) -> str:
    return f"{ID}organisation/synthetic-o{n}"


def _without(lines: list[str], predicate: str) -> list[str]:
    return [line for line in lines if f" {_iri(predicate)} " not in line]


def _label_of(lines: list[str]) -> str:
    return next(line.split(" ", 2)[2][:-2] for line in lines if f" {_iri(LABEL)} " in line)


def _lexical(term: str) -> str:
    return term[1:term.rindex('"')]


Plant = Callable[[str, list[str]], tuple[list[str], list[Key]]]


def _year(value: str) -> Plant:
    def plant(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
        return _without(lines, H + "startYear") + [_triple(s, H + "startYear", value)], [
            (s, H + "startYear", _lexical(value), HS + "Community-startYear", "Violation")]
    return plant


def _no_label(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
    return _without(lines, LABEL), [(s, LABEL, None, HS + "DutchLabel", "Violation")]


def _label_without_language(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
    text = _lexical(_label_of(lines))
    return _without(lines, LABEL) + [_triple(s, LABEL, f'"{text}"')], [
        (s, LABEL, text, HS + "LabelLanguage", "Violation"), (s, LABEL, None, HS + "DutchLabel", "Violation")]


def _province(*codes: str) -> Plant:
    def plant(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
        added = [_triple(s, H + "province", _iri(f"{ID}province/{c}")) for c in codes]
        value = f"{ID}province/{codes[0]}" if len(codes) == 1 else None
        return _without(lines, H + "province") + added, [(s, H + "province", value, HS + "Community-province",
                                                           "Violation")]
    return plant


def _no_source(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
    return _without(lines, SOURCE), [(s, SOURCE, None, HS + "SourceRequired", "Violation")]


def _source_as_text(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
    url = f"https://example.org/synthetic/{s.rsplit('/', 1)[1]}"
    return _without(lines, SOURCE) + [_triple(s, SOURCE, f'"{url}"')], [
        (s, SOURCE, url, HS + "SourceIsWebIri", "Violation")]


def _unknown_topsector(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
    ts = f"{ID}topsector/quantum"
    return lines + [_triple(s, H + "topsector", _iri(ts))], [(s, H + "topsector", ts, HS + "Community-topsector",
                                                              "Violation")]


def _two_types(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
    current = next(line for line in lines if f" {_iri(TYPE)} " in line)
    other = next(t for t in synthetic.TYPES if f"#{t}>" not in current)
    return lines + [_triple(s, TYPE, _iri(H + other))], [(s, TYPE, None, HS + "Community-type", "Violation")]


def _no_type(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
    return _without(lines, TYPE), [(s, TYPE, None, HS + "HasType", "Violation")]


def _partner_not_an_organisation(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
    pv = f"{ID}province/PV20"
    return lines + [_triple(s, H + "partner", _iri(pv))], [(s, H + "partner", pv, HS + "Community-partner",
                                                            "Violation")]


def _organisation_in_unknown_province(s: str, lines: list[str]) -> tuple[list[str], list[Key]]:
    pv = f"{ID}province/PV99"
    return lines + [_triple(s, H + "province", _iri(pv))], [(s, H + "province", pv, HS + "Organisation-province",
                                                             "Violation")]


COMMUNITY_PLANTS: dict[str, Plant] = {
    "start year 3020": _year(f'"3020"^^<{XSD}gYear>'),
    "start year as xsd:integer": _year(f'"2015"^^<{XSD}integer>'),
    "start year as text": _year('"ca. 2015"'),
    "no label": _no_label,
    "label without language": _label_without_language,
    "unknown province": _province("PV99"),
    "two provinces": _province("PV20", "PV21"),
    "no source": _no_source,
    "source as text": _source_as_text,
    "unknown topsector": _unknown_topsector,
    "two types": _two_types,
    "no type": _no_type,
    "partner not an organisation": _partner_not_an_organisation,
}
ORGANISATION_PLANTS: dict[str, Plant] = {
    "organisation without label": _no_label,
    "organisation in unknown province": _organisation_in_unknown_province,
}


def _grouped(lines: Iterable[str]) -> dict[str, list[str]]:
    """N-Triples lines by subject IRI, in order (the generator writes each subject's lines together)."""
    groups: dict[str, list[str]] = {}
    for line in lines:
        groups.setdefault(line[1:line.index(">")], []).append(line)
    return groups


def planted_synthetic(triples: int, seed: int) -> tuple[list[str], list[str], set[Key], list[str]]:
    """Synthetic lines (clean and with planted faults), the planted results, and the clean labels.

    Each kind of fault goes to up to 12 resources, all distinct, chosen with ``seed``.
    """
    clean = [_renamed(line) for line in synthetic.generate(triples, seed)]
    groups = _grouped(clean)
    communities = [s for s in groups if s.startswith(f"{ID}community/")]
    organisations = [s for s in groups if s.startswith(f"{ID}organisation/")]
    per_kind = max(1, min(12, len(communities) // 20, len(organisations) // 4))
    rng = random.Random(f"plant-{seed}")
    chosen = iter(rng.sample(communities, per_kind * (len(COMMUNITY_PLANTS) + 2)))
    planted: set[Key] = set()
    bad = dict(groups)
    for plant in COMMUNITY_PLANTS.values():
        for _ in range(per_kind):
            s = next(chosen)
            bad[s], keys = plant(s, groups[s])
            planted.update(keys)
    for _ in range(per_kind):  # duplicate labels: both communities break the unique-label rule
        s, twin = next(chosen), next(chosen)
        bad[s] = _without(groups[s], LABEL) + [_triple(s, LABEL, _label_of(groups[twin]))]
        planted |= {(s, COMPLEX, None, HS + "Community-uniqueLabel", "Violation"),
                    (twin, COMPLEX, None, HS + "Community-uniqueLabel", "Violation")}
    chosen_orgs = iter(rng.sample(organisations, per_kind * len(ORGANISATION_PLANTS)))
    for plant in ORGANISATION_PLANTS.values():
        for _ in range(per_kind):
            s = next(chosen_orgs)
            bad[s], keys = plant(s, groups[s])
            planted.update(keys)
    faulty = [line for lines in bad.values() for line in lines]
    return clean, faulty, planted, organisations


def delta(organisations: list[str], clean_label_of: tuple[str, str], seed: int) -> tuple[list[str], set[Key]]:
    """20 new communities for the focused check, 5 of them bad; and the results they must give."""
    rng = random.Random(f"delta-{seed}")
    lines: list[str] = []
    expected: set[Key] = set()
    twin, twin_label = clean_label_of
    for k in range(20):
        s = community_iri(f"new{k}")
        label = f'"Synthetic new community {k}"@nl'
        source = _iri(f"https://example.org/synthetic/new{k}")
        province = _iri(f"{ID}province/{rng.choice(synthetic.PROVINCES)}")
        year = f'"{rng.randint(2008, 2025)}"^^<{XSD}gYear>'
        partner = _iri(rng.choice(organisations))
        if k == 0:
            year = f'"3020"^^<{XSD}gYear>'
            expected.add((s, H + "startYear", "3020", HS + "Community-startYear", "Violation"))
        elif k == 1:
            province = _iri(f"{ID}province/PV99")
            expected.add((s, H + "province", f"{ID}province/PV99", HS + "Community-province", "Violation"))
        elif k == 2:  # a name an existing community has: the existing one is reported too
            label = twin_label
            expected |= {(s, COMPLEX, None, HS + "Community-uniqueLabel", "Violation"),
                         (twin, COMPLEX, None, HS + "Community-uniqueLabel", "Violation")}
        elif k == 3:
            source = ""
            expected.add((s, SOURCE, None, HS + "SourceRequired", "Violation"))
        elif k == 4:
            partner = _iri(f"{ID}province/PV20")
            expected.add((s, H + "partner", f"{ID}province/PV20", HS + "Community-partner", "Violation"))
        lines += [_triple(s, TYPE, _iri(H + rng.choice(synthetic.TYPES))), _triple(s, LABEL, label),
                  _triple(s, H + "province", province), _triple(s, H + "startYear", year),
                  _triple(s, H + "leadInstitution", _iri(rng.choice(organisations))),
                  _triple(s, H + "partner", partner)]
        if source:
            lines.append(_triple(s, SOURCE, source))
    return lines, expected


@dataclass(frozen=True)
class Dataset:
    """The files one size is measured on, and the results the planted faults must give."""

    workdir: Path
    synthetic_triples: int
    total_triples: int
    planted: frozenset[Key]
    delta_planted: frozenset[Key]

    def path(self, name: str) -> Path:
        return self.workdir / name


def prepare(workdir: Path, triples: int, seed: int, real_nquads: bytes) -> Dataset:
    """Write the files for one size into ``workdir``: data.nq/.nt (planted), clean.nq, delta.nt,
    ontology.nt and shapes.ttl (every shape file as one graph, for pyrudof)."""
    import pyoxigraph as ox

    from hckg.config import PROJECT_ROOT
    from hckg.gate.validate import load_shapes

    real = [q for q in ox.parse(real_nquads, format=ox.RdfFormat.N_QUADS) if q.graph_name.value not in LEFT_OUT]
    real_nq = ox.serialize(real, format=ox.RdfFormat.N_QUADS)
    real_nt = ox.serialize([q.triple for q in real], format=ox.RdfFormat.N_TRIPLES)
    ontology = [q.triple for q in real if q.graph_name.value == ONTOLOGY_GRAPH]
    workdir.mkdir(parents=True, exist_ok=True)
    workdir.joinpath("ontology.nt").write_bytes(ox.serialize(ontology, format=ox.RdfFormat.N_TRIPLES))
    load_shapes(PROJECT_ROOT / "shapes").serialize(workdir / "shapes.ttl", format="turtle")

    clean, faulty, planted, organisations = planted_synthetic(triples, seed)
    quad_tail = f" <{synthetic.GRAPH}> .\n"
    with workdir.joinpath("data.nq").open("wb") as nq, workdir.joinpath("data.nt").open("wb") as nt:
        nq.write(real_nq)
        nt.write(real_nt)
        for line in faulty:
            nq.write((line[:-2] + quad_tail).encode())
            nt.write((line + "\n").encode())
    with workdir.joinpath("clean.nq").open("wb") as nq:
        nq.write(real_nq)
        for line in clean:
            nq.write((line[:-2] + quad_tail).encode())
    touched = {k[0] for k in planted}
    clean_orgs = [o for o in organisations if o not in touched]
    twin = next(s for s in (community_iri(n) for n in range(10**9)) if s not in touched)
    twin_label = next(line.split(" ", 2)[2][:-2] for line in clean if line.startswith(f"<{twin}> <{LABEL}>"))
    new_lines, delta_planted = delta(clean_orgs, (twin, twin_label), seed)
    workdir.joinpath("delta.nt").write_text("\n".join(new_lines) + "\n", encoding="utf-8")
    return Dataset(workdir, triples, len(real) + len(faulty), frozenset(planted), frozenset(delta_planted))


# --- the engines, each run in a child process ----------------------------------------------------


def _keys_of(violations: Iterable[object]) -> list[Key]:
    return sorted({(v.focus, v.path, v.value, v.shape, v.severity) for v in violations  # type: ignore[attr-defined]
                   if v.severity == "Violation"}, key=repr)  # type: ignore[attr-defined]


def _report(workdir: Path, engine: str, **fields: object) -> None:
    """Write what the child has measured so far (the parent reads it even after killing the child)."""
    path = workdir / f"{engine}.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    if "validate_s" in fields:
        fields.setdefault("peak_mb", own_peak_mb())  # the peak up to the end of the timed step
    known.update(fields)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(known))
    os.replace(tmp, path)


def child_pyshacl(workdir: Path) -> None:
    import rdflib

    from hckg.config import PROJECT_ROOT
    from hckg.gate.validate import check, load_shapes

    start = time.perf_counter()
    data = rdflib.Graph().parse(workdir / "data.nt", format="nt")
    ontology = rdflib.Graph().parse(workdir / "ontology.nt", format="nt")
    shapes = load_shapes(PROJECT_ROOT / "shapes")
    _report(workdir, "pyshacl", parse_s=time.perf_counter() - start)
    start = time.perf_counter()
    found = check(data, shapes, ontology)
    _report(workdir, "pyshacl", validate_s=time.perf_counter() - start, found=_keys_of(found))


_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"')


def _rudof_term(text: str | None) -> str | None:
    """A term as rudof prints it ('"2015"^^xsd:integer', '<iri>', 'iri') as the lexical form or IRI."""
    if text is None:
        return None
    match = _LITERAL.match(text)
    if match:
        return json.loads(f'"{match.group(1)}"')
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def _rudof_path(text: str | None) -> str | None:
    if text is None:
        return None
    plain = _rudof_term(text)
    return plain if plain and re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|^`\\\[\]()]+", plain) else COMPLEX


def child_pyrudof(workdir: Path) -> None:
    import pyrudof

    start = time.perf_counter()
    rudof = pyrudof.Rudof()
    rudof.read_data(str(workdir / "data.nt"), format=pyrudof.RDFFormat.NTriples,
                    reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_shacl(str(workdir / "shapes.ttl"), format=pyrudof.ShaclFormat.Turtle,
                     reader_mode=pyrudof.ReaderMode.Strict)
    _report(workdir, "pyrudof", parse_s=time.perf_counter() - start)
    start = time.perf_counter()
    report = rudof.validate_shacl(pyrudof.ShaclValidationMode.Native)
    elapsed = time.perf_counter() - start
    found = sorted({(_rudof_term(e.focus_node), _rudof_path(e.path), _rudof_term(e.value), _rudof_term(e.source_shape),
                     str(e.severity)) for e in report if str(e.severity) == "Violation"}, key=repr)
    _report(workdir, "pyrudof", validate_s=elapsed, found=found)


def _open_store(workdir: Path, engine: str, nquads: str):  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    from hckg.store.oxigraph import OxigraphStore

    path = workdir / f"store-{engine}"
    shutil.rmtree(path, ignore_errors=True)
    store = OxigraphStore(path, writable=True)
    store._store.bulk_load(path=str(workdir / nquads), format=ox.RdfFormat.N_QUADS)
    return store


def _timed_checks(store, checks, focused: bool) -> tuple[list[object], list[tuple[float, str]]]:  # type: ignore[no-untyped-def]
    """``run_checks`` in one call, as the gate runs it, with the seconds of each check (to name the slowest)."""
    from hckg.gate.checks import run_checks

    timings: list[tuple[float, object]] = []
    found = run_checks(store, checks, focused=focused, timings=timings)  # type: ignore[arg-type]
    times = [(s, f"{c.shape.rsplit('#', 1)[-1]} {c.component}") for s, c in timings]  # type: ignore[attr-defined]
    return found, sorted(times, reverse=True)  # type: ignore[return-value]


def child_gate(workdir: Path) -> None:
    from hckg.config import PROJECT_ROOT
    from hckg.gate.checks import compiled

    start = time.perf_counter()
    store = _open_store(workdir, "gate", "data.nq")
    checks = compiled(PROJECT_ROOT / "shapes")
    _report(workdir, "gate", parse_s=time.perf_counter() - start)
    start = time.perf_counter()
    found, times = _timed_checks(store, checks, focused=False)
    _report(workdir, "gate", validate_s=time.perf_counter() - start, found=_keys_of(found), slowest=times[:3],
            checks=len(checks), profile=times)


def child_focused(workdir: Path) -> None:
    import rdflib

    from hckg.config import PROJECT_ROOT
    from hckg.gate.checks import clear_focus, compiled, hops_needed, seed, steps, widen

    start = time.perf_counter()
    store = _open_store(workdir, "focused", "clean.nq")
    checks, crossed = compiled(PROJECT_ROOT / "shapes"), steps(PROJECT_ROOT / "shapes")
    new = rdflib.Graph().parse(workdir / "delta.nt", format="nt")
    _report(workdir, "focused", parse_s=time.perf_counter() - start)
    # The steps of hckg.gate.engines.write_and_check, timed one by one.
    start = time.perf_counter()
    seed(store, DELTA_GRAPH, crossed)
    store.replace_graph(DELTA_GRAPH, new)
    seed(store, DELTA_GRAPH, crossed)
    written = time.perf_counter()
    nodes = widen(store, hops_needed(checks), crossed)
    widened = time.perf_counter()
    found, times = _timed_checks(store, checks, focused=True)
    clear_focus(store)
    end = time.perf_counter()
    _report(workdir, "focused", validate_s=end - start, found=_keys_of(found), nodes=nodes, slowest=times[:3],
            profile=times, steps={"write": written - start, "widen": widened - written, "check": end - widened})
    # Not timed: the full check of the same store, to prove the focused one missed nothing.
    full, _ = _timed_checks(store, checks, focused=False)
    _report(workdir, "focused", full_after=_keys_of(full))


CHILDREN = {"pyshacl": child_pyshacl, "pyrudof": child_pyrudof, "gate": child_gate, "focused": child_focused}


# --- the parent: run children, compare, print ----------------------------------------------------


@dataclass
class Measured:
    """One engine on one size."""

    engine: str
    parse_s: float | None = None
    validate_s: float | None = None
    peak_mb: float | None = None
    found: set[Key] | None = None
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def _vm_hwm_mb(pid: int) -> float | None:
    """A running child's peak RSS since its exec (VmHWM), or None once it is gone.

    Not ``ru_maxrss``: Linux carries the parent's RSS at the spawn into a child's ``ru_maxrss``.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else None


def measure(engine: str, dataset: Dataset, timeout_s: float) -> Measured:
    """Run ``engine`` in a fresh child process; kill it ``timeout_s`` after its parse step ended."""
    result_file = dataset.path(f"{engine}.json")
    result_file.unlink(missing_ok=True)
    log = dataset.path(f"{engine}.log").open("wb")
    child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", engine,
                              "--workdir", str(dataset.workdir)], stdout=log, stderr=subprocess.STDOUT)
    started = time.perf_counter()
    parsed_at: float | None = None
    killed = False
    watched_mb: float | None = None
    while True:
        now_mb = _vm_hwm_mb(child.pid)
        if now_mb is not None:
            watched_mb = max(now_mb, watched_mb or 0.0)
        pid, status = os.waitpid(child.pid, os.WNOHANG)
        if pid:
            break
        if parsed_at is None and result_file.exists():
            parsed_at = time.perf_counter()
        if not killed and time.perf_counter() - (parsed_at or started) > timeout_s:
            child.kill()
            killed = True
        time.sleep(0.05)
    child.returncode = os.waitstatus_to_exitcode(status)
    log.close()
    stderr = dataset.path(f"{engine}.log").read_text(errors="replace")
    known = json.loads(result_file.read_text()) if result_file.exists() else {}
    found = {tuple(k) for k in known["found"]} if "found" in known else None
    measured = Measured(engine, known.get("parse_s"), known.get("validate_s"),
                        known.get("peak_mb") or watched_mb, found,  # type: ignore[arg-type]
                        extra={k: v for k, v in known.items() if k not in ("parse_s", "validate_s", "found", "peak_mb")})
    if killed:
        measured.note = f"killed: no answer {timeout_s:.0f} s after parsing"
    elif child.returncode != 0:
        measured.note = f"failed (exit {child.returncode}): {stderr.strip().splitlines()[-1] if stderr.strip() else ''}"
    return measured


def run(triples: int, seed: int, engines: Iterable[str], pyshacl_timeout_s: float, real_nquads: bytes,
        workdir: Path, timeout_s: float = 3600.0) -> tuple[Dataset, dict[str, Measured]]:
    """Prepare one size and measure each engine on it; the core of the benchmark (and of its test)."""
    dataset = prepare(workdir, triples, seed, real_nquads)
    results = {}
    for engine in engines:
        results[engine] = measure(engine, dataset, pyshacl_timeout_s if engine == "pyshacl" else timeout_s)
        print(f"  {engine}: {_cell(results[engine].validate_s)} s {results[engine].note}", file=sys.stderr, flush=True)
    return dataset, results


def _cell(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _found(m: Measured, planted: frozenset[Key]) -> tuple[str, str]:
    if m.found is None:
        return "—", "—"
    return f"{len(m.found & planted)}/{len(planted)}", str(len(m.found - planted))


def _mismatch(a: Measured | None, b: Measured | None) -> str:
    if a is None or b is None or a.found is None or b.found is None:
        return "n/a (both must finish)"
    return str(len(a.found ^ b.found))


def _ratio(a: float | None, b: float | None, timed_out: bool = False) -> str:
    if b is None or b == 0:
        return "n/a"
    if a is None:
        return "n/a" if not timed_out else "n/a (timed out)"
    ratio = a / b
    return f"{ratio:,.1f}x" if ratio >= 1 else f"{ratio:.2g}x"  # 0.037x, not 0.0x


def table(dataset: Dataset, results: dict[str, Measured], pyshacl_timeout_s: float) -> str:
    """The results of one size as a Markdown table, with ratios and mismatch counts below it."""
    size = f"{dataset.synthetic_triples:,} synthetic ({dataset.total_triples:,} in all)"
    rows = [f"### {size}", "",
            "| engine | parse/load s | validate s | peak MB | found/planted | extra | notes |",
            "|---|---|---|---|---|---|---|"]
    for engine, m in results.items():
        planted = dataset.delta_planted if engine == "focused" else dataset.planted
        found, extra = _found(m, planted)
        validate = _cell(m.validate_s, 3)
        if m.validate_s is None and m.note.startswith("killed"):
            validate = f"> {pyshacl_timeout_s:.0f}"
        notes = [m.note] if m.note else []
        if "nodes" in m.extra:
            steps = m.extra["steps"]
            notes.append(f"{m.extra['nodes']:,} nodes in focus; write {steps['write']:.3f} s, "  # type: ignore[index]
                         f"widen {steps['widen']:.3f} s, checks {steps['check']:.3f} s")  # type: ignore[index]
        if "slowest" in m.extra:
            notes.append("slowest: " + "; ".join(f"{name} {s:.3f} s" for s, name in m.extra["slowest"]))  # type: ignore[attr-defined]
        rows.append(f"| {engine} | {_cell(m.parse_s)} | {validate} | {_cell(m.peak_mb, 0)} | {found} | {extra} | "
                    f"{' — '.join(notes)} |")
    gate, focused = results.get("gate"), results.get("focused")
    lines = rows + [""]
    full_s = gate.validate_s if gate else None
    pyshacl = results.get("pyshacl")
    rudof = results.get("pyrudof")
    lines.append(f"- validate time, pyshacl / HCKG full gate: "
                 f"{_ratio(pyshacl.validate_s if pyshacl else None, full_s, bool(pyshacl and pyshacl.note))}; "
                 f"pyrudof / HCKG full gate: {_ratio(rudof.validate_s if rudof else None, full_s)}; "
                 f"focused / full: {_ratio(focused.validate_s if focused else None, full_s)}")
    if pyshacl and pyshacl.note.startswith("killed") and full_s:
        lines.append(f"  (pyshacl / HCKG full gate > {pyshacl_timeout_s / full_s:,.0f}x)")
    lines.append(f"- peak memory, pyshacl / HCKG: {_ratio(pyshacl.peak_mb if pyshacl and pyshacl.found is not None else None, gate.peak_mb if gate else None)}; "
                 f"pyrudof / HCKG: {_ratio(rudof.peak_mb if rudof else None, gate.peak_mb if gate else None)}")
    lines.append(f"- violation sets differing, HCKG gate vs pyshacl: {_mismatch(gate, pyshacl)}; "
                 f"HCKG gate vs pyrudof: {_mismatch(gate, rudof)}; pyrudof vs pyshacl: {_mismatch(rudof, pyshacl)}")
    if focused and focused.found is not None and "full_after" in focused.extra:
        after = {tuple(k) for k in focused.extra["full_after"]}  # type: ignore[attr-defined]
        lines.append(f"- focused vs a full check of the same store after the change: "
                     f"{len(focused.found ^ after)} differing ({len(after)} in the full check)")
    for a, b in ((gate, pyshacl), (rudof, pyshacl), (gate, rudof)):
        if a and b and a.found is not None and b.found is not None and a.found != b.found:
            lines.append(f"  - {a.engine} vs {b.engine}: only {a.engine} {_by_shape(a.found - b.found)}; "
                         f"only {b.engine} {_by_shape(b.found - a.found)}")
    return "\n".join(lines)


def profile(results: dict[str, Measured], top: int) -> str:
    """The ``top`` slowest checks of the gate and the focused check, and how much of the time they take."""
    lines = []
    for engine in ("gate", "focused"):
        m = results.get(engine)
        times = m.extra.get("profile") if m else None
        if not times:
            continue
        total = sum(s for s, _ in times)  # type: ignore[misc]
        lines += [f"#### {engine}: {top} slowest of {len(times)} checks ({total:.3f} s in all checks)", "",
                  "| s | share | check |", "|---|---|---|"]
        lines += [f"| {s:.3f} | {s / total:.0%} | {name} |" for s, name in times[:top]]  # type: ignore[index,misc]
        lines.append("")
    return "\n".join(lines)


def _by_shape(keys: set[Key]) -> str:
    counts = Counter((k[3] or "").rsplit("#", 1)[-1] for k in keys)
    return "(" + ", ".join(f"{shape} {n}" for shape, n in sorted(counts.items())) + ")" if keys else "(none)"


def real_nquads() -> bytes:
    """The real data/ and ontology/ built into a temporary store, as N-Quads."""
    import pyoxigraph as ox

    from hckg.gate.build import build
    from hckg.config import Settings
    from hckg.store.oxigraph import open_store

    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(Settings(), store_path=Path(tmp) / "store")
        build(settings)
        return ox.serialize(open_store(settings.store_path).quads(), format=ox.RdfFormat.N_QUADS)


def main() -> None:
    parser = argparse.ArgumentParser(description="SHACL validation benchmark: pyshacl, pyrudof, HCKG's gate")
    parser.add_argument("--triples", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="synthetic triples per size")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: " + ",".join(ENGINES))
    parser.add_argument("--pyshacl-timeout", type=float, default=300.0,
                        help="seconds of pyshacl validation before it is killed")
    parser.add_argument("--workdir", type=Path, help="keep the files here (default: a temporary folder)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the N slowest checks of the gate and the focused check")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        CHILDREN[args.child](args.workdir)
        return
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(sorted(unknown))}; choose from {', '.join(ENGINES)}")
    real = real_nquads()
    print(f"# SHACL validation benchmark\n\n`{' '.join(['bench/validate.py', *sys.argv[1:]])}` "
          f"(seed {args.seed}, python {sys.version.split()[0]}, {os.cpu_count()} CPUs)\n", flush=True)
    for size in args.triples:
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            print(f"preparing {size:,} synthetic triples ...", file=sys.stderr, flush=True)
            dataset, results = run(size, args.seed, engines, args.pyshacl_timeout, real, Path(tmp))
            print(table(dataset, results, args.pyshacl_timeout) + "\n", flush=True)
            if args.profile:
                print(profile(results, args.profile), flush=True)


if __name__ == "__main__":
    main()
