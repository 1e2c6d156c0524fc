"""One place for configuration: every setting has a name, a default and a help line.

Nothing else in HCKG reads ``os.environ``; the CLI and the server call ``Settings.from_env()`` once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RESOURCES = Path(__file__).resolve().parent / "_resources"
"""Where an installed wheel keeps ontology/, shapes/, queries/ and data/ (copied there by setup.py)."""


def shipped(name: str) -> Path:
    """The folder ``name`` of a checkout (``<repo>/name``), or of an installed wheel (``hckg/_resources/name``)."""
    source = PROJECT_ROOT / name
    if (PROJECT_ROOT / "pyproject.toml").is_file() and source.is_dir():
        return source
    return RESOURCES / name


def _meta(env: str, help: str) -> dict[str, str]:
    return {"env": env, "help": help}


@dataclass(frozen=True)
class Settings:
    """Runtime settings, read from ``HCKG_*`` environment variables."""

    store_path: Path = field(
        default=Path("var/store"),
        metadata=_meta("HCKG_STORE", "Directory of the embedded Oxigraph store (a symlink swapped on each build)."),
    )
    data_dir: Path = field(
        default=shipped("data"),
        metadata=_meta("HCKG_DATA", "Folder of curated sources (CSV tables and Turtle) that `hckg build` loads."),
    )
    ontology_dir: Path = field(
        default=shipped("ontology"),
        metadata=_meta("HCKG_ONTOLOGY", "Folder of the OWL ontology and SKOS schemes in Turtle."),
    )
    shapes_dir: Path = field(
        default=shipped("shapes"),
        metadata=_meta("HCKG_SHAPES", "Folder of SHACL shapes (Turtle) every build and load is validated against."),
    )
    queries_dir: Path = field(
        default=shipped("queries"),
        metadata=_meta("HCKG_QUERIES", "Folder of saved SPARQL queries (`*.rq` with grlc decorators)."),
    )
    gate: str = field(
        default="sparql",
        metadata=_meta("HCKG_GATE", "Validation engine of the gate: `sparql` (shapes compiled to SPARQL, fast) or `pyshacl`."),
    )
    extra_vocabularies: str = field(
        default="",
        metadata=_meta("HCKG_EXTRA_VOCABULARIES", "Space-separated namespace IRIs whose classes and predicates data may use besides the ontology and the vocabularies it reuses, and whose subjects need no type (the gate's closed-world rules)."),
    )
    host: str = field(default="127.0.0.1", metadata=_meta("HCKG_HOST", "Address `hckg serve` listens on."))
    port: int = field(default=8000, metadata=_meta("HCKG_PORT", "Port `hckg serve` listens on."))
    base_iri: str = field(
        default="https://w3id.org/hckg/",
        metadata=_meta("HCKG_BASE_IRI", "IRI base the server's `/id/...` and `/def` paths stand for (the data's base)."),
    )
    query_timeout_s: float = field(
        default=10.0,
        metadata=_meta("HCKG_TIMEOUT", "Seconds a server query may run before its worker is killed (answer 503)."),
    )
    row_cap: int = field(
        default=10_000,
        metadata=_meta("HCKG_ROW_CAP", "Most rows (or triples) one server answer returns; more is flagged as truncated."),
    )
    workers: int = field(default=2, metadata=_meta("HCKG_WORKERS", "Query worker processes of the server."))
    write_token: str = field(
        default="",
        metadata=_meta("HCKG_WRITE_TOKEN", "Bearer token that allows writes through the server; empty: read-only."),
    )
    allow_service: bool = field(
        default=False,
        metadata=_meta("HCKG_ALLOW_SERVICE", "`true` lets server queries use SERVICE (fetch other endpoints)."),
    )
    allow_load: bool = field(
        default=False,
        metadata=_meta("HCKG_ALLOW_LOAD", "`true` lets token SPARQL Updates use LOAD (the server fetches the URL); off: 403."),
    )
    max_nesting: int = field(
        default=200,
        metadata=_meta("HCKG_MAX_NESTING", "Deepest nesting of brackets, braces and parentheses a server query or update may have (deeper: 400, before parsing)."),
    )
    write_timeout_s: float = field(
        default=120.0,
        metadata=_meta("HCKG_WRITE_TIMEOUT", "Seconds a server write (Update, Graph Store) may run in its worker process before it is killed (answer 503, store unchanged)."),
    )
    express_workers: int = field(
        default=1,
        metadata=_meta("HCKG_EXPRESS_WORKERS", "Query worker processes kept for short queries when every other worker is busy."),
    )
    express_limit_s: float = field(
        default=0.5,
        metadata=_meta("HCKG_EXPRESS_LIMIT", "Seconds a query may run on an express worker before it goes back to wait for a regular one."),
    )
    spare_workers: int = field(
        default=1,
        metadata=_meta("HCKG_SPARE_WORKERS", "Started worker processes kept in reserve, so a killed worker is replaced at once."),
    )
    answer_cache_mb: int = field(
        default=64,
        metadata=_meta("HCKG_ANSWER_CACHE_MB", "Megabytes of serialised query answers the server keeps per store build (the same query, format and dataset answered again without a worker); 0: off."),
    )
    write_wait_s: float = field(
        default=120.0,
        metadata=_meta("HCKG_WRITE_WAIT", "Seconds a write waits for the one before it (the store's write lock) before giving up (answer 503)."),
    )
    endpoint: str = field(
        default="",
        metadata=_meta("HCKG_ENDPOINT", "SPARQL query URL of a remote engine; when set, HCKG uses it instead of the embedded store."),
    )
    update_endpoint: str = field(
        default="",
        metadata=_meta("HCKG_UPDATE_ENDPOINT", "SPARQL Update URL of the remote engine (default: `HCKG_ENDPOINT`)."),
    )
    gsp_endpoint: str = field(
        default="",
        metadata=_meta("HCKG_GSP_ENDPOINT", "Graph Store Protocol URL of the remote engine, for uploads; empty: upload by SPARQL Update."),
    )
    endpoint_user: str = field(
        default="", metadata=_meta("HCKG_ENDPOINT_USER", "User name for the remote engine (empty: no authentication)."))
    endpoint_password: str = field(
        default="", repr=False,
        metadata=_meta("HCKG_ENDPOINT_PASSWORD", "Password for the remote engine; never printed or logged."))
    endpoint_auth: str = field(
        default="basic",
        metadata=_meta("HCKG_ENDPOINT_AUTH", "HTTP authentication of the remote engine: `basic` or `digest` (Virtuoso's /sparql-auth)."),
    )
    endpoint_timeout_s: float = field(
        default=300.0,
        metadata=_meta("HCKG_ENDPOINT_TIMEOUT", "Seconds HCKG waits for one answer of the remote engine."),
    )

    @property
    def extra_namespaces(self) -> tuple[str, ...]:
        """``HCKG_EXTRA_VOCABULARIES`` split into namespace IRIs."""
        return tuple(self.extra_vocabularies.split())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``environ`` (default ``os.environ``); unset variables keep their default."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            if f.type in ("Path", Path):
                values[f.name] = Path(raw)
            elif f.type in ("float", float):
                values[f.name] = float(raw)
            elif f.type in ("int", int):
                values[f.name] = int(raw)
            elif f.type in ("bool", bool):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = raw
        return cls(**values)  # type: ignore[arg-type]


def documented_settings() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting, for the README and `--help`."""
    defaults = Settings()
    return [(f.metadata["env"], str(getattr(defaults, f.name)), f.metadata["help"]) for f in fields(Settings)]
