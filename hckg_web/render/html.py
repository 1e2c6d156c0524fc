"""Server-rendered HTML: one layout, escaping everywhere, and links from data IRIs to local pages."""

from __future__ import annotations

from html import escape
from typing import Iterable

CSS = """
body{font-family:system-ui,sans-serif;max-width:72rem;margin:0 auto;padding:0 1rem 3rem;color:#222;line-height:1.45}
header{display:flex;gap:1.2rem;align-items:baseline;border-bottom:1px solid #ccc;padding:.6rem 0;margin-bottom:1rem}
header a{text-decoration:none}header .brand{font-weight:700;font-size:1.2rem}
table{border-collapse:collapse;width:100%;margin:.8rem 0;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}tr:nth-child(even) td{background:#fafafa}
code,textarea{font-family:ui-monospace,monospace}textarea{width:100%;min-height:14rem}
.muted{color:#666;font-size:.9rem}.flag{background:#fff3cd;padding:.4rem .6rem;border:1px solid #e0c36c}
.error{background:#fde2e1;padding:.4rem .6rem;border:1px solid #d9534f}
form label{display:block;margin:.5rem 0 .2rem;font-weight:600}input[type=text],select{min-width:24rem}
svg.chart,svg.province-map,svg.network{max-width:100%;height:auto}figure{margin:1rem 0}
.province.lacking text{fill:#8b1d12}.lacking{border-left:4px solid #c0392b;padding-left:.6rem}
"""


def page(title: str, body: str, status_note: str = "") -> str:
    """A whole HTML document with the site's header."""
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        # An empty inline icon: browsers otherwise ask for /favicon.ico and log its 404 as a console error.
        "<link rel=\"icon\" href=\"data:,\">"
        f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{escape(title)} · HCKG</title>"
        f"<style>{CSS}</style></head><body><header><a class=\"brand\" href=\"/\">HCKG</a>"
        "<a href=\"/queries\">saved queries</a><a href=\"/editor\">SPARQL editor</a><a href=\"/def\">ontology</a>"
        "<a href=\"/dumps/\">dumps</a><a href=\"/docs\">API</a>"
        "<a href=\"/monitor\">monitor</a><a href=\"/map\">map</a><a href=\"/quality\">data quality</a></header>"
        f"{status_note}<main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )


def local_href(iri: str, base_iri: str) -> str:
    """The server's own path for an IRI under ``base_iri`` (``/id/...``, ``/def#Term``), else the IRI."""
    if iri.startswith(base_iri + "id/") or iri.startswith(base_iri + "def"):
        return "/" + iri[len(base_iri):]
    return iri


def link(iri: str, base_iri: str, label: str | None = None) -> str:
    return f"<a href=\"{escape(local_href(iri, base_iri))}\">{escape(label or iri)}</a>"


def table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table whose cells are already HTML (escape before)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def results_table(document: dict, base_iri: str) -> str:  # type: ignore[type-arg]
    """A SPARQL JSON results document as an HTML table; IRIs become links."""
    variables = document["head"].get("vars", [])
    if "boolean" in document:
        return f"<p><strong>{'true' if document['boolean'] else 'false'}</strong></p>"

    def cell(binding: dict | None) -> str:  # type: ignore[type-arg]
        if binding is None:
            return ""
        if binding["type"] == "uri":
            return link(binding["value"], base_iri)
        text = escape(binding["value"])
        if binding.get("xml:lang"):
            text += f" <span class=\"muted\">@{escape(binding['xml:lang'])}</span>"
        return text

    rows = [[cell(b.get(v)) for v in variables] for b in document["results"]["bindings"]]
    return table(variables, rows)
