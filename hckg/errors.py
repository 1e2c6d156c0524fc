"""Errors a user can fix. Each carries the CLI exit code and the HTTP status the server will use.

Exit codes (documented in the README): 0 success, 1 bad input (data, query or parameter),
2 usage error (unknown command or option, missing file).
"""

from __future__ import annotations

from pathlib import Path


class HckgError(Exception):
    """A problem the user can fix; carries an exit code and an HTTP status."""

    exit_code = 1
    http_status = 400


class SourceError(HckgError):
    """A source file that cannot be read or mapped; names the file, the line and the rule broken."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, unreadable: bool = True) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = message
        self.unreadable = unreadable
        """True when the file cannot be read at all (syntax, encoding, header); False for a bad cell."""
        where = f"{self.path}:{line}" if line is not None else f"{self.path}"
        super().__init__(f"{where}: {message}")


class BuildFailed(HckgError):
    """A build that stopped; the previous store is left untouched."""

    def __init__(self, cause: HckgError) -> None:
        self.cause = cause
        super().__init__(f"{cause}; build stopped, the previous store is unchanged")


class StoreMissing(HckgError):
    """The store has not been built yet."""

    exit_code = 1
    http_status = 503

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"no store at {path}: run `hckg build` first")


class UnknownQuery(HckgError):
    """A saved query name that has no file in the queries folder."""

    http_status = 404

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"unknown saved query {name!r}; known queries: {', '.join(sorted(known))}")


class QueryFileError(HckgError):
    """A saved query file whose decorators or SPARQL do not parse."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class BadParameter(HckgError):
    """A parameter value that is missing, unknown or malformed; names the parameter, the value and the rule."""

    def __init__(self, name: str, value: str | None, rule: str) -> None:
        self.name = name
        self.value = value
        self.rule = rule
        shown = "(missing)" if value is None else repr(value if len(value) <= 80 else value[:77] + "...")
        super().__init__(f"parameter {name!r} = {shown}: {rule}")


class BadQuery(HckgError):
    """SPARQL text that does not parse or cannot run."""

    def __init__(self, message: str) -> None:
        super().__init__(f"SPARQL error: {message}")


class RemoteStoreEmpty(HckgError):
    """The remote engine holds none of HCKG's graphs yet."""

    http_status = 503

    def __init__(self, url: str) -> None:
        super().__init__(f"the SPARQL endpoint {url} holds no HCKG graphs: run `hckg build` first")
