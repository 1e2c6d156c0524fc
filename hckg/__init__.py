"""HCKG: the knowledge graph of the Dutch Topsectors' Roadmap Human Capital 2020-2023."""

from .gate.build import BuildReport, build
from .config import Settings
from .errors import BadParameter, BadQuery, BuildFailed, HckgError, SourceError, StoreMissing, UnknownQuery
from .queries.running import bind, run_saved
from .store.base import Store
from .store.oxigraph import OxigraphStore, open_store
from .store.open import open_configured_store
from .store.remote import RemoteStore

__all__ = [
    "BadParameter",
    "BadQuery",
    "BuildFailed",
    "BuildReport",
    "HckgError",
    "OxigraphStore",
    "RemoteStore",
    "Settings",
    "SourceError",
    "Store",
    "StoreMissing",
    "UnknownQuery",
    "bind",
    "build",
    "open_configured_store",
    "open_store",
    "run_saved",
]
