"""The fresh held-out sets of real publications (tests/pubs_real/fresh, fresh3): every record usable, traceable, new.

Why: each set measures the linker once, after it is final, on records nobody tuned on. What can go wrong when
records are added by hand: a file that does not parse, a label that names no community of data/, a record
without the pages that state its tie, a record that appears twice in a set, or a record that repeats one of an
earlier set (the 101 records of tests/pubs_real/batches the linker was developed on, and for round 3 also the
round-2 set fresh/, which became development data once it was run). One parametrised module checks every set;
the checks read the files with bibtexparser only: no linker or importer code runs on these records.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.model import ParsingFailedBlock

from hckg.iris import slugify

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "pubs_real"
ROUNDS = ("batches", "fresh", "fresh3")
"""Every labelled set in the order it was collected; a held-out set may repeat nothing of an earlier one."""
HELD_OUT = ROUNDS[1:]
COMMUNITY = "https://w3id.org/hckg/id/community/"
REQUIRED = ("title", "url", "hckg_source", "hckg_tie", "hckg_community")
URL_START = ("http://", "https://")


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("batch*.bib"))


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


def _records(folder: Path) -> list[tuple[str, str, dict[str, str]]]:
    return [(path.name, entry.key, _fields(entry)) for path in _files(folder) for entry in _entries(path)]


def check_traceable(folder: Path, known: set[str]) -> None:
    """Each record names a community of data/ and the http(s) pages that state its tie."""
    for name, key, fields in _records(folder):
        missing = [f for f in REQUIRED if not fields.get(f)]
        assert not missing, f"{folder.name}/{name} entry {key!r}: missing {missing}"
        assert fields["hckg_community"] in known, (
            f"{folder.name}/{name} entry {key!r}: {fields['hckg_community']} is no community of "
            "data/learning_communities.csv")
        for field in ("url", "hckg_source", "hckg_tie"):
            assert fields[field].startswith(URL_START), (
                f"{folder.name}/{name} entry {key!r}: {field} must start with the http(s) address of a page")


def check_unique(folder: Path) -> None:
    """No key or title appears twice in the set (a url may: one list page can carry several publications)."""
    records = _records(folder)
    for what, values in (("keys", [key for _, key, _ in records]),
                         ("titles", [_norm_title(f["title"]) for _, _, f in records])):
        twice = sorted({v for v in values if values.count(v) > 1})
        assert not twice, f"{folder.name}: {what} appear twice: {twice}"


def check_new(folder: Path, earlier: list[Path]) -> None:
    """No record repeats (key, title or url) a record of an earlier set."""
    old = [(key, fields) for f in earlier for _, key, fields in _records(f)]
    assert old, f"no records in the earlier sets {[f.name for f in earlier]} to compare with"
    old_keys = {key for key, _ in old}
    old_titles = {_norm_title(fields["title"]) for _, fields in old}
    old_urls = {_norm_url(fields["url"]) for _, fields in old if fields.get("url")}
    where = "/".join(f.name for f in earlier)
    for name, key, fields in _records(folder):
        assert key not in old_keys, f"{folder.name}/{name} entry {key!r}: key already used in {where}"
        assert _norm_title(fields["title"]) not in old_titles, f"{folder.name}/{name} entry {key!r}: title already in {where}"
        assert _norm_url(fields["url"]) not in old_urls, f"{folder.name}/{name} entry {key!r}: url already in {where}"


@pytest.fixture(params=HELD_OUT)
def held_out(request) -> Path:
    return SET / request.param


def test_files_exist_and_parse(held_out):
    files = _files(held_out)
    assert files, f"no batchN.bib files in {held_out}"
    for path in files:
        assert _entries(path), f"{held_out.name}/{path.name} holds no entries"


def test_every_record_is_labelled_and_traceable(held_out):
    check_traceable(held_out, _communities())


def test_keys_and_titles_are_unique_within_the_set(held_out):
    check_unique(held_out)


def test_no_record_repeats_a_record_of_an_earlier_set(held_out):
    check_new(held_out, [SET / name for name in ROUNDS[:ROUNDS.index(held_out.name)]])


def test_batch_files_are_not_shared_between_sets():
    """A batch number belongs to one set only, so a file cannot be in two sets under one name."""
    names = [p.name for name in ROUNDS for p in _files(SET / name)]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def test_set_is_wholly_held_out(held_out):
    """No held-out file may be split into the development half: each measurement uses every record once."""
    for half in ("batches", "dev", "heldout"):
        clashes = [p.name for p in _files(held_out) if (SET / half / p.name).exists()
                   and (SET / half / p.name).read_text(encoding="utf-8") == p.read_text(encoding="utf-8")]
        assert not clashes, f"{held_out.name} files copied into tests/pubs_real/{half}: {clashes}"
    dev_keys = {entry.key for path in (SET / "dev").glob("*.bib") for entry in _entries(path)}
    keys = {key for _, key, _ in _records(held_out)}
    assert not dev_keys & keys, f"{held_out.name} records in the development half: {sorted(dev_keys & keys)}"


KINDS = ("news", "interview", "article", "report", "page")


def check_kinds(folder: Path) -> None:
    """A set's kinds.csv, where it has one, names every record once, in its file, with a known kind."""
    path = folder / "kinds.csv"
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(r["key"], r["file"], r["kind"]) for r in csv.DictReader(handle)]
    unknown = sorted({kind for _, _, kind in rows} - set(KINDS))
    assert not unknown, f"{folder.name}/kinds.csv: unknown kinds {unknown}; expected {KINDS}"
    assert sorted((k, f) for k, f, _ in rows) == sorted((k, f) for f, k, _ in _records(folder)), (
        f"{folder.name}/kinds.csv does not list exactly the set's records (key, file)")


def test_record_kinds_cover_the_set(held_out):
    """Why: the set mixes research outputs and news; the kind lets a measurement be reported per kind."""
    check_kinds(held_out)
    if held_out.name == "fresh3":
        assert (held_out / "kinds.csv").exists(), "fresh3 has no kinds.csv"


def test_the_kinds_check_fails_on_a_missing_record(tmp_path):
    folder = _write(tmp_path / "fresh3", "batch99.bib", _record("k1", "T", "https://a.nl") + _record("k2", "U", "https://b.nl"))
    _write(folder, "kinds.csv", "key,file,kind\nk1,batch99.bib,news\n")
    with pytest.raises(AssertionError, match="exactly the set's records"):
        check_kinds(folder)

def _record(key: str, title: str, url: str, tie: str = "https://a.nl (colophon)", community: str = "x") -> str:
    return (f"@misc{{{key},\n  title = {{{title}}},\n  url = {{{url}}},\n  hckg_source = {{{url}}},\n"
            f"  hckg_tie = {{{tie}}},\n  hckg_community = {{{COMMUNITY}{community}}}\n}}\n")


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("bad, expected", [
    (_record("k", "T", "https://a.nl", tie="said on the page"), "hckg_tie"),
    ("@misc{k,\n  title = {T},\n  url = {https://a.nl},\n  hckg_source = {https://a.nl},\n"
     "  hckg_tie = {https://a.nl (colophon)}\n}\n", "missing"),
    (_record("k", "T", "https://a.nl", community="y"), "no community"),
])
def test_the_traceability_check_fails_on_a_bad_record(tmp_path, bad, expected):
    """The checks can fail: a tie without a page address, a record without a label, an unknown community."""
    folder = _write(tmp_path / "fresh3", "batch99.bib", bad)
    with pytest.raises(AssertionError, match=expected):
        check_traceable(folder, {COMMUNITY + "x"})


@pytest.mark.parametrize("second, expected", [
    (_record("k2", "A Title", "https://b.nl/2"), "titles appear twice"),
    (_record("k1", "Another", "https://b.nl/2"), "keys appear twice"),
])
def test_the_uniqueness_check_fails_on_a_repeated_record(tmp_path, second, expected):
    """The same title (however braced or cased), or the same key in another batch file, is refused."""
    _write(tmp_path / "fresh3", "batch98.bib", _record("k1", "A {T}itle", "https://a.nl/1"))
    folder = _write(tmp_path / "fresh3", "batch99.bib", second)
    with pytest.raises(AssertionError, match=expected):
        check_unique(folder)


@pytest.mark.parametrize("record, expected", [
    (_record("new", "Old  title", "https://n.nl"), "title already in batches/fresh"),
    (_record("new", "New title", "https://www.o.nl/page/"), "url already in batches/fresh"),
    (_record("old", "New title", "https://n.nl"), "key already used"),
])
def test_the_novelty_check_fails_on_a_record_of_an_earlier_set(tmp_path, record, expected):
    """A round-3 record that repeats a round-2 record (title, url or key) is refused, not only one of batches/."""
    batches = _write(tmp_path / "batches", "batch1.bib", _record("b", "Batch record", "https://b.nl"))
    fresh = _write(tmp_path / "fresh", "batch8.bib", _record("old", "Old Title", "http://o.nl/page"))
    folder = _write(tmp_path / "fresh3", "batch99.bib", record)
    with pytest.raises(AssertionError, match=expected):
        check_new(folder, [batches, fresh])


@pytest.mark.parametrize("folder", ["tests/pubs_real/fresh3", "tests/pubs_real/fresh3/", "./tests/pubs_real/fresh3",
                                    "tests/pubs_real/dev/../fresh3", "tests/pubs_real/fresh3/batch11.bib",
                                    str(SET / "fresh3")])
def test_the_fit_script_refuses_the_round_3_set(folder):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "fit_pubs_trust.py"), "--set", folder],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "refused" in proc.stderr and "round-3 held-out set" in proc.stderr
