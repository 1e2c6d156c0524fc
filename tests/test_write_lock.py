"""The write lock: concurrent writers queue behind one another and no acknowledged write is lost.

Issue 21: four concurrent token PUTs of distinct graphs, three times over, acknowledged 10 writes and
kept 3 (each writer copied the same store and the last swap won). The one write path now holds an
``fcntl.flock`` on ``<store>.lock`` from its first read of the store to the swap.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from hckg.gate.lock import WriteBusy, lock_path, write_lock
from hckg.gate.write import load_file
from hckg.store.oxigraph import open_store
from helpers import sorted_nquads


def turtle(folder: Path, n: int) -> Path:
    path = folder / f"thing-{n}.ttl"
    path.write_text(f'<https://example.org/synthetic/thing/{n}> a <http://xmlns.com/foaf/0.1/Document> ; '
                    f'<http://purl.org/dc/terms/description> "thing {n}" .\n',
                    encoding="utf-8")
    return path


def graph(n: int) -> str:
    return f"https://w3id.org/hckg/graph/loads/lock-test-{n}"


def test_concurrent_writes_of_distinct_graphs_from_threads_are_all_kept(private, tmp_path):
    acknowledged: list[str] = []
    failed: list[BaseException] = []

    def write(n: int) -> None:
        try:
            acknowledged.append(load_file(private, turtle(tmp_path, n), graph(n)).graph)
        except BaseException as err:  # noqa: BLE001 - reported below
            failed.append(err)

    for round_ in range(3):
        threads = [threading.Thread(target=write, args=(round_ * 4 + i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failed == []
    assert sorted(acknowledged) == sorted(graph(n) for n in range(12))
    present = {g.iri for g in open_store(private.store_path).graphs()}
    assert set(acknowledged) <= present


@pytest.mark.slow
def test_concurrent_hckg_load_processes_are_all_kept(private, tmp_path):
    env = {**os.environ, "HCKG_STORE": str(private.store_path)}
    procs = [subprocess.Popen([sys.executable, "-m", "hckg.cli", "load", str(turtle(tmp_path, n)), "--graph", graph(n)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in range(4)]
    codes = [p.wait(timeout=300) for p in procs]
    assert codes == [0, 0, 0, 0], [p.stderr.read() for p in procs]  # type: ignore[union-attr]
    present = {g.iri for g in open_store(private.store_path).graphs()}
    assert {graph(n) for n in range(4)} <= present


def test_a_writer_that_waits_past_the_limit_gets_write_busy_and_writes_nothing(private, tmp_path):
    impatient = replace(private, write_wait_s=0.2)
    before = sorted_nquads(private.store_path)
    caught: list[BaseException] = []
    with write_lock(private):  # another writer holds the store (from another thread, as the server would)
        worker = threading.Thread(target=lambda: _catch(caught, load_file, impatient, turtle(tmp_path, 1), graph(1)))
        worker.start()
        worker.join()
    assert [type(e) for e in caught] == [WriteBusy]
    assert caught[0].http_status == 503  # type: ignore[attr-defined]
    assert str(lock_path(private)) in str(caught[0])
    assert sorted_nquads(private.store_path) == before


def test_the_lock_file_sits_next_to_the_store(private):
    assert lock_path(private) == private.store_path.with_name("store.lock")


def _catch(caught: list[BaseException], func, *args) -> None:  # type: ignore[no-untyped-def]
    try:
        func(*args)
    except BaseException as err:  # noqa: BLE001
        caught.append(err)
