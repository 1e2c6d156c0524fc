"""Settings: read once from HCKG_* variables, each documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from hckg.config import PROJECT_ROOT, Settings, documented_settings


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [env for env, _, _ in documented_settings() if f"| `{env}` |" not in readme]
    assert missing == []


def test_unset_variables_keep_the_defaults():
    assert Settings.from_env({}) == Settings()


@pytest.mark.parametrize(
    ("env", "field", "expected"),
    [
        ("HCKG_STORE", "store_path", Path("/tmp/other-store")),
        ("HCKG_DATA", "data_dir", Path("/tmp/data")),
        ("HCKG_QUERIES", "queries_dir", Path("/tmp/queries")),
    ],
)
def test_a_variable_overrides_its_setting(env, field, expected):
    assert getattr(Settings.from_env({env: str(expected)}), field) == expected


def test_an_empty_variable_counts_as_unset():
    assert Settings.from_env({"HCKG_STORE": ""}).store_path == Settings().store_path
