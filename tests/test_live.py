"""The live store follows rebuilds; its data version changes with the data; staleness of a build."""

from __future__ import annotations

import os
import time

import pytest

from hckg.gate.build import build
from hckg.errors import StoreMissing
from hckg.gate.build import store_is_stale
from hckg_web.runtime.live import LiveStore, data_version


def test_the_data_version_is_a_stable_hash_of_the_graphs(store):
    assert data_version(store) == data_version(store)
    assert len(data_version(store)) == 16


def test_a_live_store_reopens_after_a_rebuild_and_its_version_changes(data_copy):
    live = LiveStore(data_copy.store_path)
    with pytest.raises(StoreMissing):
        live.get()
    build(data_copy)
    before = live.version()
    first = live.get()
    time.sleep(1.1)  # load times have whole seconds, and a build takes less than one
    build(data_copy)  # new load times in graph/meta: a new version
    assert live.get() is not first and live.version() != before


def test_a_store_is_stale_when_missing_or_older_than_a_source(data_copy):
    sources = [data_copy.data_dir]
    assert store_is_stale(data_copy.store_path, sources)
    build(data_copy)
    assert not store_is_stale(data_copy.store_path, sources)
    later = time.time() + 5
    os.utime(data_copy.data_dir / "provinces.csv", (later, later))
    assert store_is_stale(data_copy.store_path, sources)
