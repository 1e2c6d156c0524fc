"""The server's view of the configured store: the live store and the query pool, embedded or remote."""

from __future__ import annotations

from hckg.config import Settings
from hckg.errors import RemoteStoreEmpty
from hckg.store.open import endpoint_of, is_remote
from hckg.store.remote import RemoteStore

from .answers import CachedAnswers
from .live import LiveStore, data_version
from .workers import Job, Outcome, QueryPool, execute


class RemoteLive:
    """``LiveStore`` for a remote engine: always the same store, its data version asked each time."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store

    def get(self) -> RemoteStore:
        if not self.store.dataset():
            raise RemoteStoreEmpty(self.store.endpoint.query_url)
        return self.store

    def version(self) -> str:
        return data_version(self.get())


class RemotePool:
    """``QueryPool`` for a remote engine: the engine enforces its own time limit, HCKG caps the rows.

    Queries run in the calling thread (no worker process to kill: the HTTP request is abandoned after
    ``HCKG_ENDPOINT_TIMEOUT``); the answer is serialised by the same code as the workers'.
    """

    def __init__(self, store: RemoteStore, row_cap: int) -> None:
        self.store = store
        self.row_cap = row_cap
        self.size = 1
        self.killed = 0

    def start(self) -> None:
        """Nothing to start."""

    def run(self, sparql: str, results_format: str | None = "json", graph_format: str | None = "ttl",
            default_graphs: tuple[str, ...] | None = None, named_graphs: tuple[str, ...] | None = None) -> Outcome:
        job = Job(sparql, self.store.endpoint.query_url, results_format, graph_format, self.row_cap,
                  default_graphs, named_graphs)
        return execute(self.store, job)  # type: ignore[arg-type]

    def close(self) -> None:
        """Nothing to stop."""


def live_store_for(settings: Settings) -> LiveStore | RemoteLive:
    """What the server reads from: the embedded store reopened after each swap, or the remote engine."""
    if is_remote(settings):
        return RemoteLive(RemoteStore(endpoint_of(settings)))
    return LiveStore(settings.store_path)


def query_pool_for(settings: Settings) -> QueryPool | RemotePool | CachedAnswers:
    """Where the server's queries run: killable worker processes (their answers kept per build, see
    ``answers``), or the remote engine itself (never kept: its data changes without HCKG knowing)."""
    if is_remote(settings):
        return RemotePool(RemoteStore(endpoint_of(settings)), settings.row_cap)
    pool = QueryPool(settings.store_path, settings.workers, settings.query_timeout_s, settings.row_cap,
                     settings.express_workers, settings.express_limit_s, settings.spare_workers)
    return CachedAnswers(pool, settings.answer_cache_mb * 1024 * 1024) if settings.answer_cache_mb > 0 else pool
