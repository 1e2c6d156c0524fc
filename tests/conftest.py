"""Shared fixtures: a real on-disk store built once from the real data/ and ontology/."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from hckg.gate.build import build
from hckg.config import PROJECT_ROOT, Settings
from hckg.store.oxigraph import OxigraphStore, fresh_store_dir, open_store, swap_in


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the real project, with the store in a temporary folder."""
    return replace(Settings(), store_path=tmp_path_factory.mktemp("store") / "store")


@pytest.fixture(scope="session")
def store(settings: Settings) -> OxigraphStore:
    """The store built from the real data (read-only; tests must not change it)."""
    build(settings)
    return open_store(settings.store_path)


@pytest.fixture
def data_copy(tmp_path: Path, settings: Settings) -> Settings:
    """A private copy of data/ and a private store path, for tests that break or change data."""
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    return replace(settings, data_dir=data, store_path=tmp_path / "var" / "store")


@pytest.fixture
def private(settings: Settings, store: OxigraphStore, tmp_path: Path) -> Settings:
    """Settings with a private copy of the built store (a checkpoint: hard links, fast), which the test may change."""
    mine = replace(settings, store_path=tmp_path / "var" / "store")
    fresh = fresh_store_dir(mine.store_path)
    shutil.rmtree(fresh)  # backup wants to create the directory itself
    store.backup(fresh)
    swap_in(fresh, mine.store_path)
    return mine


# -- remote engines (hckg.store.remote): the same data built through HCKG into a real server --------

from hckg.store.open import open_configured_store  # noqa: E402
from hckg.store.remote import RemoteStore  # noqa: E402

from remote_helpers import VIRTUOSO_PORT, Engine, start_oxigraph, stop as stop_engine, virtuoso  # noqa: E402


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory, settings: Settings):  # type: ignore[no-untyped-def]
    """Oxigraph's own server on a free 127.0.0.1 port with the real data built into it by `hckg build`."""
    engine = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"), settings)
    try:
        build(engine.settings)
        yield engine
    finally:
        stop_engine(engine)


@pytest.fixture(scope="session")
def virtuoso_server(settings: Settings) -> Engine:
    """The Virtuoso started by `make test-virtuoso`, with the real data built into it (here, once)."""
    engine = virtuoso(settings)
    build(engine.settings)
    return engine


ENGINES = ["embedded", "oxigraph-server"] + ([pytest.param("virtuoso", marks=pytest.mark.virtuoso)]
                                             if VIRTUOSO_PORT else [])


@pytest.fixture(scope="session", params=ENGINES)
def any_store(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The built store on every engine: embedded Oxigraph, Oxigraph server, and Virtuoso when started."""
    if request.param == "embedded":
        return request.getfixturevalue("store")
    engine = request.getfixturevalue("oxigraph_server" if request.param == "oxigraph-server" else "virtuoso_server")
    store = open_configured_store(engine.settings)
    assert isinstance(store, RemoteStore)
    return store
