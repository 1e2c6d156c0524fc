"""Pages from Jinja2 templates (``hckg_web/templates/``, every page extends ``base.html``).

One environment with autoescaping on, so a value from the store or the request is escaped unless
the code marks it as markup (only the SVG the chart and map builders draw). The filters are what
every page needs to turn data IRIs into links to the server's own pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"


def local_href(iri: str, base_iri: str) -> str:
    """The server's own path for an IRI under ``base_iri`` (``/id/...``, ``/def#Term``), else the IRI."""
    if iri.startswith(base_iri + "id/") or iri.startswith(base_iri + "def"):
        return "/" + iri[len(base_iri):]
    return iri


def _query_string(pairs: object) -> str:
    """``{'a': ['1', '2']}`` or ``[('a', '1')]`` as ``a=1&a=2`` (repeats kept: they are multi-values)."""
    if isinstance(pairs, dict):
        pairs = [(k, x) for k, v in pairs.items() for x in (v if isinstance(v, (list, tuple)) else [v])]
    return urlencode(list(pairs))  # type: ignore[call-overload]


def node_kind(node: object) -> str:
    """``iri``, ``literal`` or ``blank``: how a page shows a pyoxigraph term (a link, text, or its id)."""
    if isinstance(node, ox.NamedNode):
        return "iri"
    return "literal" if isinstance(node, ox.Literal) else "blank"


ENVIRONMENT = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True)
ENVIRONMENT.filters["local_href"] = local_href
ENVIRONMENT.filters["query_string"] = _query_string
ENVIRONMENT.globals["node_kind"] = node_kind


def render(template: str, **context: Any) -> str:
    """The page ``template`` filled with ``context`` (a missing name is an error, not an empty string)."""
    return ENVIRONMENT.get_template(template).render(**context)


def page(template: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """``render`` as an HTML response."""
    return HTMLResponse(render(template, **context), status_code=status_code, headers=headers)


def vendored(*paths: str) -> bool:
    """True when ``make vendor`` has put these files under static/vendor/ (a bare ``pip install`` has not)."""
    return all((VENDOR_DIR / p).is_file() for p in paths)
