"""Whole-dataset dump files for ``/dumps/``: gzipped, written once per data version, with an ETag.

The content is exactly what ``hckg export`` writes for the same format; the file name carries
the data version, so a rebuilt store gets new files and old ones are removed.
"""

from __future__ import annotations

import gzip
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from hckg.errors import HckgError
from hckg.reports.export import EXPORT_FORMATS, export
from hckg.formats import RDF_FORMATS
from hckg.store.base import Store


class UnknownDump(HckgError):
    http_status = 404

    def __init__(self, name: str) -> None:
        super().__init__(f"no dump {name!r}; dumps: {', '.join(dump_name(f) for f in EXPORT_FORMATS)}")


def dump_name(fmt: str) -> str:
    """The public file name of a dump, e.g. ``hckg.ttl.gz``."""
    return f"hckg.{RDF_FORMATS[fmt].extension}.gz"


def format_of(name: str) -> str:
    """The export format of a public dump file name; raises UnknownDump."""
    for fmt in EXPORT_FORMATS:
        if dump_name(fmt) == name:
            return fmt
    raise UnknownDump(name)


@dataclass(frozen=True)
class DumpFile:
    path: Path
    name: str
    fmt: str
    media_type: str
    """Media type of the content inside the gzip file."""
    etag: str
    last_modified: float
    size: int


class Dumps:
    """Dump files of the current data version, cached in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def get(self, store: Store, version: str, fmt: str) -> DumpFile:
        """The dump of ``store`` (whose data version is ``version``) as ``fmt``, written if not cached yet."""
        path = self.folder / f"hckg-{version}.{RDF_FORMATS[fmt].extension}.gz"
        with self._lock:
            if not path.exists():
                self.folder.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
                # mtime=0: the same data gives byte-identical files
                with open(partial, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
                    export(store, fmt, packed)
                os.replace(partial, path)
                self._remove_other_versions(version)
        stat = path.stat()
        return DumpFile(path, dump_name(fmt), fmt, RDF_FORMATS[fmt].media_type, f'"{version}-{fmt}"',
                        stat.st_mtime, stat.st_size)

    def _remove_other_versions(self, version: str) -> None:
        for old in self.folder.glob("hckg-*.gz"):
            if not old.name.startswith(f"hckg-{version}."):
                old.unlink(missing_ok=True)
