"""Shared fixtures: a real on-disk store built once from the real data/ and ontology/."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from hckg.build import build
from hckg.config import PROJECT_ROOT, Settings
from hckg.store import OxigraphStore, open_store


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
