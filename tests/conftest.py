"""Shared fixtures: a real on-disk store built once from the real data/ and ontology/."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from hckg.gate.build import build
from hckg.config import PROJECT_ROOT, Settings
from hckg.store.oxigraph import OxigraphStore, fresh_store_dir, open_store, swap_in


SLOW_FIXTURES = frozenset({"server", "http", "browser", "oxigraph_server", "virtuoso_server"})
"""A test using one of these starts a process (uvicorn, Chromium, an Oxigraph server): marked slow."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that start a server or a browser ``slow`` (``make test-fast`` leaves them out)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or "oxigraph-server" in item.nodeid:
            item.add_marker(pytest.mark.slow)


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


# -- the server (tests/server_helpers.py): one uvicorn process over the session's store ------------

from server_helpers import start as start_server, stop as stop_server  # noqa: E402
from pubs_helpers import REGISTER, copy_store  # noqa: E402


@pytest.fixture(scope="session")
def server(settings: Settings, store: OxigraphStore):  # type: ignore[no-untyped-def]
    """The running server; stopped at the end of the session."""
    running = start_server(str(settings.store_path))
    yield running
    if running.process.poll() is None:
        stop_server(running)


@pytest.fixture
def http(server):  # type: ignore[no-untyped-def]
    """An HTTP client of the session's server."""
    import httpx

    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """Headless Chromium through selenium; fails (never skips) on a machine without it."""
    from browser_helpers import chromium

    yield from chromium()


# -- publications: private, writable copies of the built store --------------------------------------

@pytest.fixture(scope="session")
def pubs_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store built from the sets' register (tests/pubs_register/) and ontology/, copied by ``pubs_settings``."""
    path = tmp_path_factory.mktemp("pubs-template") / "store"
    build(replace(Settings(), store_path=path, data_dir=REGISTER))
    return path.resolve()


@pytest.fixture
def pubs_settings(tmp_path: Path, pubs_template: Path) -> Settings:
    """Settings whose store is a fresh copy of the template: tests may write to it."""
    return copy_store(pubs_template, tmp_path)


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
