"""Whole-graph dumps for researchers: the same files the server will offer under /dumps/."""

from __future__ import annotations

from typing import IO

from ..formats import RDF_FORMATS
from ..store.base import Store

EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig", "nq")


def export(store: Store, fmt: str, out: IO[bytes]) -> None:
    """Write the store as ``fmt``: trig and nq keep named graphs, the others merge them."""
    store.dump(out, RDF_FORMATS[fmt].rdf)  # type: ignore[arg-type]
