"""Which store HCKG talks to, chosen in one place from the settings: embedded Oxigraph or a remote engine.

``HCKG_ENDPOINT`` set means the remote engine; otherwise the embedded store at ``HCKG_STORE``. The
CLI, the write path and the server ask here, so no other module tests the settings. The server's
own parts (the live store, the query pool) live in ``hckg_web.runtime``: the write path never
imports the worker pool.
"""

from __future__ import annotations

from ..config import Settings
from .base import Store
from .oxigraph import open_store
from .remote import Endpoint, RemoteStore


def is_remote(settings: Settings) -> bool:
    return bool(settings.endpoint)


def endpoint_of(settings: Settings) -> Endpoint:
    return Endpoint(settings.endpoint, settings.update_endpoint, settings.gsp_endpoint, settings.endpoint_user,
                    settings.endpoint_password, settings.endpoint_auth, settings.endpoint_timeout_s)


def open_configured_store(settings: Settings) -> Store:
    """The store of ``settings``: the remote engine when ``HCKG_ENDPOINT`` is set, else the embedded
    store (read-only; raises StoreMissing before the first build)."""
    if is_remote(settings):
        return RemoteStore(endpoint_of(settings))
    return open_store(settings.store_path)
