"""Build step of the wheel: ship the ontology, shapes, saved queries and curated data inside the package.

They live at the top of the repository (DESIGN.md), where people edit them; a wheel holds packages only,
so ``build_py`` copies them into ``hckg/_resources/``, where ``hckg.config`` finds them when the code runs
from an installed wheel instead of a checkout. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = ("ontology", "shapes", "queries", "data")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the folders of the checkout itself
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "hckg" / "_resources"
        for name in RESOURCES:
            destination = target / name
            shutil.rmtree(destination, ignore_errors=True)
            shutil.copytree(root / name, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithResources})
