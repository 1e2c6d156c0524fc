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

import io
import json
import logging
import queue
import socket
import subprocess
import sys
import threading
import time
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
    """A worker process died while running a query (out of memory, crash); it has been replaced."""

    http_status = 500


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

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class QueryPool:
    """``size`` killable worker processes answering SPARQL over the store at ``store_path``."""

    def __init__(self, store_path: Path, size: int = 2, timeout_s: float = 10.0, row_cap: int = 10_000) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self.store_path = store_path
        self.size = size
        self.timeout_s = timeout_s
        self.row_cap = row_cap
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._requests: queue.Queue[threading.Event | None] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self.killed = 0
        """Workers killed for running too long, since start (for tests and logs)."""

    def start(self) -> None:
        """Start every worker and wait until each is ready."""
        # One long-lived thread starts every worker: Linux sends PR_SET_PDEATHSIG when the thread
        # that started a process ends, so a short-lived spawning thread would take its worker along.
        threading.Thread(target=self._spawner, daemon=True, name="hckg-worker-spawner").start()
        done = [threading.Event() for _ in range(self.size)]
        for event in done:
            self._requests.put(event)
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
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._workers.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()
        if not self._closed:
            self._requests.put(threading.Event())

    def run(self, sparql: str, results_format: str | None = "json", graph_format: str | None = "ttl",
            default_graphs: tuple[str, ...] | None = None, named_graphs: tuple[str, ...] | None = None) -> Outcome:
        """Answer one query within the time limit.

        Raises QueryTimeout (the worker was killed, or none was free within the limit), BadQuery,
        NotAcceptable, WorkerFailed.
        """
        if self._closed:
            raise QueryTimeout("the query service is shutting down")
        try:
            worker = self._idle.get(timeout=self.timeout_s)
        except queue.Empty:
            raise QueryTimeout(f"all {self.size} query workers stayed busy for {self.timeout_s:g} s; "
                               "try again in a moment") from None
        job = Job(sparql, str(self.store_path.resolve()), results_format, graph_format, self.row_cap,
                  default_graphs, named_graphs)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.timeout_s):
                self.killed += 1
                log.info("query ran past %s s; its worker was killed and is being replaced", self.timeout_s)
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than the time limit of {self.timeout_s:g} s and was "
                                   "stopped; add a LIMIT or narrow the patterns")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as err:
            self._replace(worker)
            raise WorkerFailed(f"the query worker died while answering ({type(err).__name__}); try again") from err
        self._idle.put(worker)
        if status == "error":
            raise _rebuild(*payload)
        return payload  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop every worker (idle or busy)."""
        with self._lock:
            self._closed = True
            self._requests.put(None)
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()
