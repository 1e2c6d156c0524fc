"""Small writes into a big store (issue 16): each write's time at every size, as a ratio to the smallest size.

Three writes a user makes every day, each through the gate into a store that holds the real data and
``size`` synthetic triples (``synthetic.generate_shaped``, bulk-loaded, entailments included):
- ``csv``: `hckg load` of a CSV table of 20 learning communities (rows of data/learning_communities.csv
  with synthetic names and sources, so every cell resolves as real ones do), into a new graph;
- ``volgsysteem``: one volgsysteem record (``hckg volgsysteem add``) of a real community;
- ``put``: a Graph Store PUT of 100 triples (25 synthetic organisations) that replaces a graph of 100.
Everything written is labelled synthetic (names, ``example.org/synthetic`` sources) and lives in a
temporary folder. Each size runs in its own child process; each write is timed ``--repeat`` times
(median). ``--profile`` prints the top of a cProfile table (cumulative) of each write's first run.

    .venv/bin/python bench/small_writes.py --sizes 10k,1M [--repeat 3] [--profile 10]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402

WRITES = ("csv", "volgsysteem", "put")
GOAL_RATIO = 2.0
GOAL_SECONDS = 2.0
COMMUNITIES = 20
PUT_ORGANISATIONS = 25  # 4 triples each: 100 triples


def parse_size(text: str) -> int:
    text = text.strip()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    return int(text[:-1] if factor > 1 else text) * factor


def communities_csv(path: Path, run: int) -> None:
    """20 rows of the real table, renamed and re-sourced as synthetic: cells resolve exactly as the real ones."""
    with (ROOT / "data" / "learning_communities.csv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = [row for row, _ in zip(reader, range(COMMUNITIES))]
        header = reader.fieldnames
    assert header is not None
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(rows):
        row.update(name=f"Synthetische benchcommunity {run}-{n}", website="", alt_names="",
                   source_url=f"https://example.org/synthetic/bench-community/{run}-{n}",
                   notes="synthetic (bench/small_writes.py)", description="", description_nl="")
        writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8")


def organisations_ttl(path: Path, run: int) -> None:
    """100 triples: 25 synthetic organisations, each typed, labelled, sourced and placed in a province."""
    lines = []
    for n in range(PUT_ORGANISATIONS):
        s = f"<{synthetic.ID}organisation/synthetic-put-{run}-{n}>"
        lines += [f"{s} a <{synthetic.H}Organisation> ;",
                  f'  <{synthetic.LABEL}> "Synthetische PUT-organisatie {run}-{n}"@nl ;',
                  f"  <{synthetic.SOURCE}> <https://example.org/synthetic/put/{run}-{n}> ;",
                  f"  <{synthetic.H}province> <{synthetic.ID}province/PV2{n % 10}> ."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def a_community() -> str:
    """The key of a real learning community (the volgsysteem record's subject)."""
    from hckg.iris import slugify

    with (ROOT / "data" / "learning_communities.csv").open(encoding="utf-8") as f:
        return slugify(next(csv.DictReader(f))["name"])


def child(size: int, workdir: Path, repeat: int, profile_top: int) -> dict[str, Any]:
    """Build the store of this size, then time each small write ``repeat`` times."""
    from hckg.config import Settings
    from hckg.gate.build import build
    from hckg.gate.write import load_file
    from hckg.volgsysteem.records import RecordInput, add_record

    settings = replace(Settings(), store_path=workdir / "store")
    start = time.perf_counter()
    build(settings)
    if size:
        nt = workdir / "synthetic.nt"
        synthetic.write(nt, size, shaped=True)
        synthetic.bulk_add(settings.store_path, nt)
        nt.unlink()
    setup_s = time.perf_counter() - start
    community = a_community()
    put_graph = "https://w3id.org/hckg/graph/loads/synthetic-bench-put"
    organisations_ttl(workdir / "put-0.ttl", 0)
    load_file(settings, workdir / "put-0.ttl", put_graph, synthetic=True)  # the graph each PUT replaces

    def csv_write(run: int) -> None:
        path = workdir / f"communities-{run}.csv"
        communities_csv(path, run)
        load_file(settings, path, f"https://w3id.org/hckg/graph/loads/synthetic-bench-communities-{run}", synthetic=True)

    def volgsysteem_write(run: int) -> None:
        add_record(settings, RecordInput(community=community, status="lopend", on=date(2001, 1, 1 + run),
                                         sources=(f"https://example.org/synthetic/volgsysteem/{run}",)))

    def put_write(run: int) -> None:
        path = workdir / f"put-{run + 1}.ttl"
        organisations_ttl(path, run + 1)
        load_file(settings, path, put_graph, replace=True, synthetic=True)

    timed: dict[str, Callable[[int], None]] = {"csv": csv_write, "volgsysteem": volgsysteem_write, "put": put_write}
    out: dict[str, Any] = {"size": size, "setup_s": setup_s, "writes": {}, "profiles": {}}
    for name, write in timed.items():
        runs = []
        for run in range(repeat):
            profiler = cProfile.Profile() if profile_top and run == 0 else None
            begun = time.perf_counter()
            if profiler:
                profiler.enable()
            write(run)
            if profiler:
                profiler.disable()
            runs.append(time.perf_counter() - begun)
            if profiler:
                text = io.StringIO()
                pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(profile_top)
                out["profiles"][name] = text.getvalue()
        out["writes"][name] = {"seconds": statistics.median(runs), "runs": runs}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,1M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, help="print the top N cProfile rows of each write")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(int(args.child[0]), Path(args.child[1]), args.repeat, args.profile)
        (Path(args.child[1]) / "result.json").write_text(json.dumps(result))
        return
    import os

    print(f"# small writes (issue 16), load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    results = []
    for text in args.sizes.split(","):
        size = parse_size(text)
        with tempfile.TemporaryDirectory(prefix="hckg-smallwrites-") as tmp:
            subprocess.run([sys.executable, __file__, "--repeat", str(args.repeat), "--profile", str(args.profile),
                            "--child", str(size), tmp], check=True)
            results.append(json.loads((Path(tmp) / "result.json").read_text()))
    print("| write | " + " | ".join(f"{r['size']:,} s" for r in results) + " | ratio largest/smallest | goal |")
    print("|---|" + "---|" * (len(results) + 2))
    for name in WRITES:
        seconds = [r["writes"][name]["seconds"] for r in results]
        ratio = seconds[-1] / seconds[0]
        met = ratio <= GOAL_RATIO and seconds[-1] <= GOAL_SECONDS
        print(f"| {name} | " + " | ".join(f"{s:.2f}" for s in seconds) +
              f" | {ratio:.2f}x | {'met' if met else 'missed'} (<= {GOAL_RATIO}x and <= {GOAL_SECONDS} s) |")
    print("\nruns (s): " + "; ".join(f"{name} at {r['size']:,}: " + ", ".join(f"{x:.2f}" for x in r["writes"][name]["runs"])
                                   for r in results for name in WRITES))
    print(f"\nset-up (build + bulk load + inference): " + ", ".join(f"{r['size']:,}: {r['setup_s']:.1f} s" for r in results))
    if args.profile:
        for r in results:
            for name, text in r["profiles"].items():
                print(f"\n## cProfile, {name} at {r['size']:,} (first run, top {args.profile} cumulative)\n\n```")
                print("\n".join(line for line in text.splitlines() if line.strip())[:4000])
                print("```")


if __name__ == "__main__":
    main()
