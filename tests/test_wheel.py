"""`pip install` of the wheel works from any directory: build, the headline query and the server.

The wheel is built from the checkout, installed into a fresh venv (``--no-deps``: its dependencies come
from the project's venv through a .pth file, so the test stays offline and fast), and every command runs
in a temporary directory outside the checkout, so nothing can be read from the repository by accident.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest

from hckg.config import PROJECT_ROOT
from register import provinces_lacking

pytestmark = pytest.mark.slow


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(bin folder of a fresh venv holding only the wheel, a working directory outside the checkout, env)."""
    root = tmp_path_factory.mktemp("wheel")
    built = run([sys.executable, "-m", "pip", "wheel", str(PROJECT_ROOT), "--no-deps", "-q", "-w", str(root / "dist")],
                root, dict(os.environ))
    assert built.returncode == 0, built.stderr[-3000:]
    [wheel] = list((root / "dist").glob("hckg-*.whl"))
    venv = root / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)], root, dict(os.environ))
    assert made.returncode == 0, made.stderr
    bin_dir = venv / "bin"
    added = run([str(bin_dir / "python"), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
                root, dict(os.environ))
    assert added.returncode == 0, added.stderr[-3000:]
    site = run([str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], root,
               dict(os.environ)).stdout.strip()
    # The dependencies, from the project's venv (its own .pth files, such as the editable hckg, are not read).
    (Path(site) / "hckg-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = root / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HCKG_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["HCKG_STORE"] = str(work / "store")
    return bin_dir, work, env


def test_the_installed_package_is_the_wheel_not_the_checkout(installed) -> None:  # type: ignore[no-untyped-def]
    bin_dir, work, env = installed
    where = run([str(bin_dir / "python"), "-c", "import hckg, hckg.pubs, hckg_web; from hckg.config import Settings; "
                 "s = Settings(); print(hckg.__file__); print(s.queries_dir); print(s.ontology_dir)"], work, env)
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert str(PROJECT_ROOT) not in line and "site-packages" in line, line


def test_build_the_headline_and_serve_run_outside_the_checkout(installed) -> None:  # type: ignore[no-untyped-def]
    bin_dir, work, env = installed
    built = run([str(bin_dir / "hckg"), "build"], work, env)
    assert built.returncode == 0, built.stderr[-3000:]
    assert "built" in built.stderr and (work / "store").exists()

    headline = run([str(bin_dir / "hckg"), "query", "regions-lacking-community", "--param", "challenge=Gezondheid & Zorg",
                    "--param", "type=CoE", "--format", "csv"], work, env)
    assert headline.returncode == 0, headline.stderr
    rows = [line.split(",")[-1] for line in headline.stdout.splitlines()[1:]]
    assert rows == provinces_lacking("Gezondheid & Zorg", ["CoE"])

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(bin_dir / "hckg"), "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=work,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        answer = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(url + "/sparql", params={"query": "ASK { ?s a <https://w3id.org/hckg/def#Province> }"},
                                   headers={"Accept": "application/sparql-results+json"}, timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 200 and answer.json()["boolean"] is True
        home = httpx.get(url + "/", timeout=30)
        assert home.status_code == 200 and "<html" in home.text.lower()
        assert httpx.get(url + "/openapi.json", timeout=30).status_code == 200
    finally:
        server.terminate()
        server.wait(15)
