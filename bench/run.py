"""The benchmark suite of issue 8: load, saved queries, validation, export and server, HCKG against baselines.

Run on demand (never in `make test`; `make bench` installs the `bench` extra first):

    .venv/bin/python bench/run.py [--sizes 10k,100k,1M] [--sizes 5M] [--skip server,virtuoso,pyshacl,rdflib]

For each size, seeded synthetic data shaped like the real data (``synthetic.generate_shaped``: labelled
hckg:SyntheticData, written only to a temporary folder) is measured step by step, each engine in its own child
process (bench/children.py), so every peak RSS is that engine's own:
- load: `hckg build` of data/, then `hckg load` of the synthetic file (mapping, gate, provenance, inference;
  ``--hckg-load bulk``: bulk_load and inference without the gate, labelled so) vs pyoxigraph's ``bulk_load`` (the baseline) vs rdflib's parser vs Virtuoso's bulk loader when
  scripts/virtuoso.sh is there;
- the saved-query catalogue on the store `hckg load` made: HCKG (bind + query + rows) vs the same SPARQL on raw
  pyoxigraph (the baseline) vs rdflib's in-memory engine (each query stopped after ``--query-timeout``);
- validation: bench/validate.py's gate vs pySHACL on its planted-fault data (pySHACL only up to ``--pyshacl-max``);
- export: `hckg export` vs pyoxigraph's dump (the baseline) vs rdflib's serialisers;
- server: bench/server.py, HCKG's server vs Oxigraph's own (the baseline), requests per second.
Each figure is printed as a ratio against the baseline of the same run, each goal of the issue as met or missed,
and, over all sizes, the exponent of a log-log fit of each cost against the synthetic triple count.
Results also go to ``var/bench/results-<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import children  # noqa: E402
import report  # noqa: E402
import synthetic  # noqa: E402

PARTS = ("queries", "rdflib", "validation", "pyshacl", "export", "server", "virtuoso")
DEFAULT_SIZES = "10k,100k,1M"
SHAPED_EXAMPLES = {  # a value for each required parameter, in the shaped data
    "organisation": synthetic.SHAPED_ORGANISATION + "1",
    "community": synthetic.SHAPED_COMMUNITY + "1",
    "resource": "https://w3id.org/hckg/id/province/PV26",
    "text": "energie",
}
CHILD_TIMEOUT_S = 3 * 3600


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2000' -> 2000.

    >>> [parse_size(s) for s in ("2000", "10k", "1M", "5m")]
    [2000, 10000, 1000000, 5000000]
    """
    text = text.strip()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if factor > 1 else text
    if not number.isdigit() or int(number) <= 0:
        raise ValueError(f"size {text!r}: expected a whole number with an optional k or M, e.g. 10k or 1M")
    return int(number) * factor


def disk_mb(path: Path) -> float:
    path = path.resolve()
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6 if path.exists() else 0.0


def bench_module(name: str) -> ModuleType:
    """bench/<name>.py under the name bench_<name>: the project root has its own server.py, which a test
    process may have imported as ``server`` already."""
    if f"bench_{name}" not in sys.modules:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[f"bench_{name}"] = module
        spec.loader.exec_module(module)
    return sys.modules[f"bench_{name}"]


def headline_values() -> dict[str, list[str]]:
    return bench_module("server").HEADLINE_VALUES  # type: ignore[no-any-return]


def bound_queries(store_path: Path) -> list[dict[str, Any]]:
    """Every saved query with a value for each required parameter, and the SPARQL text HCKG makes of it."""
    from hckg.queries.catalog import load_catalog
    from hckg.config import Settings
    from hckg.queries.running import bind
    from hckg.store.oxigraph import open_store

    store = open_store(store_path)
    out = []
    for query in load_catalog(Settings().queries_dir).values():
        values = {p.name: [SHAPED_EXAMPLES.get(p.name, p.enum[0] if p.enum else "x")]
                  for p in query.parameters if p.required}
        if query.name == report.HEADLINE:
            values = headline_values()
        out.append({"name": query.name, "values": values, "sparql": bind(store, query, values).sparql})
    store.close()
    return out


def write_rest(store_path: Path, target: Path) -> int:
    """The store's quads outside the synthetic graph (real data, provenance, entailments), for rdflib."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_path.resolve()))
    quads = [q for q in store if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == synthetic.GRAPH)]
    ox.serialize(quads, str(target), ox.RdfFormat.N_QUADS)
    return len(store)


def run_virtuoso(workdir: Path, script: Path | None) -> dict[str, Any]:
    import virtuoso_load

    return virtuoso_load.measure(ROOT, workdir / "synthetic.nt", workdir / "virtuoso", synthetic.GRAPH, script)


def run_validation(size: int, seed: int, with_pyshacl: bool, pyshacl_timeout_s: float, workdir: Path) -> dict[str, Any]:
    """bench/validate.py's gate (and pySHACL) on its own planted-fault data of the same size."""
    validate = bench_module("validate")
    engines = ["gate", "pyshacl"] if with_pyshacl else ["gate"]
    with contextlib.redirect_stdout(sys.stderr):
        dataset, results = validate.run(size, seed, engines, pyshacl_timeout_s, validate.real_nquads(), workdir)
    out: dict[str, Any] = {"triples": dataset.total_triples, "planted": len(dataset.planted)}
    for engine, m in results.items():
        out[engine] = {"seconds": m.validate_s, "parse_s": m.parse_s, "peak_mb": m.peak_mb, "note": m.note,
                       "found": None if m.found is None else len(m.found & dataset.planted)}
    return out


def run_server(size: int, seconds: float) -> dict[str, Any]:
    """bench/server.py at this size (its own store and Oxigraph server), its table sent to stderr."""
    server = bench_module("server")
    with contextlib.redirect_stdout(sys.stderr):
        figures = server.run(clients=4, seconds=seconds, rounds=2, triples=size, workers=2)
    return {load: {name: {"rate": f.rate, "requests": f.requests, "errors": f.errors,
                          "p50_ms": f.percentile_ms(50), "p99_ms": f.percentile_ms(99)} for name, f in by_server.items()}
            for load, by_server in figures.items()}


def measure_size(size: int, args: argparse.Namespace, skip: set[str], workdir: Path) -> dict[str, Any]:
    """Every part of the suite on one size; the raw measurements (report.rows makes the ratios)."""
    def log(message: str) -> None:
        print(f"[{size:,}] {message}", file=sys.stderr, flush=True)

    synthetic_nt, body = workdir / "synthetic.nt", workdir / "body.nt"
    count = synthetic.write_with_body(synthetic_nt, body, size, args.seed)  # body: what `hckg load` gets
    plan: dict[str, Any] = {"synthetic": str(synthetic_nt), "body": str(body), "repeat": args.repeat,
                            "query_timeout_s": args.query_timeout, "queries": [], "hckg_load": args.hckg_load}
    (workdir / "plan.json").write_text(json.dumps(plan))
    result: dict[str, Any] = {"size": size, "synthetic_triples": count, "seed": args.seed,
                              "query_timeout_s": args.query_timeout}
    log(f"{count:,} synthetic triples; load")
    result["load"] = {"hckg": children.measure("load-hckg", workdir, CHILD_TIMEOUT_S),
                      "raw": children.measure("load-raw", workdir, CHILD_TIMEOUT_S)}
    result["load"]["hckg"]["disk_mb"] = disk_mb(workdir / "hckg" / "store")
    result["load"]["raw"]["disk_mb"] = disk_mb(workdir / "raw")
    shutil.rmtree(workdir / "raw", ignore_errors=True)
    if "error" in result["load"]["hckg"]:
        raise RuntimeError(f"size {size:,}: `hckg load` {result['load']['hckg']['error']} (see {workdir}/load-hckg.log)")
    if "virtuoso" not in skip:
        log("Virtuoso")
        result["load"]["virtuoso"] = run_virtuoso(workdir, args.virtuoso_script)
    store_path = workdir / "hckg" / "store"
    plan["queries"] = bound_queries(store_path)
    with_rdflib = "rdflib" not in skip and size <= args.rdflib_max
    if with_rdflib:
        plan["rest"] = str(workdir / "rest.nq")
        result["store_triples"] = write_rest(store_path, workdir / "rest.nq")
    (workdir / "plan.json").write_text(json.dumps(plan))
    result["headline"] = {"name": report.HEADLINE, "values": headline_values()}
    if "queries" not in skip:
        log("saved queries")
        result["queries"] = {"hckg": children.measure("query-hckg", workdir, CHILD_TIMEOUT_S),
                             "raw": children.measure("query-raw", workdir, CHILD_TIMEOUT_S)}
    if "export" not in skip:
        log("export")
        result["export"] = {"hckg": children.measure("export-hckg", workdir, CHILD_TIMEOUT_S),
                            "raw": children.measure("export-raw", workdir, CHILD_TIMEOUT_S)}
    if with_rdflib:
        log("rdflib (load, queries, export)")
        result["rdflib"] = children.measure("rdflib", workdir, CHILD_TIMEOUT_S)
    else:
        result["rdflib"] = {"skipped": "--skip rdflib" if "rdflib" in skip else
                            f"above --rdflib-max {args.rdflib_max:,} triples"}
    shutil.rmtree(workdir / "hckg", ignore_errors=True)
    if "validation" not in skip:
        log("validation")
        with_pyshacl = "pyshacl" not in skip and size <= args.pyshacl_max
        result["validation"] = run_validation(size, args.seed, with_pyshacl, args.pyshacl_timeout, workdir / "validate")
        if not with_pyshacl:
            result["validation"]["pyshacl"] = {
                "skipped": "--skip pyshacl" if "pyshacl" in skip else
                f"above --pyshacl-max {args.pyshacl_max:,} triples (pySHACL needs > 300 s at 1M; README)"}
    if "server" not in skip:
        log("server")
        result["server"] = run_server(size, args.server_seconds)
    return result


def environment() -> dict[str, Any]:
    from importlib.metadata import version

    return {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
            "load_average": os.getloadavg()[0],
            "versions": {p: version(p) for p in ("pyoxigraph", "rdflib", "pyshacl")}}


def reprint(paths: list[Path]) -> dict[str, Any]:
    """The tables of saved runs, ratios and goals computed anew from their measured figures.

    Several files (say a 10k-1M run and a 5M run) print as one run, sizes in order, so the growth
    exponents span them all; each size's figures still come from one run.
    """
    runs: list[dict[str, Any]] = [json.loads(path.read_text()) for path in paths]
    run = dict(runs[0], sizes=sorted((s for r in runs for s in r["sizes"]), key=lambda s: s["size"]))
    for each in runs:
        print(f"# HCKG benchmark suite, {each['started']}\n\n`{each['command']}`\n")
    for measured in run["sizes"]:
        measured["rows"] = report.rows(measured)
        print(report.table(measured) + "\n")
    run["growth"] = report.growth(run["sizes"])
    print(report.growth_table(run["growth"]) + "\n")
    print(report.goals_summary(run["sizes"]))
    return run


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="HCKG benchmark suite (issue 8): ratios against baselines")
    parser.add_argument("--sizes", action="append", help=f"comma-separated synthetic sizes (default {DEFAULT_SIZES})")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--repeat", type=int, default=3, help="runs per query for HCKG and raw pyoxigraph (median)")
    parser.add_argument("--query-timeout", type=float, default=30.0, help="seconds per rdflib query before it is stopped")
    parser.add_argument("--rdflib-max", type=parse_size, default=1_000_000, help="largest size rdflib is loaded at")
    parser.add_argument("--pyshacl-max", type=parse_size, default=100_000, help="largest size pySHACL is run at")
    parser.add_argument("--pyshacl-timeout", type=float, default=300.0)
    parser.add_argument("--server-seconds", type=float, default=10.0, help="load seconds per server and query")
    parser.add_argument("--hckg-load", choices=("gate", "bulk"), default="gate",
                        help="gate: `hckg load` (the user's path); bulk: bulk_load + inference, no check (large sizes)")
    parser.add_argument("--virtuoso-script", type=Path, help="start/stop script (default: scripts/virtuoso.sh)")
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out: " + ",".join(PARTS))
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench", help="folder of the JSON results")
    parser.add_argument("--workdir", type=Path, help="parent of the temporary work folders (default: the system's)")
    parser.add_argument("--from-json", type=Path, nargs="+",
                        help="measure nothing: print the tables of saved results files (several: one table of growth)")
    args = parser.parse_args(argv)
    if args.from_json:
        return reprint(args.from_json)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if skip - set(PARTS):
        parser.error(f"unknown part(s) {', '.join(sorted(skip - set(PARTS)))}; choose from {', '.join(PARTS)}")
    try:
        sizes = [parse_size(s) for group in (args.sizes or [DEFAULT_SIZES]) for s in group.split(",") if s.strip()]
    except ValueError as err:
        parser.error(str(err))
    started = datetime.now(timezone.utc)
    run: dict[str, Any] = {"started": started.isoformat(timespec="seconds"),
                           "command": " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
                           "environment": environment(), "skipped": sorted(skip), "sizes": []}
    print(f"# HCKG benchmark suite, {run['started']}\n\n`{run['command']}` ({run['environment']['cpus']} CPUs, "
          f"python {run['environment']['python']}, pyoxigraph {run['environment']['versions']['pyoxigraph']}, "
          f"rdflib {run['environment']['versions']['rdflib']})\n", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    json_path = args.out / f"results-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    for size in sorted(sizes):
        begun = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="hckg-bench-", dir=args.workdir) as tmp:
            measured = measure_size(size, args, skip, Path(tmp))
        measured["rows"] = report.rows(measured)
        measured["wall_s"] = time.perf_counter() - begun
        run["sizes"].append(measured)
        print(report.table(measured) + "\n", flush=True)
        run["growth"] = report.growth(run["sizes"])
        json_path.write_text(json.dumps(run, indent=1))  # after every size: a long run keeps what it measured
    print(report.growth_table(run.get("growth", {})) + "\n")
    print(report.goals_summary(run["sizes"]))
    print(f"\nresults: {json_path}")
    run["json"] = str(json_path)
    return run


if __name__ == "__main__":
    main()
