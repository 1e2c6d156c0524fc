"""The real labelled publication set (tests/pubs_real): its split holds and every record is usable and traceable.

Checks what can go wrong when records are added by hand: a record moved between halves, a label that names no
community of data/, a record without its source page, a file the importer cannot read.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.model import ParsingFailedBlock

from hckg.iris import slugify
from hckg.pubs.readers import read_bibtex
from hckg.pubs.records import BadRecord

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "pubs_real"
COMMUNITY = "https://w3id.org/hckg/id/community/"
REQUIRED = ("title", "url", "hckg_source", "hckg_community", "hckg_tie")


def _split_module():
    spec = importlib.util.spec_from_file_location("pubs_real_split", SET / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _communities() -> set[str]:
    with (ROOT / "data" / "learning_communities.csv").open(encoding="utf-8", newline="") as handle:
        return {COMMUNITY + slugify(row["name"]) for row in csv.DictReader(handle)}


def _bib_files(half: str) -> list[Path]:
    return sorted((SET / half).glob("*.bib"))


def _entries(path: Path):
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    failed = [b for b in library.blocks if isinstance(b, ParsingFailedBlock)]
    assert not failed, f"{path}: unparsable blocks {[b.raw[:60] for b in failed]}"
    return library.entries


def test_split_verifies():
    assert _split_module().verify() == []


def test_split_is_seeded_and_halves_the_batch():
    split = _split_module()
    text = "\n".join(f"@misc{{k{i},\n  title = {{t{i}}}\n}}\n" for i in range(9))
    first, again, other = split.split(7, text), split.split(7, text), split.split(8, text)
    assert first == again
    assert first != other
    keys = {half: set(split.entries(t.split("\n", 3)[3])) for half, t in first.items()}
    assert len(keys["dev"]) == 5 and len(keys["heldout"]) == 4
    assert keys["dev"].isdisjoint(keys["heldout"])


def test_verify_notices_a_moved_record(tmp_path, monkeypatch):
    split = _split_module()
    for half in ("batches", "dev", "heldout"):
        (tmp_path / half).mkdir()
    text = "\n".join(f"@misc{{k{i},\n  title = {{t{i}}}\n}}\n" for i in range(4))
    (tmp_path / "batches" / "batch1.bib").write_text(text, encoding="utf-8")
    monkeypatch.setattr(split, "HERE", tmp_path)
    monkeypatch.setattr(split, "BATCHES", tmp_path / "batches")
    halves = split.split(1, text)
    (tmp_path / "dev" / "batch1.bib").write_text(halves["heldout"], encoding="utf-8")
    (tmp_path / "heldout" / "batch1.bib").write_text(halves["dev"], encoding="utf-8")
    assert len(split.verify()) == 2


@pytest.mark.parametrize("half", ["dev", "heldout"])
def test_every_record_is_labelled_and_traceable(half):
    known = _communities()
    files = _bib_files(half)
    assert files, f"no .bib files in tests/pubs_real/{half}"
    for path in files:
        for entry in _entries(path):
            fields = {k.lower(): str(v.value).strip() for k, v in entry.fields_dict.items()}
            missing = [f for f in REQUIRED if not fields.get(f)]
            assert not missing, f"{path.name} entry {entry.key!r}: missing {missing}"
            assert fields["hckg_community"] in known, (
                f"{path.name} entry {entry.key!r}: {fields['hckg_community']} is no community of data/")
            for name in ("url", "hckg_source"):
                assert fields[name].startswith(("http://", "https://")), f"{path.name} {entry.key!r}: {name}"


def test_keys_and_titles_are_unique_across_the_set():
    keys, titles = [], []
    for half in ("dev", "heldout"):
        for path in _bib_files(half):
            for entry in _entries(path):
                keys.append(entry.key)
                titles.append(" ".join(str(entry.fields_dict["title"].value).lower().split()))
    assert len(keys) == len(set(keys))
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("half", ["dev", "heldout"])
def test_the_importer_reads_every_record(half):
    for path in _bib_files(half):
        read = read_bibtex(path, path.read_text(encoding="utf-8"))
        bad = [e for e in read if isinstance(e, BadRecord)]
        assert not bad, f"{path.name}: {bad}"
        assert len(read) == len(_entries(path))


def test_oai_dc_sample_repeats_dev_records_exactly():
    import xml.etree.ElementTree as ET

    ns = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
    dev = {e.key: {k.lower(): str(v.value) for k, v in e.fields_dict.items()}
           for path in _bib_files("dev") for e in _entries(path)}
    records = ET.parse(SET / "dev" / "oai_dc_sample.xml").getroot().findall(".//oai:record", ns)
    assert len(records) >= 3
    for record in records:
        key = record.find("oai:header/oai:identifier", ns).text.removeprefix("oai:hckg-sample:")
        assert key in dev, f"{key} is not a record of the development half"
        fields = dev[key]
        dc = {name: [el.text for el in record.iter(f"{{{ns['dc']}}}{name}")]
              for name in ("title", "creator", "date", "publisher", "description", "identifier")}
        assert dc["title"] == [fields["title"]]
        assert dc["creator"] == [a.strip() for a in fields.get("author", "").split(" and ") if a.strip()]
        assert dc["date"] == ([fields["year"]] if "year" in fields else [])
        assert dc["publisher"] == [fields.get("publisher") or fields.get("institution")]
        assert dc["description"] == ([fields["abstract"]] if "abstract" in fields else [])
        assert fields["url"] in dc["identifier"]


def test_baseline_scores_first_right_and_precision():
    spec = importlib.util.spec_from_file_location("pubs_real_baseline", SET / "baseline_dev.py")
    baseline = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(baseline)
    from hckg.pubs.suggest import Suggestion

    def s(title, target, trust):
        return Suggestion("p", "", title, target, "", trust, "TextSimilarity", "")

    labels = {"a": ("ka", "A"), "b": ("kb", "B"), "c": ("kc", "C")}
    result = baseline.score([s("A", "A", 0.9), s("B", "X", 0.6), s("B", "B", 0.55), s("C", "C", 0.2)], labels)
    at_default = next(c for c in result["curve"] if c["threshold"] == baseline.DEFAULT_MIN_TRUST)
    assert (at_default["first_right"], at_default["answered"], at_default["precision"]) == (1, 2, 0.5)
    assert at_default["gold_found"] == 2
    at_zero = next(c for c in result["curve"] if c["threshold"] == 0.0)
    assert (at_zero["first_right"], at_zero["answered"]) == (2, 3)
    assert {r["key"]: r["gold_rank"] for r in result["rows"]} == {"ka": 1, "kb": 2, "kc": 1}


@pytest.mark.parametrize("folder", ["tests/pubs_real/fresh3", "tests/pubs_real/fresh3/batch11", "tests/pubs_real/dev/../fresh3",
                                    "tests/pubs_real/Fresh3", "tests/pubs_real/FRESH_3", "tests/pubs_real/fresh-3",
                                    "/tmp/elsewhere/fresh3"])
def test_the_fit_script_refuses_the_fresh3_held_out_set(folder):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, str(root / "scripts" / "fit_pubs_trust.py"), "--set", folder],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "refused" in proc.stderr and "fresh3 held-out set" in proc.stderr


def test_the_fit_script_takes_the_spent_round2_set_as_development_data():
    """tests/pubs_real/fresh (round 2) was run once and is spent: the fit script reads it by default."""
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("fit_pubs_trust", root / "scripts" / "fit_pubs_trust.py")
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)
    assert fit.REAL / "fresh" in fit.DEFAULT_SETS
    fit.refuse_fresh(fit.REAL / "fresh")  # does not exit
    with pytest.raises(SystemExit):
        fit.refuse_fresh(fit.REAL / "fresh3")
