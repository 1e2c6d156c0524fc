"""The measured steps of the benchmark suite (bench/run.py), each run in a fresh child process.

One process per engine and step, so each peak RSS is that engine's own and no engine profits from
another's warm caches in the same process. A child reads ``plan.json`` in the work folder and writes
``<task>.json`` there, with its peak RSS read from its own ``VmHWM`` (/proc/self/status) as it ends:
``ru_maxrss`` of a spawned child is no use here, since Linux carries the parent's RSS at the moment of the
spawn into it (measured: a child doing nothing reported 513 MB under a 500 MB parent, VmHWM 13 MB).

    python bench/children.py TASK WORKDIR

The parent (``measure``) starts it, waits and kills it after a time limit.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402

Result = dict[str, Any]


class QueryTimeout(Exception):
    """rdflib's engine is Python: SIGALRM can stop one of its queries (pyoxigraph's cannot be stopped)."""


def _plan(workdir: Path) -> dict[str, Any]:
    return json.loads((workdir / "plan.json").read_text())  # type: ignore[no-any-return]


def _median_of(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Median seconds of ``repeat`` runs of ``fn`` and the row count it returned."""
    runs, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), rows


def _settings(workdir: Path):  # type: ignore[no-untyped-def]
    from hckg.config import Settings

    return replace(Settings(), store_path=workdir / "hckg" / "store")


def load_hckg(workdir: Path) -> Result:
    """The user's path: `hckg build` of the real data, then `hckg load` of the synthetic file through the gate.

    With ``"hckg_load": "bulk"`` in the plan (``--hckg-load bulk``, for sizes where the gate's load takes too
    long), the file is bulk-loaded and the entailments recomputed instead: the same store, without the check.
    """
    from hckg.gate.build import build
    from hckg.gate.write import load_file

    plan = _plan(workdir)
    settings = _settings(workdir)
    start = time.perf_counter()
    build(settings)
    built = time.perf_counter()
    if plan.get("hckg_load") == "bulk":
        synthetic.bulk_add(settings.store_path, Path(plan["body"]))
        return {"build_s": built - start, "seconds": time.perf_counter() - built, "path": "bulk"}
    report = load_file(settings, Path(plan["body"]), graph=synthetic.GRAPH)
    return {"build_s": built - start, "seconds": time.perf_counter() - built, "triples": report.triples}


def _exported(target: Path, write: Callable[[], None], repeat: int) -> dict[str, float]:
    """Median seconds of ``repeat`` exports into ``target``, and its size."""
    def once() -> int:
        write()
        return target.stat().st_size

    seconds, size = _median_of(once, repeat)
    target.unlink()
    return {"seconds": seconds, "bytes": size}


def load_raw(workdir: Path) -> Result:
    """pyoxigraph's bulk loader straight into an on-disk store (no validation, no provenance, no inference)."""
    import pyoxigraph as ox

    plan = _plan(workdir)
    start = time.perf_counter()
    store = ox.Store(str(workdir / "raw"))
    store.bulk_load(path=plan["synthetic"], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(synthetic.GRAPH))
    store.flush()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "triples": len(store)}


def load_floor(workdir: Path) -> Result:
    """The engine work a validating load cannot avoid, run alone on the same built store, without HCKG's
    write path (no copy, scan, provenance, focus graph or rule plumbing); seconds per part.

    - ``bulk_load``: the file into its graph (what the raw baseline does, into a store holding data/);
    - ``infer``: each inference rule once, its premises read from the loaded graph only, without the
      "not yet held" anti-join, serialised by the engine, and the findings bulk-loaded into the inferred graph
      (the entailments must be written: the saved queries read them);
    - ``one_scan``: one pass over every triple of the graph with a test on its object, the least a check of
      every triple costs (Oxigraph evaluates a FILTER at ~5 us a row; a bare COUNT skips that);
    and, for reference (not floor): ``rules_as_is``, the four closed-world rules' queries as the gate runs
    them, and ``checks_as_is``, the compiled shapes' full check, both on this store.
    """
    import tempfile

    import pyoxigraph as ox

    from hckg.gate.build import build
    from hckg.gate.checks import compiled, run_checks
    from hckg.gate.infer import INFERRED_GRAPH, rules
    from hckg.gate.rules import graph_violations, vocabulary
    from hckg.store.oxigraph import OxigraphStore

    plan = _plan(workdir)
    settings = _settings(workdir)
    build(settings)
    store = OxigraphStore(settings.store_path.resolve(), writable=True)
    raw, graph, parts = store._store, synthetic.GRAPH, {}
    start = time.perf_counter()
    raw.bulk_load(path=plan["body"], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    parts["bulk_load"] = time.perf_counter() - start
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        found = []
        for rule in rules():
            union = " UNION ".join(f"{{ {rule.body.replace(premise, f'GRAPH <{graph}> {{ {premise} }}')} }}"
                                   for premise in rule.premises)
            out = Path(tmp) / f"{rule.name}.nt"
            raw.query(f"{rule.prologue}CONSTRUCT {{ {rule.template} }} WHERE {{ {union} }}",
                      use_default_graph_as_union=True).serialize(str(out), ox.RdfFormat.N_TRIPLES)
            if out.stat().st_size:
                found.append(out)
        for out in found:
            raw.bulk_load(path=str(out), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(INFERRED_GRAPH)))
    parts["infer"] = time.perf_counter() - start
    start = time.perf_counter()
    list(raw.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} FILTER(isLiteral(?o)) }}"))
    parts["one_scan"] = time.perf_counter() - start
    start = time.perf_counter()
    raw.flush()
    parts["flush"] = time.perf_counter() - start
    start = time.perf_counter()
    graph_violations(store, graph, vocabulary(store))
    parts["rules_as_is"] = time.perf_counter() - start
    start = time.perf_counter()
    run_checks(store, compiled(settings.shapes_dir), focused=False)
    parts["checks_as_is"] = time.perf_counter() - start
    store.close()
    floor = parts["bulk_load"] + parts["infer"] + parts["one_scan"] + parts["flush"]
    return {"seconds": floor, "parts": parts}


def query_hckg(workdir: Path) -> Result:
    """Each saved query as HCKG runs it: bind the parameters (label lookup, term substitution), query, rows."""
    import pyoxigraph as ox

    from hckg.queries.catalog import load_catalog
    from hckg.formats import json_rows
    from hckg.queries.running import bind
    from hckg.store.oxigraph import open_store

    plan = _plan(workdir)
    settings = _settings(workdir)
    store = open_store(settings.store_path)
    catalog = load_catalog(settings.queries_dir)
    out: Result = {"queries": {}}
    for item in plan["queries"]:
        query = catalog[item["name"]]

        def run() -> int:
            answer = store.query(bind(store, query, item["values"]).sparql)  # noqa: B023
            return len(json_rows(answer)) if isinstance(answer, ox.QuerySolutions) else len(list(answer))  # type: ignore[arg-type]

        seconds, rows = _median_of(run, plan["repeat"])
        out["queries"][item["name"]] = {"seconds": seconds, "rows": rows}
    return out


def query_raw(workdir: Path) -> Result:
    """The same bound SPARQL text straight on ``pyoxigraph.Store.query`` over the same store."""
    import pyoxigraph as ox

    plan = _plan(workdir)
    store = ox.Store.read_only(str(_settings(workdir).store_path.resolve()))
    out: Result = {"queries": {}}
    for item in plan["queries"]:
        seconds, rows = _median_of(
            lambda: len(list(store.query(item["sparql"], use_default_graph_as_union=True))),  # type: ignore[arg-type]  # noqa: B023
            plan["repeat"])
        out["queries"][item["name"]] = {"seconds": seconds, "rows": rows}
    return out


def _alarm(signum: int, frame: object) -> None:
    raise QueryTimeout()


def _save(workdir: Path, task: str, partial: Result) -> None:
    """Write what a long child has measured so far: if it is killed at its time limit, the figures it
    finished still reach the report (``measure`` reads the file and adds the ``error``)."""
    partial["peak_mb"] = own_peak_mb()
    (workdir / f"{task}.json").write_text(json.dumps(partial))


def rdflib_all(workdir: Path) -> Result:
    """rdflib in memory: parse the synthetic file (the load figure), add the rest of the store (not timed),
    run each query once with a time limit, then serialise N-Quads and TriG. The figures are saved after
    every step (``_save``): at 1M triples this child runs for more than half an hour."""
    import rdflib

    plan = _plan(workdir)
    dataset = rdflib.Dataset(default_union=True)
    start = time.perf_counter()
    dataset.graph(rdflib.URIRef(synthetic.GRAPH)).parse(plan["synthetic"], format="nt")
    out: Result = {"load_s": time.perf_counter() - start, "queries": {}, "export": {}}
    _save(workdir, "rdflib", out)
    dataset.parse(plan["rest"], format="nquads")
    signal.signal(signal.SIGALRM, _alarm)
    for item in plan["queries"]:
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, plan["query_timeout_s"])
        try:
            rows = len(list(dataset.query(item["sparql"])))
            out["queries"][item["name"]] = {"seconds": time.perf_counter() - start, "rows": rows}
        except QueryTimeout:
            out["queries"][item["name"]] = {"seconds": None, "timed_out": True}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        _save(workdir, "rdflib", out)
    for fmt, rdflib_fmt in (("nq", "nquads"), ("trig", "trig")):
        target = workdir / f"rdflib.{fmt}"
        start = time.perf_counter()
        dataset.serialize(destination=str(target), format=rdflib_fmt)
        out["export"][fmt] = {"seconds": time.perf_counter() - start, "bytes": target.stat().st_size}
        target.unlink()
        _save(workdir, "rdflib", out)
    return out


def export_hckg(workdir: Path) -> Result:
    """`hckg export` in each format (nq and trig keep the graphs, ttl merges them with the project's prefixes)."""
    from hckg.reports.export import export
    from hckg.store.oxigraph import open_store

    store = open_store(_settings(workdir).store_path)
    out: Result = {"export": {}}
    for fmt in ("nq", "trig", "ttl"):
        target = workdir / f"hckg.{fmt}"

        def write() -> None:
            with target.open("wb") as f:  # noqa: B023
                export(store, fmt, f)  # noqa: B023

        out["export"][fmt] = _exported(target, write, _plan(workdir).get("repeat", 1))
    return out


def export_raw(workdir: Path) -> Result:
    """pyoxigraph's own dump (nq, trig) and its serialiser over a CONSTRUCT of the union (ttl), no prefixes."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(_settings(workdir).store_path.resolve()))
    out: Result = {"export": {}}
    for fmt, rdf_format in (("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG), ("ttl", ox.RdfFormat.TURTLE)):
        target = workdir / f"raw.{fmt}"

        def write() -> None:
            if fmt == "ttl":  # noqa: B023
                union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
                ox.serialize(union, str(target), rdf_format)  # type: ignore[arg-type]  # noqa: B023
            else:
                store.dump(str(target), rdf_format)  # noqa: B023

        out["export"][fmt] = _exported(target, write, _plan(workdir).get("repeat", 1))
    return out


TASKS: dict[str, Callable[[Path], Result]] = {
    "load-hckg": load_hckg, "load-raw": load_raw, "load-floor": load_floor, "query-hckg": query_hckg, "query-raw": query_raw,
    "rdflib": rdflib_all, "export-hckg": export_hckg, "export-raw": export_raw,
}


def measure(task: str, workdir: Path, timeout_s: float) -> Result:
    """Run ``task`` in a fresh child; its result plus ``peak_mb`` (the child's ru_maxrss), or an ``error``."""
    result_file = workdir / f"{task}.json"
    result_file.unlink(missing_ok=True)
    log_path = workdir / f"{task}.log"
    with log_path.open("wb") as log:
        child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), task, str(workdir)],
                                 stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        killed = False
        while True:
            pid, status = os.waitpid(child.pid, os.WNOHANG)
            if pid:
                break
            if not killed and time.monotonic() > deadline:
                child.kill()
                killed = True
            time.sleep(0.05)
    result: Result = json.loads(result_file.read_text()) if result_file.exists() else {}
    result.setdefault("peak_mb", None)  # a child that did not finish has no VmHWM to give
    if killed:
        result["error"] = f"killed after {timeout_s:.0f} s"
    elif os.waitstatus_to_exitcode(status) != 0:
        lines = log_path.read_text(errors="replace").strip().splitlines()
        result["error"] = f"failed: {lines[-1] if lines else 'exit ' + str(os.waitstatus_to_exitcode(status))}"
    return result


def own_peak_mb() -> float:
    """This process's high-water RSS since its exec (VmHWM), in MB."""
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


if __name__ == "__main__":
    name, folder = sys.argv[1], Path(sys.argv[2])
    answer = TASKS[name](folder)
    answer["peak_mb"] = own_peak_mb()
    (folder / f"{name}.json").write_text(json.dumps(answer))
