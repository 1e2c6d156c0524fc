"""Real remote engines for the tests: Oxigraph's own server (started here), Virtuoso (started by make).

``oxigraph serve`` comes from the ``oxigraph`` package of the dev extras; each call of ``start_oxigraph``
runs one server on a free 127.0.0.1 port over its own folder, waits until it answers, and
``stop`` ends it. Virtuoso takes a minute to start, so ``make test-virtuoso`` starts it with
``scripts/virtuoso.sh`` and passes its address in ``HCKG_TEST_VIRTUOSO`` (HTTP port); without that
variable no Virtuoso case is generated.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from hckg.config import Settings

VIRTUOSO_PORT = os.environ.get("HCKG_TEST_VIRTUOSO", "")


@dataclass
class Engine:
    """A running engine and the settings that point HCKG at it."""

    name: str
    settings: Settings
    process: subprocess.Popen | None = None  # type: ignore[type-arg]

    def env(self) -> dict[str, str]:
        """The ``HCKG_*`` variables of these settings, for the CLI."""
        s = self.settings
        return {"HCKG_ENDPOINT": s.endpoint, "HCKG_UPDATE_ENDPOINT": s.update_endpoint,
                "HCKG_GSP_ENDPOINT": s.gsp_endpoint, "HCKG_ENDPOINT_USER": s.endpoint_user,
                "HCKG_ENDPOINT_PASSWORD": s.endpoint_password, "HCKG_ENDPOINT_AUTH": s.endpoint_auth,
                "HCKG_STORE": str(s.store_path)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("no `oxigraph` command: install the dev extras (pip install -e '.[dev]')")
    return found


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start_oxigraph(folder: Path, base: Settings) -> Engine:
    """``oxigraph serve`` over ``folder`` on a free port, union default graph on; waits until it answers."""
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not _answers(root + "/query"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"oxigraph serve did not answer on {root} (exit code {process.poll()})")
        time.sleep(0.05)
    settings = replace(base, endpoint=root + "/query", update_endpoint=root + "/update", gsp_endpoint=root + "/store")
    return Engine("oxigraph-server", settings, process)


def virtuoso(base: Settings) -> Engine:
    """The Virtuoso instance ``make test-virtuoso`` started on port ``HCKG_TEST_VIRTUOSO`` (user dba, digest)."""
    root = f"http://127.0.0.1:{VIRTUOSO_PORT}"
    settings = replace(base, endpoint=root + "/sparql", update_endpoint=root + "/sparql-auth",
                       gsp_endpoint=root + "/sparql-graph-crud-auth", endpoint_user="dba", endpoint_password="dba",
                       endpoint_auth="digest")
    return Engine("virtuoso", settings)


def stop(engine: Engine) -> None:
    if engine.process is None:
        return
    engine.process.terminate()
    try:
        engine.process.wait(10)
    except subprocess.TimeoutExpired:
        engine.process.kill()
        engine.process.wait(5)
