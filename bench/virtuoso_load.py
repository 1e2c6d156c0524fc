"""Virtuoso's bulk load of the benchmark's synthetic file, when the project has scripts/virtuoso.sh.

The script (``scripts/virtuoso.sh start DIR HTTP_PORT ISQL_PORT`` / ``stop DIR``) starts a private instance
bound to 127.0.0.1 with ``DIR`` in its ``DirsAllowed`` and user dba/dba; this module copies the file into
``DIR``, times ``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint`` through ``isql-vt`` (Virtuoso's documented
bulk loader), checks the triple count over SPARQL and stops the instance whatever happens. The start-up
(about 3 minutes on a machine without the package, which the script installs) is not timed.

Run alone (issue 16), it also times `hckg load` of the same file through the remote store on the same
instance and prints the ratio, with ``--profile`` a cProfile of HCKG's side::

    .venv/bin/python bench/virtuoso_load.py --size 1M [--profile var/virtuoso-load.prof]
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterator

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _peak_mb(pid_file: Path) -> float | None:
    """The server's high-water RSS (VmHWM) while it is still running; None if it cannot be read."""
    try:
        status = Path(f"/proc/{pid_file.read_text().strip()}/status").read_text()
    except OSError:
        return None
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else None


def _count(http_port: int, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    url = f"http://{HOST}:{http_port}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def bulk_load(isql: str, isql_port: int, http_port: int, workdir: Path, nt_file: Path, graph: str) -> dict[str, Any]:
    """Time Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run`` + ``checkpoint``) of ``nt_file`` into
    ``graph`` on a running instance whose ``DirsAllowed`` holds ``workdir``; ``note`` says why there is none."""
    data_dir = workdir.resolve() / "load"  # Virtuoso resolves a relative path against its own folder
    data_dir.mkdir(exist_ok=True)
    shutil.copy(nt_file, data_dir / nt_file.name)
    sql = (f"delete from DB.DBA.load_list; ld_dir('{data_dir}', '{nt_file.name}', '{graph}'); rdf_loader_run(); "
           "checkpoint; select ll_state, ll_error from DB.DBA.load_list;")
    start = time.perf_counter()
    loaded = subprocess.run([isql, f"{HOST}:{isql_port}", "dba", "dba", f"exec={sql}"],
                            capture_output=True, text=True, timeout=7200)
    seconds = time.perf_counter() - start
    (data_dir / nt_file.name).unlink()
    if loaded.returncode != 0 or "Error" in loaded.stdout + loaded.stderr:
        return {"note": f"Virtuoso: load failed: {(loaded.stdout + loaded.stderr).strip()[-300:]}"}
    triples = _count(http_port, graph)
    if not triples:
        return {"note": f"Virtuoso: the bulk loader loaded nothing: {(loaded.stdout + loaded.stderr).strip()[-300:]}"}
    return {"seconds": seconds, "triples": triples,
            "note": f"ld_dir + rdf_loader_run + checkpoint via isql-vt; {triples:,} triples counted over SPARQL"}


def measure(root: Path, nt_file: Path, workdir: Path, graph: str, script: Path | None = None) -> dict[str, Any]:
    """Seconds of Virtuoso's bulk load of ``nt_file`` into ``graph``; ``note`` says why there is none."""
    script = script or root / "scripts" / "virtuoso.sh"
    if not script.exists():
        return {"note": "Virtuoso: not available (no scripts/virtuoso.sh)"}
    with _virtuoso(script, workdir) as (ports, why):
        if ports is None:
            return {"note": why}
        http_port, isql_port = ports
        isql = shutil.which("isql-vt")
        if not isql:
            return {"note": "Virtuoso: not available (isql-vt missing)"}
        result = bulk_load(isql, isql_port, http_port, workdir, nt_file, graph)
        if "seconds" in result:
            result["disk_mb"] = sum(f.stat().st_size for f in workdir.glob("virtuoso*.db")) / 1e6
            result["peak_mb"] = _peak_mb(workdir / "virtuoso.pid")
        return result


@contextlib.contextmanager
def _virtuoso(script: Path, workdir: Path) -> Iterator[tuple[tuple[int, int] | None, str]]:
    """A private instance on free 127.0.0.1 ports, stopped on leaving, also after a failed start.

    Yields ``((http_port, isql_port), "")``, or ``(None, why)`` when it did not start.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    http_port, isql_port = free_port(), free_port()
    started = subprocess.run(["bash", str(script), "start", str(workdir), str(http_port), str(isql_port)],
                             capture_output=True, text=True, timeout=900)
    try:
        if started.returncode != 0:
            yield None, f"Virtuoso: not available (start failed: {started.stderr.strip()[-300:]})"
        else:
            yield (http_port, isql_port), ""
    finally:
        subprocess.run(["bash", str(script), "stop", str(workdir)], capture_output=True, timeout=120)


def remote_env(http_port: int) -> dict[str, str]:
    """The settings of the Makefile's ``VIRTUOSO_ENV``: HCKG on the private instance as dba."""
    base = f"http://{HOST}:{http_port}"
    return {"HCKG_ENDPOINT": f"{base}/sparql", "HCKG_UPDATE_ENDPOINT": f"{base}/sparql-auth",
            "HCKG_GSP_ENDPOINT": f"{base}/sparql-graph-crud-auth", "HCKG_ENDPOINT_USER": "dba",
            "HCKG_ENDPOINT_PASSWORD": "dba", "HCKG_ENDPOINT_AUTH": "digest"}


_PROFILED = """import cProfile, runpy, sys
out, sys.argv = sys.argv[1], sys.argv[2:]
profile, code = cProfile.Profile(), 0
try:
    profile.runcall(runpy.run_path, sys.argv[0], run_name="__main__")
except SystemExit as stop:
    code = stop.code
finally:
    profile.dump_stats(out)
sys.exit(code)
"""


def _hckg(root: Path, env: dict[str, str], args: list[str], profile: Path | None = None) -> tuple[float, str]:
    """Seconds and last words of one `hckg` command (under cProfile into ``profile`` when given); raises if it
    fails."""
    hckg = root / ".venv" / "bin" / "hckg"
    python = root / ".venv" / "bin" / "python"
    # not `python -m cProfile`: it swallows SystemExit, so a refused load would exit 0
    command = [str(python), "-c", _PROFILED, str(profile), str(hckg)] if profile else [str(hckg)]
    start = time.perf_counter()
    done = subprocess.run(command + args, env={**os.environ, **env}, capture_output=True, text=True, timeout=7200)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        said = (done.stdout + done.stderr).strip()
        raise RuntimeError(f"hckg {' '.join(args)} failed: {said[:1500]} ... {said[-500:]}")
    said = (done.stdout + done.stderr).strip()
    return seconds, said if len(said) < 1200 else said[:900] + " ... " + said[-300:]


def _drop(http_port: int, graph: str) -> None:
    """Drop ``graph`` through the authenticated update endpoint (the bulk loader's copy, before HCKG's load)."""
    env = remote_env(http_port)
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, env["HCKG_UPDATE_ENDPOINT"], "dba", "dba")
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))
    body = urllib.parse.urlencode({"update": f"DROP SILENT GRAPH <{graph}>"}).encode()
    with opener.open(urllib.request.Request(env["HCKG_UPDATE_ENDPOINT"], data=body), timeout=600) as answer:
        answer.read()


def compare(root: Path, nt_file: Path, workdir: Path, graph: str, profile: Path | None = None,
            script: Path | None = None) -> dict[str, Any]:
    """`hckg load` of ``nt_file`` through the remote store against Virtuoso's bulk loader, one instance, one run.

    Both start from the same store (`hckg build` of data/ through HCKG, not timed); the bulk loader writes
    ``graph`` + ``/bulk`` and is dropped again before HCKG loads ``graph`` through the gate.
    """
    script = script or root / "scripts" / "virtuoso.sh"
    with _virtuoso(script, workdir) as (ports, why):
        if ports is None:
            return {"note": why}
        http_port, isql_port = ports
        isql = shutil.which("isql-vt")
        assert isql, "isql-vt missing after the start script"
        env = remote_env(http_port)
        result: dict[str, Any] = {"build_s": _hckg(root, env, ["build"])[0]}
        result["virtuoso"] = bulk_load(isql, isql_port, http_port, workdir, nt_file, graph + "/bulk")
        _drop(http_port, graph + "/bulk")
        # let the drop settle, so HCKG's load does not wait for it
        subprocess.run([isql, f"{HOST}:{isql_port}", "dba", "dba", "exec=checkpoint;"], capture_output=True, timeout=600)
        seconds, said = _hckg(root, env, ["load", str(nt_file), "--graph", graph], profile)
        result["hckg"] = {"seconds": seconds, "triples": _count(http_port, graph), "said": said}
        if "seconds" in result["virtuoso"]:
            result["ratio"] = seconds / result["virtuoso"]["seconds"]
        return result


def main() -> None:
    import argparse
    import pstats
    import sys
    import tempfile

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "bench"))
    import synthetic
    from run import parse_size

    parser = argparse.ArgumentParser(description="`hckg load` into Virtuoso against Virtuoso's bulk loader (issue 16)")
    parser.add_argument("--size", default="1M", help="synthetic triples: 100k, 1M ...")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--profile", type=Path, help="write hckg load's cProfile here and print its top 10 (cumulative)")
    parser.add_argument("--workdir", type=Path, help="parent of the temporary work folder (default: the system's)")
    args = parser.parse_args()
    size = parse_size(args.size)
    with tempfile.TemporaryDirectory(prefix="hckg-virtuoso-load-", dir=args.workdir) as tmp:
        work = Path(tmp)
        nt, body = work / "synthetic.nt", work / "body.nt"
        synthetic.write_with_body(nt, body, size, args.seed)
        result = compare(root, body, work / "virtuoso", synthetic.GRAPH, args.profile)
    print(json.dumps(result, indent=2))
    if "ratio" in result:
        print(f"{args.size}: hckg load {result['hckg']['seconds']:.1f} s, Virtuoso bulk loader "
              f"{result['virtuoso']['seconds']:.1f} s: {result['ratio']:.2f}x (goal <= 1.5x)")
    if args.profile:
        # HCKG's own functions only: the overall top 10 are the interpreter's and typer's wrappers
        stats = pstats.Stats(str(args.profile))
        stats.sort_stats("cumulative").print_stats(r"/hckg/(gate|store|ingest)/", 10)
        print(phase_table(stats))


PHASES = (
    ("scan the file (digest, ontology subjects)", "scan_source"),
    ("stage the file (chunked Graph Store POSTs)", "bulk_load_graph"),
    ("closed-world rules", "check_rules"),
    ("inference inside the engine", "materialise_rules"),
    ("the gate's shape checks", "run_checks"),
    ("swap in (one update)", "commit"),
    ("list the graphs (RemoteStore.dataset)", "dataset"),
    ("count every graph (graphs)", "graphs"),
)
"""Phases of `hckg load` into a remote store, each the cumulative time of the function that does it."""


def phase_table(stats: Any) -> str:
    """A Markdown table of the seconds (cumulative, calls) ``PHASES`` took in a cProfile of `hckg load`."""
    rows = ["| phase | function | calls | seconds |", "| --- | --- | --- | --- |"]
    for label, name in PHASES:
        found = [(calls, cumulative) for (path, _, function), (_, calls, _, cumulative, _) in stats.stats.items()
                 if function == name and "/hckg/" in path]
        calls, seconds = sum(c for c, _ in found), sum(t for _, t in found)
        rows.append(f"| {label} | `{name}` | {calls} | {seconds:.1f} |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
