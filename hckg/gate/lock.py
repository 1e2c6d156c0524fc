"""The write lock: one writer at a time from the first read of the store to the swap.

Every write (build, load, drop, SPARQL Update, publications, volgsysteem records) copies the store,
changes and checks the copy, and swaps it in. Two writers that copied the same store would each
swap in a copy without the other's graph, so the whole copy-check-swap holds an exclusive
``fcntl.flock`` on ``<store>.lock`` next to the store: writers in other threads and processes queue
behind it. A writer that waits longer than ``HCKG_WRITE_WAIT`` seconds gets ``WriteBusy`` (HTTP
503) and writes nothing. Whoever takes the lock first removes the copies killed writes left behind
(``hckg.store.leftovers``): no swap can happen while it holds the lock. The lock is re-entrant within a thread, so a write made of writes (a
volgsysteem record is a load) takes it once.
"""

from __future__ import annotations

import fcntl
import functools
import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Concatenate, Iterator, ParamSpec, TypeVar

from ..config import Settings
from ..errors import HckgError
from ..store.leftovers import remove_leftovers

log = logging.getLogger(__name__)

POLL_S = 0.05
"""How often a queued writer tries the lock again; flock itself has no timeout."""

_held = threading.local()


class WriteBusy(HckgError):
    """Another write held the store longer than the wait limit; this write changed nothing."""

    http_status = 503

    def __init__(self, lock: Path, waited_s: float) -> None:
        self.lock = lock
        super().__init__(f"{lock}: another write has held the store for {waited_s:.0f} s (HCKG_WRITE_WAIT); "
                         "nothing written, try again later")


def lock_path(settings: Settings) -> Path:
    """``<store>.lock`` beside the store link (the link itself is swapped, the lock file never is)."""
    store = settings.store_path
    return store.with_name(store.name + ".lock")


@contextmanager
def write_lock(settings: Settings) -> Iterator[None]:
    """Hold the store's write lock for the block; raises WriteBusy after ``settings.write_wait_s``."""
    path = lock_path(settings)
    key = str(path.resolve()) if path.parent.exists() else str(path.absolute())
    depth: dict[str, int] = getattr(_held, "depth", None) or {}
    _held.depth = depth
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= settings.write_wait_s:
                    raise WriteBusy(path, waited) from None
                time.sleep(POLL_S)
        if time.monotonic() - started > POLL_S:
            log.info("waited %.1f s for the write lock %s", time.monotonic() - started, path)
        depth[key] = 1
        _sweep(settings)
        try:
            yield
        finally:
            depth[key] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _sweep(settings: Settings) -> None:
    """Remove killed writes' copies; a failure to remove is logged, never fails the write."""
    try:
        remove_leftovers(settings.store_path)
    except OSError as err:
        log.warning("could not remove what a stopped write left beside %s: %s", settings.store_path, err)


def remove_leftovers_at_start(settings: Settings) -> None:
    """At start (``hckg serve``, the server): remove killed writes' copies, if no write is running now
    (a running write removes them itself when the next one takes the lock)."""
    try:
        with write_lock(replace(settings, write_wait_s=0.0)):
            pass  # taking the lock sweeps
    except WriteBusy:
        log.info("a write is running: it removes what stopped writes left")


P = ParamSpec("P")
R = TypeVar("R")


def holding_write_lock(func: Callable[Concatenate[Settings, P], R]) -> Callable[Concatenate[Settings, P], R]:
    """Run ``func(settings, ...)`` under the write lock: for a read-modify-write of a graph (the links
    graph of ``hckg pubs``), so no concurrent writer changes what was read before it is written back."""

    @functools.wraps(func)
    def locked(settings: Settings, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with write_lock(settings):
            return func(settings, *args, **kwargs)

    return locked
