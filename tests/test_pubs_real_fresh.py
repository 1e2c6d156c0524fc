"""The fresh held-out set of round 2 (tests/pubs_real/fresh): every record is usable, traceable and new.

Why: this set measures the linker once, after it is final, on records nobody tuned on. What can go wrong when
records are added by hand: a file that does not parse, a label that names no community of data/, a record
without the pages that state its tie, or a record that repeats one of the 101 records the linker was developed
and measured on (tests/pubs_real/batches). The checks read the files with bibtexparser only: no linker or
importer code runs on these records before the final measurement.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.model import ParsingFailedBlock

from hckg.iris import slugify

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "pubs_real"
FRESH = SET / "fresh"
COMMUNITY = "https://w3id.org/hckg/id/community/"
REQUIRED = ("title", "url", "hckg_source", "hckg_tie", "hckg_community")
URL_START = ("http://", "https://")


def _fresh_files() -> list[Path]:
    return sorted(FRESH.glob("batch*.bib"))


def _entries(path: Path):
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    failed = [b for b in library.blocks if isinstance(b, ParsingFailedBlock)]
    assert not failed, f"{path}: unparsable blocks {[b.raw[:60] for b in failed]}"
    return library.entries


def _fields(entry) -> dict[str, str]:
    return {k.lower(): str(v.value).strip() for k, v in entry.fields_dict.items()}


def _norm_title(title: str) -> str:
    return " ".join(re.sub(r"[{}\\]", "", title).lower().split())


def _norm_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").lower()


def _communities() -> set[str]:
    with (ROOT / "data" / "learning_communities.csv").open(encoding="utf-8", newline="") as handle:
        return {COMMUNITY + slugify(row["name"]) for row in csv.DictReader(handle)}


def _fresh_records():
    return [(path.name, entry.key, _fields(entry)) for path in _fresh_files() for entry in _entries(path)]


def _old_records():
    return [(entry.key, _fields(entry)) for path in sorted((SET / "batches").glob("batch*.bib"))
            for entry in _entries(path)]


def test_fresh_files_exist_and_parse():
    files = _fresh_files()
    assert files, f"no batchN.bib files in {FRESH}"
    for path in files:
        assert _entries(path), f"{path.name} holds no entries"


def test_every_fresh_record_is_labelled_and_traceable():
    known = _communities()
    for name, key, fields in _fresh_records():
        missing = [f for f in REQUIRED if not fields.get(f)]
        assert not missing, f"{name} entry {key!r}: missing {missing}"
        assert fields["hckg_community"] in known, (
            f"{name} entry {key!r}: {fields['hckg_community']} is no community of data/learning_communities.csv")
        for field in ("url", "hckg_source", "hckg_tie"):
            assert fields[field].startswith(URL_START), (
                f"{name} entry {key!r}: {field} must start with the http(s) address of a page")


def test_fresh_keys_and_titles_are_unique():
    keys = [key for _, key, _ in _fresh_records()]
    titles = [_norm_title(fields["title"]) for _, _, fields in _fresh_records()]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)


def test_no_fresh_record_repeats_a_record_of_the_first_set():
    old = _old_records()
    assert old, "tests/pubs_real/batches holds no records to compare with"
    old_keys = {key for key, _ in old}
    old_titles = {_norm_title(fields["title"]) for _, fields in old}
    old_urls = {_norm_url(fields["url"]) for _, fields in old if fields.get("url")}
    for name, key, fields in _fresh_records():
        assert key not in old_keys, f"{name} entry {key!r}: key already used in batches/"
        assert _norm_title(fields["title"]) not in old_titles, f"{name} entry {key!r}: title already in batches/"
        assert _norm_url(fields["url"]) not in old_urls, f"{name} entry {key!r}: url already in batches/"


def test_fresh_set_is_wholly_held_out():
    """No fresh file may be split into the development half: the round-2 measurement uses every record once."""
    for half in ("batches", "dev", "heldout"):
        clashes = [p.name for p in _fresh_files() if (SET / half / p.name).exists()
                   and (SET / half / p.name).read_text(encoding="utf-8") == p.read_text(encoding="utf-8")]
        assert not clashes, f"fresh files copied into tests/pubs_real/{half}: {clashes}"
    dev_keys = {entry.key for path in (SET / "dev").glob("*.bib") for entry in _entries(path)}
    fresh_keys = {key for _, key, _ in _fresh_records()}
    assert not dev_keys & fresh_keys, f"fresh records in the development half: {sorted(dev_keys & fresh_keys)}"


@pytest.mark.parametrize("bad, expected", [
    ("@misc{k,\n  title = {T},\n  url = {https://a.nl},\n  hckg_source = {https://a.nl},\n"
     "  hckg_tie = {said on the page},\n  hckg_community = {" + COMMUNITY + "x}\n}\n", "hckg_tie"),
    ("@misc{k,\n  title = {T},\n  url = {https://a.nl},\n  hckg_source = {https://a.nl},\n"
     "  hckg_tie = {https://a.nl (colophon)}\n}\n", "missing"),
])
def test_the_traceability_check_fails_on_a_bad_record(tmp_path, monkeypatch, bad, expected):
    """The checks can fail: a tie without a page address, or a record without a label, is refused."""
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "batch99.bib").write_text(bad, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "FRESH", fresh)
    monkeypatch.setattr(sys.modules[__name__], "_communities", lambda: {COMMUNITY + "x"})
    with pytest.raises(AssertionError, match=expected):
        test_every_fresh_record_is_labelled_and_traceable()
