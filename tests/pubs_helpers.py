"""Helpers for the publication tests: the evaluation folders, the register the synthetic sets were written
against (tests/pubs_register/), and a private, writable copy of a store built from it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from hckg.config import Settings

EVAL = Path(__file__).parent / "pubs_eval"
REGISTER = Path(__file__).parent / "pubs_register"
"""The data/ the synthetic sets were written against (see its README): the linker is measured on it."""
BAD = Path(__file__).parent / "pubs_bad_inputs"


def copy_store(template: Path, folder: Path) -> Settings:
    """Settings whose store is a fresh copy of ``template`` in ``folder``."""
    target = folder / "var" / "store-build"
    shutil.copytree(template, target)
    link = folder / "var" / "store"
    link.symlink_to(target.name)
    return replace(Settings(), store_path=link, data_dir=REGISTER)
