"""Answers of the embedded store kept per build, so a query asked again skips the worker pipe.

A build directory is never written once it is swapped in (``hckg build``, ``hckg load`` and the
server's writes all work on a copy and swap a new directory in), so the serialised answer to the same
text, formats and dataset from the same directory is the same bytes: the worker would compute them
again. Keyed on the query pool's ``Job``, which names the directory the link points at when the request
arrives; a write swaps in a new directory and so a new key. Not kept: errors and timeouts (never
cached), texts that call functions giving a new value each time (NOW, RAND, UUID, STRUUID, BNODE) or
that may reach other data (SERVICE), and answers larger than a sixteenth of the budget.

At 10k triples the headline saved query costs ~3 ms of the worker's CPU per request and the
server's own work ~1 ms (docs/benchmarks-issue16.md): a repeated query costs the second part only.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from .workers import Job, Outcome, QueryPool

NOT_REPEATABLE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(|\bSERVICE\b", re.I)
"""Functions whose value changes from one run to the next, and federation; found anywhere in the text
(a string that merely holds the word only costs the cache, never a wrong answer)."""


def repeatable(sparql: str) -> bool:
    """True when running ``sparql`` twice on the same data gives the same answer.

    >>> repeatable("SELECT ?s { ?s ?p ?o } LIMIT 1"), repeatable("SELECT (NOW() AS ?t) {}")
    (True, False)
    >>> repeatable("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    False
    """
    return NOT_REPEATABLE.search(sparql) is None


class CachedAnswers:
    """``QueryPool.run`` with the answers of the current build kept, least recently used first out."""

    def __init__(self, pool: QueryPool, max_bytes: int) -> None:
        self.pool = pool
        self.max_bytes = max_bytes
        self._answers: OrderedDict[Job, Outcome] = OrderedDict()
        self._bytes = 0
        self._build = ""
        self._lock = threading.Lock()
        self.hits = 0
        """Answers given from the cache, since start (for tests and logs)."""

    def __getattr__(self, name: str) -> object:
        return getattr(self.pool, name)  # size, start, close, killed ...: the pool's own

    def run(self, sparql: str, results_format: str | None = "json", graph_format: str | None = "ttl",
            default_graphs: tuple[str, ...] | None = None, named_graphs: tuple[str, ...] | None = None) -> Outcome:
        """``QueryPool.run``; the same job on the same build again is answered from memory."""
        if not repeatable(sparql):
            return self.pool.run(sparql, results_format, graph_format, default_graphs, named_graphs)
        job = Job(sparql, str(self.pool.store_path.resolve()), results_format, graph_format, self.pool.row_cap,
                  default_graphs, named_graphs)
        with self._lock:
            kept = self._answers.get(job)
            if kept is not None:
                self._answers.move_to_end(job)
                self.hits += 1
                return kept
        outcome = self.pool.run(sparql, results_format, graph_format, default_graphs, named_graphs)
        self._keep(job, outcome)
        return outcome

    def _keep(self, job: Job, outcome: Outcome) -> None:
        size = len(outcome.body) + len(job.sparql)
        if size > self.max_bytes // 16:
            return
        with self._lock:
            if job in self._answers:
                return
            if job.store_path != self._build:  # answers of an older build are never asked for again
                self._answers.clear()
                self._bytes, self._build = 0, job.store_path
            self._answers[job] = outcome
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._forget(next(iter(self._answers)))

    def _forget(self, job: Job) -> None:
        outcome = self._answers.pop(job)
        self._bytes -= len(outcome.body) + len(job.sparql)
