"""Every saved query on synthetic data: HCKG's layer vs raw pyoxigraph vs rdflib's in-memory engine.

Run on demand (never in `make test`):

    .venv/bin/python bench/queries.py --triples 100000 [--triples 1000000] [--no-rdflib] [--repeat 5]

For each size: the real data/ is built into a temporary store, synthetic triples (bench/synthetic.py,
labelled hckg:SyntheticData) are bulk-loaded beside it and the inferred graph is recomputed. Each
query runs with its defaults (or the example value below) through:
- HCKG: ``hckg.queries.running.bind`` (label resolution, term substitution) + query + rows as dicts;
- raw pyoxigraph: the same bound SPARQL text straight on ``pyoxigraph.Store.query``, rows listed;
- rdflib: the same text on an rdflib Dataset holding the same quads (default graph = union).
Figures are medians of ``--repeat`` runs, printed as ratios against raw pyoxigraph in the same run.
Goals (issue 5): median rdflib/HCKG >= 20x, HCKG/raw <= 1.3x.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hckg.gate.build import build  # noqa: E402
from hckg.queries.catalog import load_catalog  # noqa: E402
from hckg.config import Settings  # noqa: E402
from hckg.formats import json_rows  # noqa: E402
from hckg.queries.running import bind  # noqa: E402
from hckg.store.oxigraph import OxigraphStore, open_store  # noqa: E402
import synthetic  # noqa: E402

EXAMPLES = {
    "organisation": "https://w3id.org/hckg/id/synthetic/organisation/o1",
    "community": "https://w3id.org/hckg/id/synthetic/community/c1",
    "resource": "https://w3id.org/hckg/id/province/PV26",
    "text": "energie",
}


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def prepare(triples: int, workdir: Path) -> Settings:
    settings = replace(Settings(), store_path=workdir / "store")
    build(settings)
    synthetic.add_to_store(settings.store_path, triples, workdir)
    return settings


def rdflib_copy(store: OxigraphStore) -> rdflib.Dataset:
    data = ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=data, format="nquads")
    return dataset


def run(triples: int, repeat: int, with_rdflib: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = prepare(triples, Path(tmp))
        store = open_store(settings.store_path)
        raw = ox.Store.read_only(str(settings.store_path.resolve()))
        total = sum(g.triples for g in store.graphs())
        dataset = rdflib_copy(store) if with_rdflib else None
        print(f"\n## {total:,} triples ({triples:,} synthetic), median of {repeat} runs\n")
        print("| query | raw pyoxigraph s | HCKG / raw | rdflib / HCKG |")
        print("| --- | --- | --- | --- |")
        hckg_ratios, rdflib_ratios = [], []
        for query in load_catalog(settings.queries_dir).values():
            values = {p.name: [EXAMPLES.get(p.name, p.enum[0] if p.enum else "x")]
                      for p in query.parameters if p.required}
            bound = bind(store, query, values)

            def through_hckg() -> None:
                answer = store.query(bind(store, query, values).sparql)
                json_rows(answer) if isinstance(answer, ox.QuerySolutions) else list(answer)  # type: ignore[arg-type]

            def raw_oxigraph() -> None:
                list(raw.query(bound.sparql, use_default_graph_as_union=True))  # type: ignore[arg-type]

            raw_s = timed(raw_oxigraph, repeat)
            hckg_s = timed(through_hckg, repeat)
            hckg_ratios.append(hckg_s / raw_s)
            cell = "skipped"
            if dataset is not None:
                rdflib_s = timed(lambda: list(dataset.query(bound.sparql)), 1)
                rdflib_ratios.append(rdflib_s / hckg_s)
                cell = f"{rdflib_s / hckg_s:.1f}x"
            print(f"| {query.name} | {raw_s:.4f} | {hckg_s / raw_s:.2f}x | {cell} |", flush=True)
        print(f"\nmedian HCKG / raw pyoxigraph: {statistics.median(hckg_ratios):.2f}x (goal <= 1.3x); "
              f"worst {max(hckg_ratios):.2f}x")
        if rdflib_ratios:
            print(f"median rdflib / HCKG: {statistics.median(rdflib_ratios):.1f}x (goal >= 20x); "
                  f"least {min(rdflib_ratios):.1f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Saved-query benchmark on synthetic data")
    parser.add_argument("--triples", type=int, action="append", help="synthetic triples (repeatable)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-rdflib", action="store_true", help="skip rdflib (slow to load beyond ~200k)")
    args = parser.parse_args()
    for size in args.triples or [100_000]:
        run(size, args.repeat, not args.no_rdflib)
