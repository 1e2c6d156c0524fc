"""The store as currently built: reopened after each swap, with a version hash of its content.

``hckg build`` and ``hckg load`` swap a new store directory in behind the ``HCKG_STORE`` symlink.
A long-running reader (the server) follows the link on each use and reopens when it moved, so it
always answers from the newest complete store.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from hckg.errors import StoreMissing
from hckg.reports.provenance import graph_records
from hckg.store.base import Store
from hckg.store.oxigraph import OxigraphStore, open_store


def data_version(store: Store) -> str:
    """A short hash of the loaded graphs: their IRIs, triple counts, source files and load times.

    It changes whenever a graph is built, loaded, replaced or dropped, so clients and caches can
    tell two answers from the same data apart from answers after a change.
    """
    digest = hashlib.sha256()
    for record in graph_records(store):
        digest.update(f"{record.iri}\t{record.triples}\t{record.source_file}\t{record.loaded_at}\n".encode())
    return digest.hexdigest()[:16]


class LiveStore:
    """The store at ``path`` (a symlink swapped by builds), reopened when the link moves.

    Asked on every request (the data-version header, the saved-query cache), so the check that the
    link has not moved is one ``readlink``, without a lock: every build gets a directory of its own
    (``.store-<uuid>``), so the same link text means the same build.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._current: tuple[object, OxigraphStore, str] | None = None
        """(where the link pointed, the store opened there, its data version): replaced as one object."""

    def _where(self) -> object:
        try:
            return os.readlink(self.path)
        except OSError:  # not a symlink: a store directory from before symlinks, or no store yet
            return self.path.resolve() if self.path.exists() else self.path

    def _refresh(self) -> tuple[object, OxigraphStore, str]:
        where = self._where()
        current = self._current
        if current is not None and current[0] == where:
            return current
        with self._lock:
            current = self._current
            if current is None or current[0] != where:
                target = self.path.resolve() if self.path.exists() else self.path
                if not (target / "CURRENT").exists():
                    raise StoreMissing(self.path)
                store = open_store(self.path)
                current = self._current = (where, store, data_version(store))
            return current

    def get(self) -> OxigraphStore:
        """The current store; raises StoreMissing before the first build."""
        return self._refresh()[1]

    def version(self) -> str:
        """The data version of the current store (see ``data_version``)."""
        return self._refresh()[2]

    def known_version(self) -> str | None:
        """The data version when the store is already open at the link's target (no I/O but a
        ``readlink``, so the event loop may call it); None when ``version`` has to open the store."""
        current = self._current
        return current[2] if current is not None and current[0] == self._where() else None
