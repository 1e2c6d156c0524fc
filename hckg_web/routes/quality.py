"""``/quality``: the measures of ``hckg quality`` as HTML tables, or as CSV, JSON and DQV by negotiation.

A thin adapter over ``hckg.reports.quality``: the same report, the same rows and the same RDF, so the page,
the downloads and the command never disagree.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..render.conneg import HTML, choose
from hckg.errors import BadParameter
from hckg.reports.quality import DIMENSIONS, QualityReport, measure, to_csv, to_json, to_rdf
from ..runtime.workers import NotAcceptable

from ..render.html import link, page, table
from ..runtime.state import state

router = APIRouter(tags=["data quality"])
VARY = {"Vary": "Accept"}
LANGS = ("en", "nl")

# (media type, format name, download label); the first is what a client without Accept gets.
OFFERS = (
    (HTML, "html", ""),
    ("text/csv", "csv", "CSV"),
    ("application/json", "json", "JSON"),
    ("text/turtle", "ttl", "Turtle (DQV)"),
    ("application/ld+json", "jsonld", "JSON-LD (DQV)"),
    ("application/n-triples", "nt", "N-Triples (DQV)"),
)
MEDIA_TYPES = {name: media for media, name, _ in OFFERS}


def _format(request: Request, fmt: str | None) -> str:
    """``format=`` when given (a link), else the best offer for the Accept header."""
    if fmt is not None:
        if fmt not in MEDIA_TYPES:
            raise BadParameter("format", fmt, f"one of {', '.join(MEDIA_TYPES)}")
        return fmt
    chosen = choose(request.headers.get("accept"), [(media, name) for media, name, _ in OFFERS])
    if chosen is None:
        raise NotAcceptable("the quality report is offered as " + ", ".join(MEDIA_TYPES.values()))
    return chosen


@router.get("/quality", summary="Completeness of the loaded data (HTML, CSV, JSON or DQV as Turtle/JSON-LD/N-Triples)")
async def quality(request: Request, format: str | None = None, lang: str = "en") -> Response:
    """The measures of ``hckg quality``: per class and property how many instances have a value,
    communities per province and challenge, sources per instance, identifiers linked, graphs loaded."""
    if lang not in LANGS:
        raise BadParameter("lang", lang, "en or nl")
    fmt = _format(request, format)
    app_state = state(request)
    report = await run_in_threadpool(measure, app_state.store(), lang)
    if fmt == "html":
        return HTMLResponse(_html(report, lang, app_state.settings.base_iri), headers=VARY)
    body = {"csv": to_csv, "json": to_json}[fmt](report) if fmt in ("csv", "json") else to_rdf(report, fmt)
    headers = dict(VARY)
    if format is not None:
        headers["Content-Disposition"] = f"attachment; filename=\"hckg-quality.{fmt}\""
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)


def _html(report: QualityReport, lang: str, base_iri: str) -> str:
    downloads = " · ".join(
        f"<a href=\"/quality?{escape(urlencode({'format': name, 'lang': lang}))}\">{escape(label)}</a>"
        for _, name, label in OFFERS if label)
    other = "nl" if lang == "en" else "en"
    parts = [
        f"<p>Computed at {escape(report.generated_at)} from the store, so data loaded later is measured too. "
        f"Download: {downloads}. <a href=\"/quality?lang={other}\">{'Nederlands' if other == 'nl' else 'English'}</a></p>",
        "<p class=\"muted\">A load time is when a graph was built, not when its sources were read: the data records "
        "no such date. A province or challenge with few communities may lack records rather than communities.</p>",
    ]
    for dimension, (en, nl) in DIMENSIONS.items():
        measures = [m for m in report.measures if m.dimension == dimension]
        if not measures:
            continue
        parts.append(f"<h2 id=\"{escape(dimension)}\">{escape(nl if lang == 'nl' else en)}</h2>")
        if dimension == "provenance":
            rows = [[escape(m.subject.rsplit("/graph/", 1)[-1]), escape(m.subject_label), str(m.count), escape(m.loaded_at)]
                    for m in measures]
            parts.append(table(("named graph (graph/…)", "source file", "triples", "loaded at"), rows))
            continue
        rows = []
        for m in measures:
            ratio = m.ratio
            rows.append([link(m.subject, base_iri, m.subject_label), escape(m.metric.label(lang)), str(m.count),
                         "" if m.total is None else str(m.total), "" if ratio is None else f"{ratio * 100:.1f}%"])
        parts.append(table(("subject", "metric", "count", "of", "share"), rows))
    title = "Datakwaliteit" if lang == "nl" else "Data quality"
    return page(title, "".join(parts))
