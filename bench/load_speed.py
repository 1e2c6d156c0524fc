"""Time `hckg load` alone (build of data/, then the load of the shaped synthetic file), each size in a child.

A quicker loop than bench/run.py for work on the load path: the same data and the same child task
(``children.load_hckg``), next to pyoxigraph's bulk_load of the same file (the baseline) in the same run.
``--repeat N`` runs the children N times back to back (HCKG, raw, [floor]; the order alternates) and prints
each run, the medians, their ratio and the load average. ``--floor`` adds ``children.load_floor``: the engine
work a validating load cannot avoid (bulk_load, the inference rules' findings written, one scan), run alone.

    .venv/bin/python bench/load_speed.py --sizes 100k,1M
    .venv/bin/python bench/load_speed.py --sizes 1M --repeat 3 --floor
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import children  # noqa: E402
import run  # noqa: E402
import synthetic  # noqa: E402


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _median(results: list[dict], key: str = "seconds") -> float | None:
    values = [r[key] for r in results if isinstance(r.get(key), (int, float))]
    return statistics.median(values) if values else None


def _fmt(result: dict) -> str:
    seconds = result.get("seconds")
    return f"{seconds:.2f}" if isinstance(seconds, (int, float)) else str(result.get("error"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--no-raw", action="store_true", help="leave out pyoxigraph's bulk_load baseline")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each child, back to back (medians)")
    parser.add_argument("--floor", action="store_true", help="also time the floor (children.load_floor)")
    args = parser.parse_args()
    print("size\trun\thckg load s\tpeak MB\traw bulk_load s\traw peak MB\tfloor s\tload avg\tfloor parts s")
    for text in args.sizes.split(","):
        size = run.parse_size(text)
        with tempfile.TemporaryDirectory(prefix="hckg-loadspeed-") as tmp:
            workdir = Path(tmp)
            nt, body = workdir / "synthetic.nt", workdir / "body.nt"
            synthetic.write_with_body(nt, body, size, args.seed)
            (workdir / "plan.json").write_text(run.json.dumps({"synthetic": str(nt), "body": str(body)}))
            tasks = ["load-hckg"] + ([] if args.no_raw else ["load-raw"]) + (["load-floor"] if args.floor else [])
            runs: dict[str, list[dict]] = {task: [] for task in tasks}
            for n in range(args.repeat):
                before = _load()
                for task in (tasks if n % 2 == 0 else tasks[::-1]):
                    (workdir / "hckg").exists() and run.shutil.rmtree(workdir / "hckg")
                    (workdir / "raw").exists() and run.shutil.rmtree(workdir / "raw")
                    runs[task].append(children.measure(task, workdir, run.CHILD_TIMEOUT_S))
                hckg, raw = runs["load-hckg"][-1], runs.get("load-raw", [{}])[-1]
                floor = runs.get("load-floor", [{}])[-1]
                parts = " ".join(f"{k}={v:.2f}" for k, v in floor.get("parts", {}).items())
                print(f"{text}\t{n + 1}\t{_fmt(hckg)}\t{hckg['peak_mb']}\t"
                      f"{_fmt(raw)}\t{raw.get('peak_mb')}\t{_fmt(floor)}\t{before}-{_load()}\t{parts}",
                      flush=True)
            medians = {task: _median(results) for task, results in runs.items()}
            raw_s = medians.get("load-raw")
            summary = [f"median hckg load {medians['load-hckg']:.2f}" if medians["load-hckg"] else "hckg load failed"]
            if raw_s:
                summary.append(f"raw {raw_s:.2f} ({medians['load-hckg'] / raw_s:.2f}x)" if medians["load-hckg"] else f"raw {raw_s:.2f}")
                if medians.get("load-floor"):
                    summary.append(f"floor {medians['load-floor']:.2f} ({medians['load-floor'] / raw_s:.2f}x)")
            print(f"{text}\t" + ", ".join(summary), flush=True)


if __name__ == "__main__":
    main()
