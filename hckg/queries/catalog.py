"""Saved queries as files: read ``queries/*.rq`` and their grlc decorators.

grlc conventions (so the same folder works in grlc): ``#+ key: value`` YAML lines before the
query; parameters are variables ``?_name`` (required) or ``?__name`` (optional) with an optional
type suffix (``_iri``, ``_integer``, ``_en`` ...). Unlike grlc, a malformed header stops loading
and names the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import QueryFileError, UnknownQuery

XSD_SUFFIXES = ("integer", "decimal", "float", "double", "boolean", "date", "dateTime", "gYear", "string")
_PARAM = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z][A-Za-z0-9-]*))?\b")
VIEWS = ("map", "bar", "network")
"""Values of the ``#+ view:`` decorator, an HCKG extension: the query page draws the answer that way."""
_FORM = re.compile(r"^\s*(?:(?:PREFIX|BASE)\b[^\n]*\n\s*)*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.I)


@dataclass(frozen=True)
class Parameter:
    """One parameter of a saved query, read from its variable name and the decorators."""

    name: str
    variable: str
    kind: str
    """``iri``, ``literal`` (plain string), an XSD datatype name, or ``lang:<tag>``."""
    required: bool
    default: str | None = None
    enum: tuple[str, ...] = ()
    """The values the ``enumerate`` decorator lists (what grlc offers; HCKG asks the data, see below)."""
    values_query: Path | None = None
    """``internal/values-<name>.rq`` beside the query, when it exists: the query that lists the valid values."""


@dataclass(frozen=True)
class SavedQuery:
    """A ``queries/<name>.rq`` file: its metadata, parameters and SPARQL text."""

    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    form: str
    sparql: str
    parameters: tuple[Parameter, ...]
    decorators: dict[str, Any] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def view(self) -> str | None:
        """The ``#+ view:`` hint (map, bar or network): how the answer is best drawn; grlc ignores it."""
        return self.decorators.get("view")

    @property
    def view_value(self) -> str | None:
        """The ``#+ view-value:`` column a bar chart or map draws (default: the first numeric column)."""
        value = self.decorators.get("view-value")
        return None if value is None else str(value)


def split_decorators(text: str) -> tuple[str, str]:
    """The YAML of the leading ``#+`` lines and the rest of the file."""
    lines = text.splitlines(keepends=True)
    yaml_lines = []
    for i, line in enumerate(lines):
        if line.startswith("#+"):
            yaml_lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() == "" and not yaml_lines:
            continue
        else:
            return "".join(yaml_lines), "".join(lines[i:])
    return "".join(yaml_lines), ""


def _mapping_list(path: Path, key: str, value: Any) -> dict[str, Any]:
    """grlc writes ``defaults`` and ``enumerate`` as a list of one-key mappings."""
    if value is None:
        return {}
    if not isinstance(value, list) or not all(isinstance(v, dict) and len(v) == 1 for v in value):
        raise QueryFileError(path, f"decorator '{key}' must be a list of one-key mappings (grlc form)")
    merged: dict[str, Any] = {}
    for item in value:
        merged.update(item)
    return merged


def find_parameters(
    sparql: str, defaults: dict[str, Any], enums: dict[str, Any], folder: Path | None = None
) -> tuple[Parameter, ...]:
    """Parameters in order of first use; ``?_name_iri`` → name ``name``, kind ``iri``.

    An IRI parameter takes its valid values from ``<folder>/internal/values-<name>.rq`` when that
    file exists (and then a label as well as an IRI): grlc can only show the literal list of an
    enumerated one, HCKG checks against the data.
    """
    found: dict[str, Parameter] = {}
    for match in _PARAM.finditer(strip_comments_and_strings(sparql)):
        underscores, name, suffix = match.groups()
        if name in found:
            continue
        kind = _kind(suffix)
        default = defaults.get(name)
        enum = tuple(str(v) for v in (enums.get(name) or ()))
        found[name] = Parameter(
            name=name,
            variable=match.group(0)[1:],
            kind=kind,
            required=underscores == "_" and default is None,
            default=None if default is None else str(default).lower() if isinstance(default, bool) else str(default),
            enum=enum,
            values_query=_values_query(folder, name) if kind == "iri" else None,
        )
    return tuple(found.values())


def _values_query(folder: Path | None, name: str) -> Path | None:
    path = None if folder is None else folder / "internal" / f"values-{name}.rq"
    return path if path is not None and path.is_file() else None


def _kind(suffix: str | None) -> str:
    if suffix is None:
        return "literal"
    if suffix == "iri":
        return "iri"
    if suffix in XSD_SUFFIXES:
        return suffix
    return f"lang:{suffix}"


_TOKENS = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r'|(?P<var>[?$][A-Za-z0-9_]+)',
    re.S,
)


def tokens(sparql: str) -> list[tuple[str, str]]:
    """(kind, text) pieces of a query: comment, string, iri, var, or other text between them."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _TOKENS.finditer(sparql):
        if m.start() > pos:
            out.append(("other", sparql[pos : m.start()]))
        out.append((m.lastgroup or "other", m.group(0)))
        pos = m.end()
    if pos < len(sparql):
        out.append(("other", sparql[pos:]))
    return out


def strip_comments_and_strings(sparql: str) -> str:
    """The query with comments and string literals blanked, so a ``?_x`` in them is no parameter."""
    return "".join(" " if kind in ("comment", "string") else text for kind, text in tokens(sparql))


def load_query(path: Path) -> SavedQuery:
    """Parse one ``.rq`` file; a malformed header or unknown query form is an error naming the file."""
    text = path.read_text(encoding="utf-8")
    header, sparql = split_decorators(text)
    try:
        decorators = yaml.safe_load(header) or {}
    except yaml.YAMLError as err:
        raise QueryFileError(path, f"decorators are not valid YAML: {err}") from err
    if not isinstance(decorators, dict):
        raise QueryFileError(path, "decorators must be 'key: value' lines")
    if not decorators.get("summary"):
        raise QueryFileError(path, "missing '#+ summary:' decorator")
    form = _FORM.match(strip_comments_and_strings(sparql))
    if not form:
        raise QueryFileError(path, "no SELECT, CONSTRUCT, ASK or DESCRIBE after the prefixes")
    defaults = _mapping_list(path, "defaults", decorators.get("defaults"))
    enums = _mapping_list(path, "enumerate", decorators.get("enumerate"))
    tags = decorators.get("tags") or []
    if not isinstance(tags, list):
        raise QueryFileError(path, "decorator 'tags' must be a list")
    if decorators.get("view") is not None and decorators["view"] not in VIEWS:
        raise QueryFileError(path, f"decorator 'view' must be one of {', '.join(VIEWS)}, not {decorators['view']!r}")
    params = find_parameters(sparql, defaults, enums, path.parent)
    names = {p.name for p in params}
    for key in list(defaults) + list(enums):
        if key not in names:
            raise QueryFileError(path, f"decorator names parameter {key!r} that the query does not use")
    return SavedQuery(
        name=path.stem,
        path=path,
        summary=str(decorators["summary"]).strip(),
        description=str(decorators.get("description") or "").strip(),
        tags=tuple(str(t) for t in tags),
        form=form.group(1).upper(),
        sparql=sparql,
        parameters=params,
        decorators=decorators,
    )


def load_catalog(folder: Path) -> dict[str, SavedQuery]:
    """Every top-level ``*.rq`` in ``folder`` by name (subfolders hold internal queries, as in grlc)."""
    return {q.name: q for q in (load_query(p) for p in sorted(folder.glob("*.rq")))}


def get_query(folder: Path, name: str) -> SavedQuery:
    path = folder / f"{name}.rq"
    if "/" in name or name.startswith(".") or not path.is_file():
        raise UnknownQuery(name, sorted(p.stem for p in folder.glob("*.rq")))
    return load_query(path)
