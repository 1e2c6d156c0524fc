"""Fair serving and concurrent writes under load (issue 17), on 127.0.0.1 only.

Run on demand (never in `make test`):

    .venv/bin/python bench/fair_serving.py [--seconds 20] [--runaways 2] [--timeout 3] [--write-trials 20]

The real data/ is built into a temporary store and served by uvicorn (server.py) with ``HCKG_TIMEOUT``
= ``--timeout`` and a write token. Printed:
- cheap ``ASK {}`` latency p50/p99, first with the server idle, then while ``--runaways`` clients loop a
  runaway query (a three-way cross join that runs until it is killed); the loaded/idle p99 ratio (goal
  <= 10x) and the slowest runaway answer (goal: 503 within timeout + 1 s);
- ``--write-trials`` trials of 8 concurrent token PUTs of distinct graphs (each one synthetic community
  from a CSV row, labelled synthetic): acknowledged writes whose graph is missing afterwards (goal 0),
  and refusals (must be 503 with nothing written).
The server is stopped whatever happens.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hckg.config import Settings  # noqa: E402
from hckg.gate.build import build  # noqa: E402

HOST = "127.0.0.1"
TOKEN = "bench-write-token"
CHEAP = "ASK {}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CSV_HEADER = ("name,type,lead_institution,partners,city,province,topsectors,societal_challenge,start_year,website,"
              "source_url\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(store: Path, port: int, timeout_s: float, extra: dict[str, str] | None = None) -> subprocess.Popen:  # type: ignore[type-arg]
    env = {**os.environ, "HCKG_STORE": str(store), "HCKG_TIMEOUT": str(timeout_s), "HCKG_WRITE_TOKEN": TOKEN,
           **(extra or {})}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "server:app", "--host", HOST, "--port", str(port),
                                "--log-level", "warning"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/sparql?" + urlencode({"query": CHEAP}))[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the server did not start within 120 s")


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 120) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def percentile_ms(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def cheap_latencies(port: int, seconds: float) -> list[float]:
    """One client asking ``ASK {}`` one request after another for ``seconds``; each latency in s."""
    path = "/sparql?" + urlencode({"query": CHEAP})
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    times: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        conn.request("GET", path)
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            raise RuntimeError(f"the cheap query answered {answer.status}")
        times.append(time.perf_counter() - started)
    conn.close()
    return times


@dataclass
class Runaways:
    answers: list[tuple[int, float]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def loop(self, port: int) -> None:
        path = "/sparql?" + urlencode({"query": RUNAWAY})
        while not self.stop.is_set():
            started = time.perf_counter()
            status, _ = request(port, "GET", path)
            self.answers.append((status, time.perf_counter() - started))


def fair_serving(port: int, seconds: float, runaway_clients: int) -> dict[str, float]:
    idle = cheap_latencies(port, seconds)
    runaways = Runaways()
    threads = [threading.Thread(target=runaways.loop, args=(port,), daemon=True) for _ in range(runaway_clients)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # the runaways hold the regular workers
    loaded = cheap_latencies(port, seconds)
    runaways.stop.set()
    for thread in threads:
        thread.join(60)
    return {
        "idle_n": len(idle), "idle_p50_ms": percentile_ms(idle, 50), "idle_p99_ms": percentile_ms(idle, 99),
        "loaded_n": len(loaded), "loaded_p50_ms": percentile_ms(loaded, 50),
        "loaded_p99_ms": percentile_ms(loaded, 99),
        "runaways": len(runaways.answers),
        "runaway_max_s": max((s for _, s in runaways.answers), default=0.0),
        "runaway_statuses": sorted({status for status, _ in runaways.answers}),  # type: ignore[dict-item]
    }


@dataclass
class WriteTrials:
    trials: int = 0
    acknowledged: int = 0
    acknowledged_missing: list[str] = field(default_factory=list)
    refused_503: int = 0
    refused_but_written: list[str] = field(default_factory=list)
    other: list[tuple[str, int, str]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def synthetic_row(name: str) -> str:
    """One synthetic community (the name says so) in the communities table's shape."""
    return (f"{name},Fieldlab,,,Groningen,Groningen,Energie,Energietransitie,2021,,"
            f"https://example.org/synthetic/{name.lower().replace(' ', '-')}\n")


def concurrent_writes(port: int, trials: int, writers: int = 8, token: str = TOKEN, tag: str = "") -> WriteTrials:
    """``trials`` rounds of ``writers`` concurrent token PUTs of distinct graphs; then each graph is read back."""
    result = WriteTrials()
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    for trial in range(trials):
        graphs = [f"https://w3id.org/hckg/graph/loads/synthetic-fair{tag}-t{trial}-w{w}" for w in range(writers)]
        answers: dict[str, tuple[int, bytes]] = {}

        def put(index: int, graph: str) -> None:
            body = (CSV_HEADER + synthetic_row(f"Synthetic Proeftuin {tag} T{trial} W{index}")).encode()
            answers[graph] = request(port, "PUT", "/rdf-graphs?" + urlencode({"graph": graph}), body, auth, 600)

        started = time.perf_counter()
        threads = [threading.Thread(target=put, args=(i, g)) for i, g in enumerate(graphs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result.seconds.append(time.perf_counter() - started)
        result.trials += 1
        for graph in graphs:
            status, body = answers[graph]
            present = request(port, "GET", "/rdf-graphs?" + urlencode({"graph": graph}))[0] == 200
            if status in (200, 201, 204):
                result.acknowledged += 1
                if not present:
                    result.acknowledged_missing.append(graph)
            elif status == 503:
                result.refused_503 += 1
                if present:
                    result.refused_but_written.append(graph)
            else:
                result.other.append((graph, status, body[:200].decode("utf-8", "replace")))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of cheap queries, idle and loaded")
    parser.add_argument("--runaways", type=int, default=2, help="clients looping runaway queries")
    parser.add_argument("--timeout", type=float, default=3.0, help="HCKG_TIMEOUT of the server")
    parser.add_argument("--write-trials", type=int, default=20, help="trials of 8 concurrent writes (0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hckg-fair-") as folder:
        settings = replace(Settings(), store_path=Path(folder) / "store")
        build(settings)
        port = free_port()
        server = start_server(settings.store_path, port, args.timeout)
        try:
            load = os.getloadavg()[0]
            figures = fair_serving(port, args.seconds, args.runaways)
            print(f"load average at start: {load:.2f}")
            print(f"cheap ASK {{}} idle:   n={figures['idle_n']} p50={figures['idle_p50_ms']:.1f} ms "
                  f"p99={figures['idle_p99_ms']:.1f} ms")
            print(f"cheap ASK {{}} loaded: n={figures['loaded_n']} p50={figures['loaded_p50_ms']:.1f} ms "
                  f"p99={figures['loaded_p99_ms']:.1f} ms  ({args.runaways} runaway clients, HCKG_TIMEOUT="
                  f"{args.timeout:g})")
            print(f"loaded/idle p99: {figures['loaded_p99_ms'] / figures['idle_p99_ms']:.1f}x (goal <= 10x)")
            print(f"runaways: {figures['runaways']} answered, statuses {figures['runaway_statuses']}, slowest "
                  f"{figures['runaway_max_s']:.2f} s (goal <= {args.timeout + 1:g} s)")
            if args.write_trials:
                writes = concurrent_writes(port, args.write_trials)
                print(f"concurrent writes: {writes.trials} trials x 8 PUTs: {writes.acknowledged} acknowledged, "
                      f"{len(writes.acknowledged_missing)} acknowledged but missing, {writes.refused_503} refused "
                      f"with 503 ({len(writes.refused_but_written)} of them written anyway), "
                      f"{len(writes.other)} other answers {writes.other[:3]}; per trial "
                      f"median {statistics.median(writes.seconds):.1f} s, max {max(writes.seconds):.1f} s")
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
