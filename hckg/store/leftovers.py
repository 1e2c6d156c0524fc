"""Copies a killed write left beside the store, found and removed; a live writer's copy never is.

A write changes a copy of the store (``.store-<id>`` beside the ``store`` link, plus its inference
scratch folders ``.store-<id>.infer-*``) and swaps it in. ``kill -9`` halfway leaves the copy behind:
141 MB and 53 MB in one trial of issue 17. Each copy is *claimed* while it lives: an exclusive
``fcntl.flock`` on ``.store-<id>.lock``, taken before the copy's folder is made and let go after it
is swapped in or thrown away. The kernel drops the lock of a killed process, so an unclaimable copy
belongs to a live writer (in any process) and is kept; a claimable one that is not the current
store is a leftover. ``remove_leftovers`` runs at the next write (under the store's write lock,
so no swap happens meanwhile) and when the server starts.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
SCRATCH_MARK = ".infer-"
"""Inference keeps its round files in ``<copy>.infer-*`` beside the copy (``hckg.gate.infer``)."""

_claims: dict[Path, "Claim"] = {}
"""The copies this process holds, by folder: released by ``release`` at their swap or discard."""


@dataclass
class Claim:
    """An open, exclusively flocked ``<copy>.lock``: the copy's writer is alive while this is held."""

    lock: Path
    fd: int

    def drop(self) -> None:
        """Remove the lock file, then let go of the lock (a claimer that raced us sees the file gone)."""
        try:
            self.lock.unlink(missing_ok=True)
        finally:
            os.close(self.fd)


def owner(entry: Path) -> Path:
    """The copy an entry belongs to: itself, or for ``.store-<id>.infer-*`` the copy ``.store-<id>``."""
    return entry.with_name(entry.name.split(SCRATCH_MARK, 1)[0])


def lock_of(entry: Path) -> Path:
    """``.store-<id>.lock``: the lock file of the copy ``entry`` belongs to."""
    copy = owner(entry)
    return copy.with_name(copy.name + LOCK_SUFFIX)


def try_claim(copy: Path, wait: bool = False) -> Claim | None:
    """The claim of ``copy``, or None when a live writer holds it (only without ``wait``).

    The lock file may be removed by its holder between our open and our flock; then the lock we got
    is on a file nobody else will find, so we open again.
    """
    lock = lock_of(copy)
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return Claim(lock, fd)
        os.close(fd)


def claim(copy: Path) -> None:
    """Claim ``copy`` (before its folder exists) for as long as this process writes it."""
    got = try_claim(copy, wait=True)
    assert got is not None
    _claims[copy.absolute()] = got


def release(copy: Path) -> None:
    """Let go of the claim on ``copy`` (after it was swapped in or removed); nothing if none is held."""
    held = _claims.pop(copy.absolute(), None)
    if held is not None:
        held.drop()


def _pattern(link: Path) -> re.Pattern[str]:
    """The names a write gives what it leaves beside the store link ``<name>``: a copy ``.<name>-<12 hex>``
    (``hckg.store.oxigraph.fresh_store_dir``) and its ``.infer-*`` folders, a new link ``.<name>-link-<8 hex>``
    or a moved-aside old store ``.<name>-legacy-<8 hex>`` (``swap_in``). Exact, so that another store in
    the same folder (``<name>-b``) is never taken for a leftover."""
    return re.compile(rf"\.{re.escape(link.name)}-([0-9a-f]{{12}}(\.infer-[^/]*)?|(link|legacy)-[0-9a-f]{{8}})")


def _leftovers(link: Path) -> list[Path]:
    """Every entry beside the store link that a write leaves, but the current store."""
    link = link.absolute()
    if not link.parent.is_dir():
        return []
    current = link.resolve() if link.exists() else None
    pattern = _pattern(link)
    return sorted(entry for entry in link.parent.iterdir()
                  if pattern.fullmatch(entry.name) and (entry.is_symlink() or entry.absolute() != current))


def _remove(entry: Path) -> int:
    """Remove a file, link or folder; returns the bytes it held."""
    if entry.is_symlink() or entry.is_file():
        size = entry.lstat().st_size
        entry.unlink(missing_ok=True)
        return size
    size = sum(p.stat().st_size for p in entry.rglob("*") if p.is_file() and not p.is_symlink())
    shutil.rmtree(entry, ignore_errors=True)
    return size


def remove_leftovers(link: Path) -> list[Path]:
    """Remove the copies killed writes left beside the store ``link``; returns what was removed.

    Call it only where no swap can happen meanwhile (holding the write lock): a copy being swapped in
    by another writer is released just after it became the current store.
    """
    removed = []
    for entry in _leftovers(link):
        if owner(entry).absolute() in _claims:
            continue  # this process's own live copy: skipped without asking flock again
        held = try_claim(entry)
        if held is None:
            continue  # a live writer's copy
        try:
            if entry.exists() or entry.is_symlink():
                log.warning("removing %s (%d bytes) left by a write that was stopped", entry, _remove(entry))
                removed.append(entry)
        finally:
            held.drop()
    _remove_orphan_locks(link)
    return removed


def _remove_orphan_locks(link: Path) -> None:
    """Lock files whose copy is gone and whose holder is dead (killed between the two removals)."""
    link = link.absolute()
    if not link.parent.is_dir():
        return
    pattern = _pattern(link)
    for lock in link.parent.glob(f".{link.name}-*{LOCK_SUFFIX}"):
        copy = lock.with_name(lock.name[:-len(LOCK_SUFFIX)])
        if not pattern.fullmatch(copy.name) or copy.exists() or copy.absolute() in _claims:
            continue
        held = try_claim(copy)
        if held is not None:
            held.drop()
