"""What every route needs: the settings, the live store and the query pool, kept on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import Request

from hckg.config import Settings
from hckg.store.base import Store

from .answers import CachedAnswers
from .backend import RemoteLive, RemotePool
from .live import LiveStore
from .workers import QueryPool
from .writes import WriteRunner


@dataclass
class State:
    settings: Settings
    live: LiveStore | RemoteLive
    pool: QueryPool | RemotePool | CachedAnswers
    writes: WriteRunner
    """Token writes, each in a killable process under HCKG_WRITE_TIMEOUT."""

    def store(self) -> Store:
        return self.live.get()


def state(request: Request) -> State:
    return request.app.state.hckg  # type: ignore[no-any-return]


def site_root(request: Request) -> str:
    """The server's own base URL as the client reached it, ending in '/'."""
    return str(request.base_url)


def query_values(request: Request) -> dict[str, list[str]]:
    """Query-string parameters as name → every value given (repeats are multi-values)."""
    values: dict[str, list[str]] = {}
    for key, value in parse_qsl(request.url.query, keep_blank_values=True):
        values.setdefault(key, []).append(value)
    return values
