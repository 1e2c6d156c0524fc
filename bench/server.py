"""Server load test: HCKG (uvicorn server.py) vs Oxigraph's own server on the same data, 127.0.0.1 only.

Run on demand (never in `make test`; `make bench-server` installs the `bench` extra first):

    .venv/bin/python bench/server.py [--clients 8] [--seconds 30] [--triples 100000] [--workers 2]
    .venv/bin/python bench/server.py --baseline-root /tmp/main-checkout --baseline-args "--loop asyncio --http h11"

The real data/ is built into a temporary store (plus ``--triples`` synthetic triples from bench/synthetic.py,
labelled hckg:SyntheticData, and the inferred graph recomputed). The same quads are dumped to N-Quads and
loaded with ``oxigraph load`` into a second temporary store, served by ``oxigraph serve-read-only
--union-default-graph`` (HCKG also queries the union of its named graphs). Two loads, each on both servers:
- headline: HCKG's ``/api/queries/regions-lacking-community?challenge=...&type=CoE``; Oxigraph gets the
  SPARQL text ``hckg.queries.running.bind`` makes of the same values, at ``/query``;
- select: one SPARQL SELECT, at HCKG's ``/sparql`` and Oxigraph's ``/query``.
Both servers must first give the same rows. ``--clients`` processes then each send requests one after
another on a keep-alive connection, asking for SPARQL JSON. The ``--seconds`` per server are split into
``--rounds`` slices that alternate HCKG and Oxigraph, so that other work on the machine weighs on both alike
(the load average is printed). Each client stops at the end of its slice or after ``MAX_REQUESTS`` requests.
Fairness: the same client code, connection and request for every server; a response counts only when its
status is 200 and its body is byte for byte the body that server gave before the run (so every counted request
did the whole query); connections a server closed are counted (``reconnects``: 0 means keep-alive held).
Printed: req/s, p50 and p99 latency per target, the CPU milliseconds each server's processes (HCKG: server and
query workers) spent per answered request (Linux /proc; the clients' CPU is not in it), and HCKG/Oxigraph
throughput (goal >= 0.8x) and p99 (goal <= 2x).
``--baseline-root`` serves a second HCKG from another checkout (say main, for a before/after pair) on the same
store, measured in the same alternating rounds: its ratios against Oxigraph come from the same machine state.
HCKG keeps the answers of a store build (``HCKG_ANSWER_CACHE_MB``): every request here after the first is
answered from that cache, so the same server also runs with the cache switched off ("no answer cache":
the query runs in a worker for every request, as on Oxigraph's server); ``--cached-only`` leaves it out.
All servers are stopped whatever happens; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import shlex
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from hckg.gate.build import build  # noqa: E402
from hckg.queries.catalog import get_query  # noqa: E402
from hckg.config import Settings  # noqa: E402
from hckg.queries.running import bind  # noqa: E402
from hckg.store.oxigraph import open_store  # noqa: E402
import synthetic  # noqa: E402

HOST = "127.0.0.1"
HEADLINE = "regions-lacking-community"
HEADLINE_VALUES = {"challenge": ["Gezondheid & Zorg"], "type": ["CoE"]}
SELECT = """PREFIX hckg: <https://w3id.org/hckg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?province ?label (COUNT(DISTINCT ?community) AS ?communities) WHERE {
  ?community a hckg:LearningCommunity ; hckg:province ?province .
  ?province rdfs:label ?label . FILTER(LANG(?label) = "nl")
}
GROUP BY ?province ?label ORDER BY DESC(?communities) ?label"""
JSON_RESULTS = "application/sparql-results+json"
MAX_REQUESTS = 200_000  # per client: the loop is bounded in count as well as in time
START_TIMEOUT_S = 120


@dataclass
class Target:
    name: str
    port: int
    path: str  # path and query string of the one request sent over and over
    pgid: int = 0  # process group of the server (and its workers), for the CPU it spends


@dataclass
class Figures:
    requests: int
    errors: int
    seconds: float
    latencies_s: list[float]
    cpu_s: float = 0.0
    reconnects: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.requests + other.requests, self.errors + other.errors, self.seconds + other.seconds,
                       self.latencies_s + other.latencies_s, self.cpu_s + other.cpu_s,
                       self.reconnects + other.reconnects)

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.cpu_s / self.requests if self.requests else float("nan")

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, p: int) -> float:
        if len(self.latencies_s) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies_s, n=100, method="inclusive")[p - 1] * 1000


def group_cpu_s(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of process group ``pgid``; 0 off Linux.

    Read just before and after a slice; a worker that ends within the slice drops out of the sum (rare:
    only a query past the time limit kills one, and those count as errors).
    """
    if not pgid or not Path("/proc/self/stat").exists():
        return 0.0
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def prepare(triples: int, workdir: Path, compact: bool = True) -> tuple[Settings, Path]:
    """Build HCKG's store (plus synthetic triples) and an Oxigraph store with the same quads.

    ``oxigraph load`` leaves one sorted file per index; HCKG's store after a build, a bulk load and the
    inference writes has several layers of files, and each query reads through all of them (the headline
    took 4.2 ms of CPU against 3.3 ms after ``Store.optimize()`` at 10k, in one process, no server). With
    ``compact`` HCKG's store is compacted too, so that the servers, not the files, are compared.
    """
    settings = replace(Settings(), store_path=workdir / "hckg" / "store")
    build(settings)
    if triples:
        synthetic.add_to_store(settings.store_path, triples, workdir)
    if compact:
        writable = ox.Store(str(settings.store_path.resolve()))
        writable.optimize()
        del writable
    nquads = workdir / "all.nq"
    raw = ox.Store.read_only(str(settings.store_path.resolve()))
    raw.dump(output=str(nquads), format=ox.RdfFormat.N_QUADS)
    del raw
    oxigraph_dir = workdir / "oxigraph"
    subprocess.run([oxigraph_cli(), "load", "--location", str(oxigraph_dir), "--file", str(nquads)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return settings, oxigraph_dir


def oxigraph_cli() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        sys.exit("the `oxigraph` command is missing: pip install -e '.[bench]' (the oxigraph package from PyPI)")
    return found


def start(command: list[str], env: dict[str, str], port: int, probe: str,
          cwd: Path = ROOT) -> subprocess.Popen:  # type: ignore[type-arg]
    """Start a server in its own process group (from ``cwd``) and wait until ``probe`` answers 200."""
    process = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} exited with {process.returncode}: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if get(port, probe)[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{' '.join(command)} did not answer within {START_TIMEOUT_S} s")


def stop(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Stop the server and everything it started (HCKG's query workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": JSON_RESULTS})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def rows(port: int, path: str) -> list[dict[str, str]]:
    status, body = get(port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} on port {port} answered {status}: {body[:500]!r}")
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def client(port: int, path: str, expected: bytes, start_at: float, end_at: float) -> tuple[int, int, list[float], int]:
    """One client: requests one after another on a keep-alive connection from ``start_at`` to ``end_at``.

    A request counts when it answers 200 with the ``expected`` body; returns (answered, errors, latencies,
    reconnects), reconnects being the responses after which the server closed the connection.
    """
    time.sleep(max(0.0, start_at - time.time()))
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    latencies, errors, reconnects = [], 0, 0
    try:
        for _ in range(MAX_REQUESTS):
            if time.time() >= end_at:
                break
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": JSON_RESULTS})
                response = connection.getresponse()
                ok = response.status == 200 and response.read() == expected
                reconnects += response.will_close
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                ok = False
            if ok:
                latencies.append(time.perf_counter() - began)
            else:
                errors += 1
    finally:
        connection.close()
    return len(latencies), errors, latencies, reconnects


def load(target: Target, clients: int, seconds: float) -> Figures:
    for _ in range(5):  # warm caches and connections before measuring
        status, expected = get(target.port, target.path)
    if status != 200:
        raise RuntimeError(f"{target.name} answered {status} to {target.path[:200]}: {expected[:500]!r}")
    start_at = time.time() + 1.0
    with ProcessPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(client, target.port, target.path, expected, start_at, start_at + seconds)
                   for _ in range(clients)]
        time.sleep(max(0.0, start_at - time.time()))
        cpu_before = group_cpu_s(target.pgid)
        results = [f.result(timeout=seconds + 120) for f in futures]
        cpu = group_cpu_s(target.pgid) - cpu_before
    latencies = [x for r in results for x in r[2]]
    return Figures(sum(r[0] for r in results), sum(r[1] for r in results), seconds, latencies, cpu,
                   sum(r[3] for r in results))


def run(clients: int, seconds: float, rounds: int, triples: int, workers: int, baseline_root: Path | None = None,
        baseline_args: tuple[str, ...] = (), compact: bool = True, uncached: bool = True) -> dict[str, dict[str, Figures]]:
    """Measure both loads on both servers (and a baseline HCKG checkout, if given) and print the table;
    returns the figures by load and server ("HCKG", "HCKG, no answer cache", "HCKG baseline", "Oxigraph")."""
    with tempfile.TemporaryDirectory(prefix="hckg-bench-server-") as tmp:
        settings, oxigraph_dir = prepare(triples, Path(tmp), compact)
        store = open_store(settings.store_path)
        total = sum(g.triples for g in store.graphs())
        headline_sparql = bind(store, get_query(settings.queries_dir, HEADLINE), HEADLINE_VALUES).sparql
        store.close()
        env = {**os.environ, "HCKG_STORE": str(settings.store_path), "HCKG_WORKERS": str(workers)}
        pool = Settings.from_env()
        hckg_servers = [("HCKG", ROOT, ("--http", "h11"), {})]  # as `hckg serve` runs it (hckg/cli/app.py)
        if uncached:
            hckg_servers.append(("HCKG, no answer cache", ROOT, ("--http", "h11"), {"HCKG_ANSWER_CACHE_MB": "0"}))
        if baseline_root:
            hckg_servers.append(("HCKG baseline", baseline_root, baseline_args, {}))
        servers = []
        try:
            ports: dict[str, tuple[int, int]] = {}
            for name, root, extra, more_env in hckg_servers:
                port = free_port()
                servers.append(start([sys.executable, "-m", "uvicorn", "server:app", "--host", HOST, "--port", str(port),
                                      "--log-level", "warning", "--no-access-log", *extra], {**env, **more_env}, port,
                                     "/sparql?query=ASK%7B%7D", cwd=root))
                ports[name] = port, servers[-1].pid
            port = free_port()
            servers.append(start([oxigraph_cli(), "serve-read-only", "--location", str(oxigraph_dir), "--bind",
                                  f"{HOST}:{port}", "--union-default-graph"], dict(os.environ), port,
                                 "/query?query=ASK%7B%7D"))
            ports["Oxigraph"] = port, servers[-1].pid
            headline_path = f"/api/queries/{HEADLINE}?" + urlencode([(k, v) for k, vs in HEADLINE_VALUES.items() for v in vs])
            loads = {
                "headline": [Target(n, ports[n][0], headline_path, ports[n][1]) for n, *_ in hckg_servers]
                + [Target("Oxigraph", ports["Oxigraph"][0], "/query?" + urlencode({"query": headline_sparql}),
                          ports["Oxigraph"][1])],
                "select": [Target(n, ports[n][0], "/sparql?" + urlencode({"query": SELECT}), ports[n][1])
                           for n, *_ in hckg_servers]
                + [Target("Oxigraph", ports["Oxigraph"][0], "/query?" + urlencode({"query": SELECT}),
                          ports["Oxigraph"][1])],
            }
            for name, targets in loads.items():
                answers = [rows(t.port, t.path) for t in targets]
                if any(a != answers[-1] for a in answers):
                    raise RuntimeError(f"{name}: HCKG and Oxigraph answer different rows; the comparison would mean nothing")
            print(f"\n## {total:,} triples ({triples:,} synthetic), {clients} clients x {seconds:g} s per server and load "
                  f"({rounds} alternating rounds), HCKG with {workers} query workers (+{pool.express_workers} express, "
                  f"{pool.spare_workers} spare), Oxigraph {ox.__version__} server with its own threads, "
                  f"HCKG's store {'compacted' if compact else 'as loaded'}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before"
                  + (f"; HCKG baseline: {baseline_root} {' '.join(baseline_args)}" if baseline_root else "") + "\n")
            print("| load | server | requests | errors | reconnects | req/s | p50 ms | p99 ms | server CPU ms/req "
                  "| req/s / Oxigraph (goal >= 0.8x) | p99 / Oxigraph (goal <= 2x) |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            measured: dict[str, dict[str, Figures]] = {}
            for name, targets in loads.items():
                figures = measured[name] = {t.name: Figures(0, 0, 0.0, []) for t in targets}
                for _ in range(rounds):
                    for t in targets:
                        figures[t.name] += load(t, clients, seconds / rounds)
                reference = figures["Oxigraph"]
                for target_name, f in figures.items():
                    ratios = ("", "") if target_name == "Oxigraph" else (
                        f"{f.rate / reference.rate:.2f}x", f"{f.percentile_ms(99) / reference.percentile_ms(99):.2f}x")
                    print(f"| {name} | {target_name} | {f.requests} | {f.errors} | {f.reconnects} | {f.rate:.1f} | "
                          f"{f.percentile_ms(50):.1f} | {f.percentile_ms(99):.1f} | {f.cpu_ms_per_request:.2f} | "
                          f"{ratios[0]} | {ratios[1]} |", flush=True)
            print(f"\nload average {os.getloadavg()[0]:.1f} after")
            return measured
        finally:
            for process in servers:
                stop(process)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="HCKG server vs Oxigraph server under load, on 127.0.0.1")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client processes (default 8)")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds of load per server and query (default 30)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating slices per server and load (default 3)")
    parser.add_argument("--triples", type=int, default=0, help="synthetic triples added to the real data (default 0)")
    parser.add_argument("--workers", type=int, default=Settings().workers, help="HCKG_WORKERS of the HCKG server")
    parser.add_argument("--baseline-root", type=Path, help="a second HCKG checkout (say main) to serve and measure too")
    parser.add_argument("--baseline-args", default="", help="extra uvicorn arguments for the baseline server")
    parser.add_argument("--cached-only", action="store_true",
                        help="leave out the HCKG server with its answer cache switched off (HCKG_ANSWER_CACHE_MB=0)")
    parser.add_argument("--as-loaded", action="store_true",
                        help="serve HCKG's store as the build and bulk load leave it (default: compacted, as Oxigraph's)")
    args = parser.parse_args()
    if not (1 <= args.clients <= 64 and 0 < args.seconds <= 600 and 1 <= args.rounds <= 100):
        parser.error("--clients must be 1..64, --seconds 0..600 and --rounds 1..100")
    run(args.clients, args.seconds, args.rounds, args.triples, args.workers,
        args.baseline_root.resolve() if args.baseline_root else None, tuple(shlex.split(args.baseline_args)),
        not args.as_loaded, not args.cached_only)
