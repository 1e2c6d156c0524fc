"""Helpers for the publication tests: the evaluation folders and a private, writable copy of a built store."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from hckg.config import Settings

EVAL = Path(__file__).parent / "pubs_eval"
BAD = Path(__file__).parent / "pubs_bad_inputs"


def copy_store(template: Path, folder: Path) -> Settings:
    """Settings whose store is a fresh copy of ``template`` in ``folder``."""
    target = folder / "var" / "store-build"
    shutil.copytree(template, target)
    link = folder / "var" / "store"
    link.symlink_to(target.name)
    return replace(Settings(), store_path=link)
