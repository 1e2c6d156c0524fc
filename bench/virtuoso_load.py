"""Virtuoso's bulk load of the benchmark's synthetic file, when the project has scripts/virtuoso.sh.

The script (``scripts/virtuoso.sh start DIR HTTP_PORT ISQL_PORT`` / ``stop DIR``) starts a private instance
bound to 127.0.0.1 with ``DIR`` in its ``DirsAllowed`` and user dba/dba; this module copies the file into
``DIR``, times ``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint`` through ``isql-vt`` (Virtuoso's documented
bulk loader), checks the triple count over SPARQL and stops the instance whatever happens. The start-up
(about 3 minutes on a machine without the package, which the script installs) is not timed.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

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


def measure(root: Path, nt_file: Path, workdir: Path, graph: str, script: Path | None = None) -> dict[str, Any]:
    """Seconds of Virtuoso's bulk load of ``nt_file`` into ``graph``; ``note`` says why there is none."""
    script = script or root / "scripts" / "virtuoso.sh"
    if not script.exists():
        return {"note": "Virtuoso: not available (no scripts/virtuoso.sh)"}
    isql = shutil.which("isql-vt")
    workdir.mkdir(parents=True, exist_ok=True)
    http_port, isql_port = free_port(), free_port()
    started = subprocess.run(["bash", str(script), "start", str(workdir), str(http_port), str(isql_port)],
                             capture_output=True, text=True, timeout=900)
    try:
        if started.returncode != 0:
            return {"note": f"Virtuoso: not available (start failed: {started.stderr.strip()[-300:]})"}
        isql = isql or shutil.which("isql-vt")
        if not isql:
            return {"note": "Virtuoso: not available (isql-vt missing)"}
        data_dir = workdir / "load"
        data_dir.mkdir(exist_ok=True)
        shutil.copy(nt_file, data_dir / nt_file.name)
        sql = (f"ld_dir('{data_dir}', '{nt_file.name}', '{graph}'); rdf_loader_run(); checkpoint; "
               "select ll_state, ll_error from DB.DBA.load_list;")
        start = time.perf_counter()
        loaded = subprocess.run([isql, f"{HOST}:{isql_port}", "dba", "dba", f"exec={sql}"],
                                capture_output=True, text=True, timeout=7200)
        seconds = time.perf_counter() - start
        if loaded.returncode != 0 or "Error" in loaded.stdout + loaded.stderr:
            return {"note": f"Virtuoso: load failed: {(loaded.stdout + loaded.stderr).strip()[-300:]}"}
        triples = _count(http_port, graph)
        disk = sum(f.stat().st_size for f in workdir.glob("virtuoso*.db")) / 1e6
        return {"seconds": seconds, "triples": triples, "disk_mb": disk, "peak_mb": _peak_mb(workdir / "virtuoso.pid"),
                "note": f"ld_dir + rdf_loader_run + checkpoint via isql-vt; {triples:,} triples counted over SPARQL"}
    finally:
        subprocess.run(["bash", str(script), "stop", str(workdir)], capture_output=True, timeout=120)
