"""The store as currently built: reopened after each swap, with a version hash of its content.

``hckg build`` and ``hckg load`` swap a new store directory in behind the ``HCKG_STORE`` symlink.
A long-running reader (the server) follows the link on each use and reopens when it moved, so it
always answers from the newest complete store.
"""

from __future__ import annotations

import hashlib
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
    """The store at ``path`` (a symlink swapped by builds), reopened when the link moves."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._opened: Path | None = None
        self._store: OxigraphStore | None = None
        self._version = ""

    def _refresh(self) -> tuple[OxigraphStore, str]:
        target = self.path.resolve() if self.path.exists() else self.path
        with self._lock:
            if self._store is None or target != self._opened:
                if not (target / "CURRENT").exists():
                    raise StoreMissing(self.path)
                store = open_store(self.path)
                self._store, self._opened, self._version = store, target, data_version(store)
            return self._store, self._version

    def get(self) -> OxigraphStore:
        """The current store; raises StoreMissing before the first build."""
        return self._refresh()[0]

    def version(self) -> str:
        """The data version of the current store (see ``data_version``)."""
        return self._refresh()[1]
