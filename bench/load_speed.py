"""Time `hckg load` alone (build of data/, then the load of the shaped synthetic file), each size in a child.

A quicker loop than bench/run.py for work on the load path: the same data and the same child task
(``children.load_hckg``), next to pyoxigraph's bulk_load of the same file (the baseline) in the same run.

    .venv/bin/python bench/load_speed.py --sizes 100k,1M
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import children  # noqa: E402
import run  # noqa: E402
import synthetic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--no-raw", action="store_true", help="leave out pyoxigraph's bulk_load baseline")
    args = parser.parse_args()
    print("size\thckg load s\tpeak MB\traw bulk_load s\traw peak MB")
    for text in args.sizes.split(","):
        size = run.parse_size(text)
        with tempfile.TemporaryDirectory(prefix="hckg-loadspeed-") as tmp:
            workdir = Path(tmp)
            nt, body = workdir / "synthetic.nt", workdir / "body.nt"
            synthetic.write_with_body(nt, body, size, args.seed)
            (workdir / "plan.json").write_text(run.json.dumps({"synthetic": str(nt), "body": str(body)}))
            hckg = children.measure("load-hckg", workdir, run.CHILD_TIMEOUT_S)
            raw = {} if args.no_raw else children.measure("load-raw", workdir, run.CHILD_TIMEOUT_S)
            print(f"{text}\t{hckg.get('seconds', hckg.get('error'))}\t{hckg['peak_mb']}\t"
                  f"{raw.get('seconds')}\t{raw.get('peak_mb')}", flush=True)


if __name__ == "__main__":
    main()
