"""The server keeps answers per store build: asked again, the same query skips the worker; a new build,
a query with NOW() or RAND(), an error and an answer too large for the budget are never served from it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from hckg.errors import BadQuery
from hckg_web.runtime.answers import CachedAnswers, repeatable
from hckg_web.runtime.backend import query_pool_for
from hckg_web.runtime.workers import Outcome, QueryPool


class CountingPool:
    """Stands in for QueryPool: counts the queries that reach it and answers with the build's name."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.row_cap = 100
        self.asked: list[str] = []
        self.size = 2

    def run(self, sparql, results_format="json", graph_format="ttl", default_graphs=None, named_graphs=None):
        self.asked.append(sparql)
        if "broken" in sparql:
            raise BadQuery("broken on purpose")
        body = f"{self.store_path.resolve().name} {sparql} {results_format} {default_graphs}".encode()
        return Outcome("solutions", results_format, "application/sparql-results+json", body, 1)


@pytest.fixture
def link(tmp_path: Path) -> Path:
    for name in ("build-1", "build-2"):
        (tmp_path / name).mkdir()
    store = tmp_path / "store"
    store.symlink_to("build-1")
    return store


def test_the_same_query_on_the_same_build_reaches_the_worker_once(link):
    pool = CountingPool(link)
    cached = CachedAnswers(pool, 1 << 20)
    first = cached.run("SELECT * { ?s ?p ?o }")
    again = cached.run("SELECT * { ?s ?p ?o }")
    assert again is first and pool.asked == ["SELECT * { ?s ?p ?o }"] and cached.hits == 1


def test_format_and_dataset_are_part_of_the_question(link):
    pool = CountingPool(link)
    cached = CachedAnswers(pool, 1 << 20)
    answers = {cached.run("ASK {}", "json").body, cached.run("ASK {}", "xml").body,
               cached.run("ASK {}", "json", default_graphs=("urn:g",)).body}
    assert len(answers) == 3 and len(pool.asked) == 3 and cached.hits == 0


def test_a_new_build_is_asked_again_and_the_old_answers_are_dropped(link):
    pool = CountingPool(link)
    cached = CachedAnswers(pool, 1 << 20)
    assert cached.run("ASK {}").body.startswith(b"build-1")
    link.unlink()
    link.symlink_to("build-2")  # what swap_in does after a build or a write
    assert cached.run("ASK {}").body.startswith(b"build-2")
    assert len(pool.asked) == 2 and len(cached._answers) == 1


@pytest.mark.parametrize("text", ["SELECT (NOW() AS ?t) {}", "SELECT (rand () AS ?r) {}", "SELECT (STRUUID() AS ?u) {}",
                                  "CONSTRUCT { [] ?p ?o } WHERE { BIND(BNODE() AS ?b) ?s ?p ?o }",
                                  "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"])
def test_a_query_that_may_answer_differently_each_time_always_runs(link, text):
    assert not repeatable(text)
    pool = CountingPool(link)
    cached = CachedAnswers(pool, 1 << 20)
    cached.run(text)
    cached.run(text)
    assert len(pool.asked) == 2 and cached.hits == 0


def test_errors_are_not_kept(link):
    pool = CountingPool(link)
    cached = CachedAnswers(pool, 1 << 20)
    for _ in range(2):
        with pytest.raises(BadQuery):
            cached.run("SELECT broken")
    assert len(pool.asked) == 2


def test_the_budget_holds_the_most_recently_used_answers(link):
    pool = CountingPool(link)
    budget = 16 * 120  # an answer may take a sixteenth: each of these takes ~90 bytes
    cached = CachedAnswers(pool, budget)
    texts = [f"SELECT * {{ ?s ?p {i} }}" for i in range(40)]
    for text in texts:
        cached.run(text)
    assert cached._bytes <= budget and 0 < len(cached._answers) < len(texts)
    cached.run(texts[-1])  # the newest is still kept
    cached.run(texts[0])  # the oldest was dropped
    assert pool.asked.count(texts[-1]) == 1 and pool.asked.count(texts[0]) == 2
    cached.run("SELECT * { ?s ?p ?o } " + "#" * budget)  # larger than a sixteenth of the budget: never kept
    assert ("SELECT * { ?s ?p ?o } " + "#" * budget) not in {k.sparql for k in cached._answers}


def test_the_server_keeps_answers_unless_switched_off(settings):
    assert isinstance(query_pool_for(settings), CachedAnswers)
    assert isinstance(query_pool_for(replace(settings, answer_cache_mb=0)), QueryPool)


def test_through_the_server_a_repeated_query_answers_alike_and_now_keeps_moving(http):
    ask = {"Accept": "application/sparql-results+json"}
    provinces = "SELECT ?p { ?p a <https://w3id.org/hckg/def#Province> } ORDER BY ?p"
    first, again = (http.get("/sparql", params={"query": provinces}, headers=ask) for _ in range(2))
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert len(first.json()["results"]["bindings"]) == 12
    assert again.headers["x-hckg-data-version"] == first.headers["x-hckg-data-version"]
    now = "SELECT (STR(NOW()) AS ?t) {}"
    times = [http.get("/sparql", params={"query": now}, headers=ask).json()["results"]["bindings"][0]["t"]["value"]
             for _ in range(2)]
    assert times[0] != times[1]
