"""Fixtures for the publication tests: a private, writable copy of a store built from the register the
synthetic publication sets were written against (tests/pubs_register/)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from hckg.build import build
from hckg.config import Settings

EVAL = Path(__file__).parent / "pubs_eval"
REGISTER = Path(__file__).parent / "pubs_register"
"""The data/ the synthetic sets were written against (see its README): the linker is measured on it."""
BAD = Path(__file__).parent / "pubs_bad_inputs"


@pytest.fixture(scope="session")
def pubs_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store built from the sets' register and ontology/, copied by ``pubs_settings`` for each test."""
    path = tmp_path_factory.mktemp("pubs-template") / "store"
    build(replace(Settings(), store_path=path, data_dir=REGISTER))
    return path.resolve()


def copy_store(template: Path, folder: Path) -> Settings:
    """Settings whose store is a fresh copy of ``template`` in ``folder``."""
    target = folder / "var" / "store-build"
    shutil.copytree(template, target)
    link = folder / "var" / "store"
    link.symlink_to(target.name)
    return replace(Settings(), store_path=link, data_dir=REGISTER)


@pytest.fixture
def pubs_settings(tmp_path: Path, pubs_template: Path) -> Settings:
    """Settings whose store is a fresh copy of the template: tests may write to it."""
    return copy_store(pubs_template, tmp_path)
