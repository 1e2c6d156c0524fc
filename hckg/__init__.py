"""HCKG: the knowledge graph of the Dutch Topsectors' Roadmap Human Capital 2020-2023."""

from importlib import import_module

# The names below are loaded on first use (PEP 562), not at `import hckg`: every `hckg.*` import runs this
# file first, and the CLI must start without rdflib, pyshacl and pyoxigraph (issue 17).
_HOMES = {
    "BuildReport": ".gate.build", "build": ".gate.build",
    "Settings": ".config",
    "BadParameter": ".errors", "BadQuery": ".errors", "BuildFailed": ".errors", "HckgError": ".errors",
    "SourceError": ".errors", "StoreMissing": ".errors", "UnknownQuery": ".errors",
    "bind": ".queries.running", "run_saved": ".queries.running",
    "Store": ".store.base",
    "OxigraphStore": ".store.oxigraph", "open_store": ".store.oxigraph",
    "open_configured_store": ".store.open",
    "RemoteStore": ".store.remote",
}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        # A subpackage such as hckg.store, reachable as an attribute before because this file imported it.
        try:
            return import_module(f".{name}", __name__)
        except ModuleNotFoundError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_HOMES))


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
