"""One place chooses the store: the embedded one by default, the remote engine when HCKG_ENDPOINT is set."""

from __future__ import annotations

from dataclasses import replace

from hckg.store.open import open_configured_store
from hckg_web.runtime.backend import RemoteLive, RemotePool, live_store_for, query_pool_for
from hckg_web.runtime.live import LiveStore
from hckg.store.remote import RemoteStore
from hckg.store.oxigraph import OxigraphStore
from hckg_web.runtime.workers import QueryPool


def test_without_an_endpoint_every_reader_uses_the_embedded_store(settings, store):
    assert isinstance(open_configured_store(settings), OxigraphStore)
    assert isinstance(live_store_for(settings), LiveStore)
    assert isinstance(query_pool_for(replace(settings, answer_cache_mb=0)), QueryPool)


def test_an_endpoint_switches_every_reader_to_the_remote_store(settings):
    remote = replace(settings, endpoint="http://127.0.0.1:1/query", endpoint_user="u", endpoint_password="hunter2",
                     endpoint_auth="digest")
    store = open_configured_store(remote)
    assert isinstance(store, RemoteStore)
    assert (store.endpoint.query_url, store.endpoint.update_url, store.endpoint.auth) == (
        "http://127.0.0.1:1/query", "", "digest")
    assert "hunter2" not in repr(store.endpoint)
    assert isinstance(live_store_for(remote), RemoteLive)
    assert isinstance(query_pool_for(remote), RemotePool)


def test_the_password_is_not_in_the_settings_repr(settings):
    assert "hunter2" not in repr(replace(settings, endpoint_password="hunter2"))
