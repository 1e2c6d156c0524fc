"""Split each batch of the real publication set into a development and a held-out half, and check the split.

Why: the linker may be tuned on the development half only; the held-out half measures it once at the end.
The split is made per batch, at random, with a fixed seed (19000 + batch number), *before* anyone changes
the linker on that batch, and is committed at once. ``verify`` re-derives every split from the batch files,
so nobody can move a record between halves unnoticed.

    python tests/pubs_real/split.py split 2     # batches/batch2.bib -> dev/batch2.bib + heldout/batch2.bib
    python tests/pubs_real/split.py verify      # every batch: halves equal the re-derived split, byte for byte
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BATCHES = HERE / "batches"
HALVES = ("dev", "heldout")
SEED_BASE = 19000
_ENTRY_START = re.compile(r"^@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def seed_of(batch: int) -> int:
    return SEED_BASE + batch


def entries(text: str) -> dict[str, str]:
    """Entry key -> the entry's text, as written (from its ``@`` line to the next entry or the end)."""
    starts = list(_ENTRY_START.finditer(text))
    found: dict[str, str] = {}
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        key = match.group(2)
        if key in found:
            raise ValueError(f"duplicate entry key {key!r}")
        found[key] = text[match.start():end].rstrip() + "\n"
    return found


def split(batch: int, text: str) -> dict[str, str]:
    """The two halves' file texts for one batch: keys sorted, shuffled with the batch's seed, first half dev."""
    by_key = entries(text)
    keys = sorted(by_key)
    random.Random(seed_of(batch)).shuffle(keys)
    cut = (len(keys) + 1) // 2
    chosen = {"dev": sorted(keys[:cut]), "heldout": sorted(keys[cut:])}
    out = {}
    for half in HALVES:
        head = (f"% Real publication set, batch {batch}, {half} half: {len(chosen[half])} of {len(keys)} entries.\n"
                f"% Made by tests/pubs_real/split.py (seed {seed_of(batch)}); do not edit, edit batches/batch{batch}.bib.\n")
        body = "\n".join(by_key[k] for k in chosen[half])
        out[half] = head + "\n" + body
    return out


def _batch_number(path: Path) -> int:
    match = re.fullmatch(r"batch(\d+)\.bib", path.name)
    if not match:
        raise ValueError(f"{path}: batch files are named batchN.bib")
    return int(match.group(1))


def write(batch: int) -> list[Path]:
    source = BATCHES / f"batch{batch}.bib"
    halves = split(batch, source.read_text(encoding="utf-8"))
    written = []
    for half, text in halves.items():
        target = HERE / half / source.name
        if target.exists() and target.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{target} exists and differs from the split of {source}: a split is made once; "
                             "add new records in a new batch")
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def verify() -> list[str]:
    """Problems found (empty when every batch's halves equal its re-derived split)."""
    problems = []
    batch_files = sorted(BATCHES.glob("batch*.bib"))
    if not batch_files:
        problems.append(f"no batch files in {BATCHES}")
    names = {p.name for p in batch_files}
    for half in HALVES:
        for extra in sorted(p.name for p in (HERE / half).glob("batch*.bib") if p.name not in names):
            problems.append(f"{half}/{extra} has no batch file")
    for source in batch_files:
        batch = _batch_number(source)
        halves = split(batch, source.read_text(encoding="utf-8"))
        for half, text in halves.items():
            target = HERE / half / source.name
            if not target.exists():
                problems.append(f"{half}/{source.name} is missing (run: split.py split {batch})")
            elif target.read_text(encoding="utf-8") != text:
                problems.append(f"{half}/{source.name} differs from the split of {source.name} with seed {seed_of(batch)}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "split":
        for path in write(int(argv[2])):
            print(path.relative_to(HERE.parent.parent))
        return 0
    if len(argv) == 2 and argv[1] == "verify":
        problems = verify()
        for line in problems:
            print(line, file=sys.stderr)
        if not problems:
            print(f"ok: {len(list(BATCHES.glob('batch*.bib')))} batches, halves equal their seeded split")
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
