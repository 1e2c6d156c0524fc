"""The killable query pool: answers in every format, row cap, and a time limit that really stops queries."""

from __future__ import annotations

import csv
import io
import json
import threading
import time

import pyoxigraph as ox
import pytest

from hckg.errors import BadQuery
from hckg_web.runtime.workers import Job, NotAcceptable, QueryPool, QueryTimeout, execute

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def pool(settings, store):
    pool = QueryPool(settings.store_path, size=2, timeout_s=1.5, row_cap=5)
    pool.start()
    yield pool
    pool.close()


@pytest.fixture
def small() -> ox.Store:
    s = ox.Store()
    for i in range(12):
        s.add(ox.Quad(ox.NamedNode(f"http://ex.org/s{i:02}"), ox.NamedNode("http://ex.org/p"),
                      ox.Literal(f"v{i}", language="nl"), ox.NamedNode("http://ex.org/g")))
    return s


def job(sparql: str, **kw) -> Job:
    return Job(sparql, "unused", **kw)


def test_a_select_over_the_cap_returns_the_first_rows_and_says_it_was_truncated(small):
    outcome = execute(small, job("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s", row_cap=10))
    document = json.loads(outcome.body)
    assert (outcome.count, outcome.truncated, document["truncated"]) == (10, True, True)
    assert document["results"]["bindings"][0] == {"s": {"type": "uri", "value": "http://ex.org/s00"},
                                                 "o": {"type": "literal", "value": "v0", "xml:lang": "nl"}}


@pytest.mark.parametrize(("fmt", "media"), [("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                                            ("xml", "application/sparql-results+xml")])
def test_capped_rows_are_written_by_pyoxigraph_in_every_results_format(small, fmt, media):
    outcome = execute(small, job("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", results_format=fmt, row_cap=3))
    assert outcome.media_type == media and outcome.truncated
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(outcome.body.decode()))) == [["s"], ["http://ex.org/s00"],
                                                                         ["http://ex.org/s01"], ["http://ex.org/s02"]]
    if fmt == "xml":
        assert b'<link href="urn:hckg:truncated:3"/>' in outcome.body


def test_an_answer_under_the_cap_is_not_flagged(small):
    outcome = execute(small, job("SELECT ?s WHERE { ?s ?p ?o }", row_cap=12))
    assert (outcome.count, outcome.truncated, "truncated" in json.loads(outcome.body)) == (12, False, False)


def test_a_construct_is_capped_in_triples_and_says_so_in_a_turtle_comment(small):
    outcome = execute(small, job("CONSTRUCT WHERE { ?s ?p ?o }", graph_format="nt", row_cap=4))
    lines = outcome.body.decode().splitlines()
    assert lines[0].startswith("# truncated") and len(lines) == 5 and outcome.kind == "graph"


def test_the_dataset_can_be_narrowed_to_named_graphs(small):
    nothing = execute(small, job("SELECT * WHERE { ?s ?p ?o }", default_graphs=(), named_graphs=()))
    graph = execute(small, job("SELECT * WHERE { ?s ?p ?o }", default_graphs=("http://ex.org/g",), named_graphs=()))
    assert (nothing.count, graph.count) == (0, 12)


def test_a_graph_answer_for_a_client_that_accepts_no_rdf_is_not_acceptable(small):
    with pytest.raises(NotAcceptable):
        execute(small, job("CONSTRUCT WHERE { ?s ?p ?o }", graph_format=None))


def test_ask_answers_in_csv_with_one_boolean_cell(small):
    outcome = execute(small, job("ASK { ?s ?p ?o }", results_format="csv"))
    assert outcome.body == b"_askResult\r\ntrue\r\n"


def test_the_pool_answers_from_the_real_store_and_reports_syntax_errors(pool):
    outcome = pool.run("SELECT ?p WHERE { <https://w3id.org/hckg/id/province/PV26> ?p ?o } ORDER BY ?p", "csv")
    assert outcome.truncated and outcome.count == 5
    with pytest.raises(BadQuery) as err:
        pool.run("SELEC nothing")
    assert str(err.value).startswith("SPARQL error: ") and "SPARQL error: SPARQL error" not in str(err.value)


@pytest.mark.slow
def test_a_runaway_query_is_killed_at_the_limit_while_another_client_is_served(pool):
    failures: list[tuple[BaseException, float]] = []

    def runaway() -> None:
        started = time.perf_counter()
        try:
            pool.run(RUNAWAY)
        except QueryTimeout as error:
            failures.append((error, time.perf_counter() - started))

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    quick = pool.run("ASK { ?s a <https://w3id.org/hckg/def#Province> }")
    thread.join()
    assert json.loads(quick.body)["boolean"] is True
    assert len(failures) == 1 and 1.5 <= failures[0][1] < 2.5
    assert "time limit of 1.5 s" in str(failures[0][0])
    # The killed worker is replaced: the pool answers again with both workers.
    deadline = time.time() + 10
    while pool.free() < 2 and time.time() < deadline:
        time.sleep(0.1)
    assert pool.free() == 2 and pool.killed >= 1


@pytest.mark.slow
def test_a_worker_inside_a_runaway_query_dies_with_its_parent(settings, store, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, threading, time\n"
        "from pathlib import Path\n"
        "from hckg_web.runtime.workers import QueryPool\n"
        f"pool = QueryPool(Path({str(settings.store_path)!r}), size=1, timeout_s=600)\n"
        "pool.start()\n"
        "print(pool.pids()[0], flush=True)\n"
        f"pool.run({RUNAWAY!r})\n"
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    time.sleep(0.5)  # the worker is now inside the runaway query
    parent.send_signal(signal.SIGKILL)
    parent.wait(5)
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the worker outlived its killed parent")


# -- fair serving (issue 17): deadline from arrival, express and spare workers -------------------------

CHEAP = "ASK { ?s a <https://w3id.org/hckg/def#Province> }"


@pytest.fixture
def fair_pool(settings, store):
    pool = QueryPool(settings.store_path, size=1, timeout_s=2.0, row_cap=5, express=1, express_limit_s=0.5, spare=1)
    pool.start()
    yield pool
    pool.close()


def _runaway_in_background(pool: QueryPool, seconds: list[float]) -> threading.Thread:
    def run() -> None:
        started = time.perf_counter()
        try:
            pool.run(RUNAWAY)
        except QueryTimeout:
            seconds.append(time.perf_counter() - started)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.slow
def test_a_short_query_is_answered_by_the_express_worker_while_a_runaway_holds_the_regular_one(fair_pool):
    seconds: list[float] = []
    thread = _runaway_in_background(fair_pool, seconds)
    time.sleep(0.3)
    started = time.perf_counter()
    quick = fair_pool.run(CHEAP)
    took = time.perf_counter() - started
    thread.join()
    assert json.loads(quick.body)["boolean"] is True and took < 1.0
    assert fair_pool.express_answers == 1
    assert len(seconds) == 1 and seconds[0] < 2.0 + 1.0


@pytest.mark.slow
def test_the_time_limit_counts_from_arrival_and_a_known_runaway_never_takes_the_express_worker(fair_pool):
    first: list[float] = []
    thread = _runaway_in_background(fair_pool, first)
    time.sleep(0.3)
    second: list[float] = []
    # The same text again while the regular worker is busy: unknown yet, so it tries the express worker,
    # is stopped there after 0.5 s, and waits for the regular one; its limit still counts from its arrival.
    follower = _runaway_in_background(fair_pool, second)
    thread.join()
    follower.join()
    assert len(first) == 1 and len(second) == 1
    assert second[0] < 2.0 + 1.0, f"answered after {second[0]:.1f} s, past the limit counted from arrival"
    express = fair_pool.pids("express")
    # Now it is known: with the regular worker busy it waits for it instead of taking the express worker.
    third: list[float] = []
    blocker = _runaway_in_background(fair_pool, third)
    time.sleep(0.3)
    fourth: list[float] = []
    known = _runaway_in_background(fair_pool, fourth)
    time.sleep(0.6)
    quick = fair_pool.run(CHEAP)  # the express worker is still there for short queries
    blocker.join()
    known.join()
    assert json.loads(quick.body)["boolean"] is True
    assert fair_pool.pids("express") == express, "the express worker was not killed for a known runaway"
    assert len(fourth) == 1 and fourth[0] < 2.0 + 1.0
