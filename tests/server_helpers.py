"""A real uvicorn server on a free 127.0.0.1 port over the session's store, shared by the server tests.

The ``server`` and ``http`` fixtures (tests/conftest.py) start it once per session through ``start``,
which caches the process per store.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx
import pytest

from hckg.config import PROJECT_ROOT

TIMEOUT_S = 2.0
ROW_CAP = 1000
WRITE_TOKEN = "test-write-token"


@dataclass
class Server:
    url: str
    process: subprocess.Popen  # type: ignore[type-arg]


_running: dict[str, Server] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(store_path: str, extra_env: dict[str, str] | None = None, *, env: dict[str, str] | None = None) -> Server:
    """A server over ``store_path`` (one per store), with ``extra_env`` (or ``env``) added to its settings."""
    extra_env = {**(extra_env or {}), **(env or {})}
    if store_path in _running and _running[store_path].process.poll() is None:
        return _running[store_path]
    port = _free_port()
    env = {**os.environ, "HCKG_STORE": store_path, "HCKG_TIMEOUT": str(TIMEOUT_S), "HCKG_ROW_CAP": str(ROW_CAP),
           "HCKG_WORKERS": "2", "HCKG_WRITE_TOKEN": WRITE_TOKEN, "HCKG_ALLOW_SERVICE": "false", **extra_env}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--http", "h11"],  # as `hckg serve`: httptools refuses targets over 64 KiB
        cwd=PROJECT_ROOT, env=env,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} while starting")
        try:
            if httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                _running[store_path] = server
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(server)
    raise RuntimeError("the server did not answer within 60 s")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(5)
