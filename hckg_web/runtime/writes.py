"""Token writes (SPARQL Update, Graph Store PUT/POST/DELETE, link decisions) in killable worker processes.

A write can run for minutes (an update joining three ``GRAPH ?g`` patterns) or spin in a parser, and a
thread cannot be stopped. So writes run in a worker process under ``HCKG_WRITE_TIMEOUT``: past it the
process is killed and the client gets 503. The server's writes take turns (they would queue on the
store's write lock anyway), waiting at most ``HCKG_WRITE_WAIT`` for their turn (else 503), so one warm
process does them all: its imports and compiled shapes are kept from one write to the next. Every write changes a
copy of the store and swaps it in by one rename (``hckg.gate.write``), so a killed write leaves the
store exactly as it was. The worker says "committing" just before that rename; from then on it is
allowed to finish, so a 503 never hides a write that was kept. A second started process stands by,
so the write after a killed one does not wait for Python and rdflib to import.
"""

from __future__ import annotations

import importlib
import logging
import pickle
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from hckg.errors import HckgError

log = logging.getLogger(__name__)

COMMIT_GRACE_S = 60.0
"""How long a write that has started its swap (one rename) may still take before it is given up."""
READY_TIMEOUT_S = 60.0

WRITES = {
    "load_file": "hckg.gate.write:load_file",
    "drop_graph": "hckg.gate.write:drop_graph",
    "apply_update": "hckg.gate.write:apply_update",
    "decide": "hckg.pubs.decide:decide",
    "add_record": "hckg.volgsysteem.records:add_record",
}
"""The core writes the server may run, by name: nothing else crosses into a write worker."""


class WriteStopped(HckgError):
    """A write that ran past ``HCKG_WRITE_TIMEOUT`` (its process was killed) or whose process died."""

    http_status = 503


class WriteFailed(HckgError):
    """A write the core refused with an error that is not one of HCKG's own (a parser's, say)."""


_REBUILT: dict[tuple[str, int], type[HckgError]] = {}


def _rebuild(name: str, status: int, message: str) -> HckgError:
    """The worker's HckgError as an error of the same name and HTTP status in this process."""
    if status >= 500 and status != 503:
        status = 503  # a write that failed on the server's side changed nothing: try again
    cls = _REBUILT.setdefault((name, status), type(name, (HckgError,), {"http_status": status}))
    return cls(message)


def _restore(module: str, name: str, message: str, state: dict[str, Any]) -> HckgError:
    """The worker's HckgError as the same class with the same attributes; ``_rebuild`` when it is not HCKG's."""
    cls = getattr(importlib.import_module(module), name, None) if module.startswith(("hckg.", "hckg_web.")) else None
    if not (isinstance(cls, type) and issubclass(cls, HckgError)):
        return _rebuild(name, int(state.get("http_status", 400)), message)
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    if error.http_status >= 500 and error.http_status != 503:
        error.http_status = 503  # type: ignore[misc]
    return error


def write_main(fd: int) -> None:
    """A write worker: import the core, say ready, then run writes one at a time until told to stop."""
    from .workers import _die_with_parent

    _die_with_parent()
    conn = Connection(fd)
    importlib.import_module("hckg.gate.write")
    _announce_commits(conn)
    try:
        conn.send("ready")
        while True:
            job = conn.recv()
            if job is None:
                return
            conn.send(_run_one(*job))
    except (BrokenPipeError, ConnectionResetError, EOFError, KeyboardInterrupt):
        return  # the server closed the pipe or ended: nothing left to answer


def _run_one(name: str, args: tuple[Any, ...]) -> tuple[str, Any]:
    module, _, func = WRITES[name].partition(":")
    try:
        return "ok", getattr(importlib.import_module(module), func)(*args)
    except HckgError as err:
        try:  # the error itself, attributes and all (routes read a BadParameter's name, a ValidationFailed's
            pickle.dumps(err.__dict__)  # violations); its own class cannot always be rebuilt by pickle
            return "hckg-error", (type(err).__module__, type(err).__qualname__, str(err), err.__dict__)
        except (pickle.PicklingError, TypeError, AttributeError):
            return "error", (type(err).__name__, err.http_status, str(err))
    except OSError as err:
        return "error", ("WriteStopped", 503, f"the write failed on the server ({type(err).__name__}: {err}); "
                                              "store unchanged, try again")
    except Exception as err:  # noqa: BLE001 - any other error of a parser or the engine: the client's input
        return "error", ("WriteFailed", 400, f"the write was refused ({type(err).__name__}: {err}); store unchanged")


def _announce_commits(conn: Connection) -> None:
    """Have the embedded store's copy tell the parent just before it swaps in (see the module docstring)."""
    from hckg.store.oxigraph import OxigraphCopy

    commit = OxigraphCopy.commit

    def announced(copy: OxigraphCopy) -> None:
        conn.send(("committing", None))
        commit(copy)

    OxigraphCopy.commit = announced  # type: ignore[method-assign]


class _Process:
    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def stop(self) -> None:
        self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            log.warning("write worker %s did not exit after SIGKILL", self.process.pid)
        self.conn.close()


class WriteRunner:
    """Runs the server's writes one at a time in a warm worker process under a time limit."""

    KEEP = 2
    """Started worker processes kept: the one writes run in and one standing by."""

    def __init__(self, timeout_s: float = 120.0, wait_s: float = 120.0) -> None:
        self.timeout_s = timeout_s
        self.wait_s = wait_s
        self._ready: list[_Process] = []
        self._running: set[_Process] = set()
        self._lock = threading.Lock()
        self._turn = threading.Lock()
        self._wanted = threading.Event()
        self._closed = False
        self.stopped = 0
        """Writes killed for running too long, since start (for tests and logs)."""

    def start(self, wait: bool = False) -> None:
        """Start the thread that keeps worker processes ready (see workers.QueryPool.start on why one thread);
        with ``wait``, return once the first is ready (the server does not wait: a write before then starts
        its own)."""
        threading.Thread(target=self._keep_ready, daemon=True, name="hckg-write-spawner").start()
        self._wanted.set()
        if not wait:
            return
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline and not self._closed:
            with self._lock:
                if self._ready:
                    return
            time.sleep(0.05)

    def _keep_ready(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            while True:
                with self._lock:
                    if self._closed:
                        return
                    short = len(self._ready) + len(self._running) < self.KEEP
                if not short:
                    break
                started = self._spawn()
                if started is None:
                    break
                with self._lock:
                    if not self._closed:
                        self._ready.append(started)
                        continue
                started.stop()
                return

    def _spawn(self) -> _Process | None:
        import socket

        mine, theirs = socket.socketpair()
        process = subprocess.Popen(
            [sys.executable, "-c", f"from hckg_web.runtime.writes import write_main; write_main({theirs.fileno()})"],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
        )
        theirs.close()
        worker = _Process(process, Connection(mine.detach()))
        try:
            if worker.conn.poll(READY_TIMEOUT_S) and worker.conn.recv() == "ready":
                return worker
        except (EOFError, OSError):
            pass
        log.warning("a write worker did not start within %s s", READY_TIMEOUT_S)
        worker.stop()
        return None

    def run(self, name: str, *args: Any) -> Any:
        """Run the core write ``name`` (a key of WRITES) with ``args``; its result, or its error re-raised.

        Raises WriteStopped (503) when its turn did not come within ``wait_s``, when it ran past
        ``timeout_s`` or when its process died; the store is then unchanged.
        """
        if self._closed:
            raise WriteStopped("the server is shutting down; nothing written")
        if not self._turn.acquire(timeout=self.wait_s):
            raise WriteStopped(f"other writes held the server for {self.wait_s:g} s (HCKG_WRITE_WAIT); "
                               "nothing written, try again later")
        try:
            return self._run(name, args)
        finally:
            self._turn.release()

    def _run(self, name: str, args: tuple[Any, ...]) -> Any:
        with self._lock:
            worker = self._ready.pop(0) if self._ready else None
            if worker is not None:
                self._running.add(worker)
        worker = worker or self._spawn()
        if worker is None:
            raise WriteStopped("no write worker could be started; nothing written, try again")
        with self._lock:
            closed = self._closed
            if not closed:
                self._running.add(worker)
        if closed:
            worker.stop()
            raise WriteStopped("the server is shutting down; nothing written")
        healthy = False
        try:
            status, payload = self._follow(worker, name, args)
            healthy = True
        finally:
            with self._lock:
                self._running.discard(worker)
                keep = healthy and not self._closed and len(self._ready) < self.KEEP
                if keep:
                    self._ready.insert(0, worker)  # the warm one first
            if not keep:
                worker.stop()
            self._wanted.set()
        if status == "ok":
            return payload
        if status == "hckg-error":
            raise _restore(*payload)
        raise _rebuild(*payload)

    def _follow(self, worker: _Process, name: str, args: tuple[Any, ...]) -> tuple[str, Any]:
        """The worker's (status, payload) for the write; raises WriteStopped when it overran or died."""
        deadline = time.monotonic() + self.timeout_s
        try:
            worker.conn.send((name, args))
            while True:
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    self.stopped += 1
                    log.info("a %s ran past %s s; its worker was killed", name, self.timeout_s)
                    raise WriteStopped(f"the write ran longer than the time limit of {self.timeout_s:g} s "
                                       "(HCKG_WRITE_TIMEOUT) and was stopped; store unchanged")
                status, payload = worker.conn.recv()
                if status != "committing":
                    return status, payload
                deadline = time.monotonic() + COMMIT_GRACE_S
        except (EOFError, OSError) as err:
            if self._closed:
                raise WriteStopped("the server is shutting down; the write was stopped, store unchanged") from err
            raise WriteStopped(f"the write's worker process died ({type(err).__name__}); store unchanged, "
                               "try again") from err

    def close(self) -> None:
        """Kill the ready and the running write workers (a killed write leaves the store unchanged)."""
        with self._lock:
            self._closed = True
            workers = [*self._ready, *self._running]
            self._ready.clear()
        self._wanted.set()
        for worker in workers:
            worker.stop()
