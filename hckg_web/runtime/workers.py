"""A pool of worker processes that run SPARQL on the embedded store, each one killable.

pyoxigraph cannot interrupt a running query from Python (MEASURED.md), so a time limit needs a
process that can be killed. Each query runs in one of ``size`` worker processes; a worker that
overruns the limit is killed, the caller gets ``QueryTimeout`` at once, and a replacement starts
in the background, so the other workers keep serving other clients meanwhile.

Workers open the store read-only by its resolved path and reopen it when the path changes
(``hckg build`` and ``hckg load`` swap a new directory in). The answer is serialised inside the
worker, capped at ``row_cap`` rows or triples, so only bytes cross the pipe.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from hckg.errors import BadQuery, HckgError
from hckg.formats import RDF_FORMATS, RESULT_FORMATS
from hckg.iris import PREFIXES

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 60.0
"""How long a fresh worker may take to start (import pyoxigraph) before it is given up."""


class QueryTimeout(HckgError):
    """A query that ran past the time limit (its worker was killed), or found no free worker in time."""

    http_status = 503


class NotAcceptable(HckgError):
    """The client accepts no format that fits the query's kind of answer."""

    http_status = 406


class WorkerFailed(HckgError):
    """A worker process died while running a query (out of memory, crash); it has been replaced: try again."""

    http_status = 503


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text, the dataset, the formats to answer in, and the cap."""

    sparql: str
    store_path: str
    results_format: str | None = "json"
    """Format for SELECT/ASK answers (a RESULT_FORMATS name); None: the client accepts none."""
    graph_format: str | None = "ttl"
    """Format for CONSTRUCT/DESCRIBE answers (an RDF_FORMATS name); None: the client accepts none."""
    row_cap: int = 10_000
    default_graphs: tuple[str, ...] | None = None
    """Graphs merged into the default graph; None: the union of all named graphs."""
    named_graphs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Outcome:
    """A serialised answer: what kind it is, its bytes and media type, and whether it was capped."""

    kind: str
    """``solutions``, ``boolean`` or ``graph``."""
    format: str
    media_type: str
    body: bytes
    count: int
    truncated: bool = False
    seconds: float = field(default=0.0, compare=False)


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                             "predicate": _json_term(term.predicate),
                                             "object": _json_term(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def _solutions(answer: ox.QuerySolutions, fmt: str, cap: int) -> Outcome:
    variables = [v.value for v in answer.variables]
    rows = list(islice(answer, cap + 1))
    truncated = len(rows) > cap
    rows = rows[:cap]
    document: dict[str, Any] = {
        "head": {"vars": variables},
        "results": {"bindings": [{v: _json_term(row[v]) for v in variables if row[v] is not None} for row in rows]},
    }
    chosen = RESULT_FORMATS[fmt]
    if fmt == "json":
        if truncated:
            # An extra member SPARQL JSON readers ignore; the X-HCKG-Truncated header says the same.
            document["truncated"] = True
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    else:
        # Re-read the capped rows so pyoxigraph writes every other format, not hand-written code.
        capped = ox.parse_query_results(json.dumps(document).encode("utf-8"), format=ox.QueryResultsFormat.JSON)
        buffer = io.BytesIO()
        capped.serialize(buffer, chosen.results)  # type: ignore[union-attr,arg-type]
        body = buffer.getvalue()
        if truncated and fmt == "xml":
            link = f'<link href="urn:hckg:truncated:{cap}"/>'.encode()
            body = body.replace(b"</head>", link + b"</head>", 1) if b"</head>" in body else body.replace(
                b"<head/>", b"<head>" + link + b"</head>", 1)
    return Outcome("solutions", fmt, chosen.media_type, body, len(rows), truncated)


def _graph(answer: ox.QueryTriples, fmt: str, cap: int) -> Outcome:
    triples = list(islice(answer, cap + 1))
    truncated = len(triples) > cap
    triples = triples[:cap]
    chosen = RDF_FORMATS[fmt]
    assert chosen.rdf is not None
    items: list[Any] = triples
    if chosen.rdf.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    body = ox.serialize(items, format=chosen.rdf, prefixes=PREFIXES if fmt in ("ttl", "trig") else None)
    assert body is not None
    if truncated and fmt in ("ttl", "nt", "trig", "nq"):
        body = f"# truncated: only the first {cap} triples of a longer answer\n".encode() + body
    return Outcome("graph", fmt, chosen.media_type, body, len(triples), truncated)


def execute(store: ox.Store, job: Job) -> Outcome:
    """Run ``job`` on ``store`` and serialise the answer; raises BadQuery, NotAcceptable."""
    started = time.perf_counter()
    options: dict[str, Any] = {}
    if job.default_graphs is None and job.named_graphs is None:
        options["use_default_graph_as_union"] = True
    else:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    try:
        answer = store.query(job.sparql, **options)
    except SyntaxError as err:
        raise BadQuery(str(err)) from err
    if isinstance(answer, ox.QueryTriples):
        if job.graph_format is None:
            raise NotAcceptable("the query returns a graph, and the request accepts none of: "
                                + ", ".join(f.media_type for f in RDF_FORMATS.values()))
        outcome = _graph(answer, job.graph_format, job.row_cap)
    elif job.results_format is None:
        raise NotAcceptable("the query returns SPARQL results, and the request accepts none of: "
                            + ", ".join(f.media_type for f in RESULT_FORMATS.values()))
    elif isinstance(answer, ox.QueryBoolean):
        chosen = RESULT_FORMATS[job.results_format]
        if chosen.name == "csv" or chosen.name == "tsv":
            body = (b"_askResult\r\n" if chosen.name == "csv" else b"?_askResult\n") + (
                b"true" if bool(answer) else b"false") + (b"\r\n" if chosen.name == "csv" else b"\n")
        else:
            buffer = io.BytesIO()
            answer.serialize(buffer, chosen.results)  # type: ignore[arg-type]
            body = buffer.getvalue()
        outcome = Outcome("boolean", chosen.name, chosen.media_type, body, 1)
    else:
        outcome = _solutions(answer, job.results_format, job.row_cap)
    return Outcome(outcome.kind, outcome.format, outcome.media_type, outcome.body, outcome.count,
                   outcome.truncated, time.perf_counter() - started)


def worker_main(fd: int) -> None:
    """Loop of one worker process: answer jobs until told to stop (None) or the socket closes."""
    _die_with_parent()
    try:
        _serve(Connection(fd))
    except (BrokenPipeError, ConnectionResetError, EOFError, KeyboardInterrupt):
        pass  # the pool closed or its process ended: nothing left to answer


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the server dies, even by SIGKILL.

    A worker waiting for a job exits on its own when the socket closes, but one inside a runaway
    query never looks at the socket again.
    """
    if sys.platform != "linux":
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except OSError:
        log.debug("prctl(PR_SET_PDEATHSIG) is not available")


def _serve(conn: Connection) -> None:
    store: ox.Store | None = None
    opened = ""
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            if store is None or opened != job.store_path:
                store = ox.Store.read_only(job.store_path)
                opened = job.store_path
            conn.send(("ok", execute(store, job)))
        except HckgError as err:
            conn.send(("error", (type(err).__name__, str(err))))
        except (OSError, ValueError, TypeError, RuntimeError) as err:
            conn.send(("error", ("BadQuery", f"SPARQL error: {type(err).__name__}: {err}")))


def _recv_or_none(conn: Connection) -> Any:
    try:
        return conn.recv()
    except (EOFError, OSError):
        return None


_ERRORS: dict[str, type[HckgError]] = {cls.__name__: cls for cls in (BadQuery, NotAcceptable, HckgError)}


def _rebuild(name: str, message: str) -> HckgError:
    """The worker's error as the same class in this process, with the message it already formatted."""
    cls = _ERRORS.get(name, HckgError)
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    return error


class _Worker:
    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.demoted = False

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()

    def set_niceness(self, demoted: bool) -> None:
        """Lower (or restore) the CPU priority of a worker on a long query, so short queries on the
        other workers get the cores first; restoring needs privileges, and without them the worker stays low."""
        if demoted == self.demoted:
            return
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, LONG_QUERY_NICENESS if demoted else 0)
            self.demoted = demoted
        except OSError:
            pass


LONG_QUERY_NICENESS = 10
REGULAR, EXPRESS = "regular", "express"
MIN_RUN_S = 0.02
"""A query whose turn comes with less time left than this is not sent (its worker would be killed for nothing)."""
SLOW_MEMORY = 1024
"""How many texts of queries that overran a limit are remembered, so they never take an express worker again."""


class QueryPool:
    """Killable worker processes answering SPARQL over the store at ``store_path``, served fairly.

    Fair serving (issue 17): a query's time limit counts from its arrival, queueing included, so a
    client waiting behind runaways is answered 503 within ``timeout_s`` instead of waiting and then
    running for another ``timeout_s``. ``express`` workers take a query only when every regular worker
    is busy, and give it ``express_limit_s``: a short query is answered at once even while runaways hold
    every regular worker; a longer one is stopped there and goes back to wait for a regular worker.
    ``spare`` started processes stand by, so a killed worker is replaced at once instead of after
    Python and pyoxigraph import; a query running past ``express_limit_s`` has its worker's CPU
    priority lowered. A query text that once overran a limit is remembered and never again given an
    express worker: a client looping a runaway would otherwise have the express worker killed each time.
    """

    def __init__(self, store_path: Path, size: int = 2, timeout_s: float = 10.0, row_cap: int = 10_000,
                 express: int = 0, express_limit_s: float = 0.5, spare: int = 0) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self.store_path = store_path
        self.size = size
        self.timeout_s = timeout_s
        self.row_cap = row_cap
        self.express = max(0, express)
        self.express_limit_s = express_limit_s
        self.spare = max(0, spare)
        self._wanted = {REGULAR: size, EXPRESS: self.express}
        self._members: dict[str, set[_Worker]] = {REGULAR: set(), EXPRESS: set()}
        self._free: dict[str, list[_Worker]] = {REGULAR: [], EXPRESS: []}
        self._spares: list[_Worker] = []
        self._requests: queue.Queue[threading.Event | None] = queue.Queue()
        self._cond = threading.Condition()
        self._closed = False
        self._slow: OrderedDict[str, None] = OrderedDict()
        self.killed = 0
        """Workers killed for running too long, since start (for tests and logs)."""
        self.express_answers = 0
        """Queries answered by an express worker, since start (for tests and logs)."""

    def start(self) -> None:
        """Start every worker and wait until the regular and express ones are ready (spares follow)."""
        # One long-lived thread starts every worker: Linux sends PR_SET_PDEATHSIG when the thread
        # that started a process ends, so a short-lived spawning thread would take its worker along.
        threading.Thread(target=self._spawner, daemon=True, name="hckg-worker-spawner").start()
        done = [threading.Event() for _ in range(self.size + self.express)]
        for event in done:
            self._requests.put(event)
        for _ in range(self.spare):  # spares start behind the serving workers; nobody waits for them
            self._requests.put(threading.Event())
        for event in done:
            event.wait(READY_TIMEOUT_S + 5)

    def _spawner(self) -> None:
        while True:
            event = self._requests.get()
            if event is None:
                return
            try:
                self._spawn()
            finally:
                event.set()

    def _spawn(self) -> None:
        # A plain subprocess rather than multiprocessing's spawn, which re-imports the parent's
        # __main__ (a test runner, a script) in every worker.
        mine, theirs = socket.socketpair()
        process = subprocess.Popen(
            [sys.executable, "-c", f"from hckg_web.runtime.workers import worker_main; worker_main({theirs.fileno()})"],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
        )
        theirs.close()
        parent = Connection(mine.detach())
        worker = _Worker(process, parent)
        if not parent.poll(READY_TIMEOUT_S) or _recv_or_none(parent) != "ready":
            log.warning("a query worker did not start within %s s", READY_TIMEOUT_S)
            worker.stop()
            return
        with self._cond:
            if self._closed:
                worker.stop()
                return
            self._spares.append(worker)
            self._assign()
            self._cond.notify_all()

    def _assign(self) -> None:
        """Move standing-by processes into the roles short of workers (call with ``_cond`` held)."""
        for role in (REGULAR, EXPRESS):
            while self._spares and len(self._members[role]) < self._wanted[role]:
                worker = self._spares.pop()
                self._members[role].add(worker)
                self._free[role].append(worker)

    def _replace(self, worker: _Worker, role: str) -> None:
        with self._cond:
            self._members[role].discard(worker)
            self._assign()
            self._cond.notify_all()
        worker.stop()
        if not self._closed:
            self._requests.put(threading.Event())

    def _release(self, worker: _Worker, role: str) -> None:
        worker.set_niceness(False)
        with self._cond:
            if self._closed:
                return
            self._free[role].append(worker)
            self._cond.notify_all()

    def _take(self, deadline: float, express_allowed: bool) -> tuple[_Worker, str]:
        """A free worker: regular first, express when allowed; waits until ``deadline``."""
        with self._cond:
            while True:
                if self._closed:
                    raise QueryTimeout("the query service is shutting down")
                if self._free[REGULAR]:
                    return self._free[REGULAR].pop(), REGULAR
                if express_allowed and self._free[EXPRESS]:
                    return self._free[EXPRESS].pop(), EXPRESS
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise QueryTimeout(f"all {self.size} query workers stayed busy for {self.timeout_s:g} s; "
                                       "try again in a moment")
                self._cond.wait(remaining)

    def run(self, sparql: str, results_format: str | None = "json", graph_format: str | None = "ttl",
            default_graphs: tuple[str, ...] | None = None, named_graphs: tuple[str, ...] | None = None) -> Outcome:
        """Answer one query within the time limit, counted from now (its arrival).

        Raises QueryTimeout (the worker was killed, or none was free within the limit), BadQuery,
        NotAcceptable, WorkerFailed.
        """
        deadline = time.monotonic() + self.timeout_s
        job = Job(sparql, str(self.store_path.resolve()), results_format, graph_format, self.row_cap,
                  default_graphs, named_graphs)
        key = hashlib.sha256(sparql.encode("utf-8", "surrogatepass")).hexdigest()
        with self._cond:
            express_allowed = key not in self._slow
        while True:
            worker, role = self._take(deadline, express_allowed)
            limit = deadline - time.monotonic()
            if role == EXPRESS:
                limit = min(limit, self.express_limit_s)
            if limit < MIN_RUN_S:  # the turn came too late to run at all: keep the worker, answer 503
                self._release(worker, role)
                raise QueryTimeout(f"all {self.size} query workers stayed busy for {self.timeout_s:g} s; "
                                   "try again in a moment")
            answer = self._ask(worker, role, job, limit)
            if answer is None:
                self._remember_slow(key)
            else:
                status, payload = answer
                if role == EXPRESS:
                    self.express_answers += 1
                if status == "error":
                    raise _rebuild(*payload)
                return payload  # type: ignore[no-any-return]
            if role == EXPRESS and time.monotonic() < deadline:
                express_allowed = False  # not a short query: wait for a regular worker, within the same limit
                continue
            raise QueryTimeout(f"the query ran longer than the time limit of {self.timeout_s:g} s and was "
                               "stopped; add a LIMIT or narrow the patterns")

    def _remember_slow(self, key: str) -> None:
        with self._cond:
            self._slow[key] = None
            self._slow.move_to_end(key)
            while len(self._slow) > SLOW_MEMORY:
                self._slow.popitem(last=False)

    def _ask(self, worker: _Worker, role: str, job: Job, limit: float) -> tuple[str, Any] | None:
        """Send ``job`` to ``worker``; its (status, payload), or None when it ran past ``limit`` (killed)."""
        try:
            worker.conn.send(job)
            ready = worker.conn.poll(max(0.0, min(limit, self.express_limit_s)))
            if not ready and limit > self.express_limit_s:
                worker.set_niceness(True)
                ready = worker.conn.poll(limit - self.express_limit_s)
            if not ready:
                self.killed += 1
                log.info("a query ran past %.1f s on a %s worker; the worker was killed and is being replaced",
                         limit, role)
                self._replace(worker, role)
                return None
            answer = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as err:
            self._replace(worker, role)
            if self._closed:
                raise QueryTimeout("the query service is shutting down") from err
            raise WorkerFailed(f"the query worker died while answering ({type(err).__name__}); try again") from err
        self._release(worker, role)
        return answer  # type: ignore[no-any-return]

    def free(self, role: str = REGULAR) -> int:
        """How many workers of ``role`` are idle now (for tests and the monitor)."""
        with self._cond:
            return len(self._free[role])

    def pids(self, *roles: str) -> list[int]:
        """Process ids of the workers of ``roles`` (default: regular and express), for tests."""
        with self._cond:
            return [w.process.pid for role in roles or (REGULAR, EXPRESS) for w in self._members[role]]

    def close(self) -> None:
        """Stop every worker (idle, busy or standing by)."""
        with self._cond:
            self._closed = True
            self._requests.put(None)
            workers = [*self._members[REGULAR], *self._members[EXPRESS], *self._spares]
            for members in self._members.values():
                members.clear()
            self._spares.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.stop()
