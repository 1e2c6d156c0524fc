"""The README is a user's guide: short, starting with the two commands, linking only to files of the repo."""

from __future__ import annotations

import re

from hckg.config import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"


def test_the_readme_is_at_most_about_200_lines_and_starts_with_the_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 210
    assert lines[3].startswith("make run") and lines[4].startswith("make test")


def test_every_relative_link_of_the_readme_and_docs_names_a_file_of_the_repo():
    for page in [README, *sorted((PROJECT_ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)", page.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://", "mailto:")):
                assert (page.parent / target).exists(), f"{page.name} links to {target}"
