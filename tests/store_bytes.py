"""A store's exact bytes: where its link points and the content of every file there.

A refused or killed write must leave the store byte-identical (not just the same quads): the link
still names the same folder, and no file in it changed, appeared or went.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def store_bytes(link: Path) -> dict[str, str]:
    """``{"->": link target, relative file path: sha256}`` for the store at ``link``.

    RocksDB's own LOG files are left out: opening a store read-only appends to them.
    """
    target = link.resolve()
    found = {"->": os.readlink(link) if link.is_symlink() else str(target)}
    for path in sorted(target.rglob("*")):
        if path.is_file() and not path.name.startswith("LOG"):
            found[str(path.relative_to(target))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
