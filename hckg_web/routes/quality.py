"""``/quality``: the measures of ``hckg quality`` as HTML tables, or as CSV, JSON and DQV by negotiation.

A thin adapter over ``hckg.reports.quality``: the same report, the same rows and the same RDF, so the page,
the downloads and the command never disagree.
"""

from __future__ import annotations


from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from ..render.conneg import HTML, choose
from hckg.errors import BadParameter
from hckg.reports.quality import DIMENSIONS, QualityReport, measure, to_csv, to_json, to_rdf
from ..runtime.workers import NotAcceptable

from ..render.templates import page
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
        return _html(report, lang, app_state.settings.base_iri)
    body = {"csv": to_csv, "json": to_json}[fmt](report) if fmt in ("csv", "json") else to_rdf(report, fmt)
    headers = dict(VARY)
    if format is not None:
        headers["Content-Disposition"] = f"attachment; filename=\"hckg-quality.{fmt}\""
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)


def _html(report: QualityReport, lang: str, base_iri: str) -> Response:
    sections = [(dimension, nl if lang == "nl" else en, [m for m in report.measures if m.dimension == dimension])
                for dimension, (en, nl) in DIMENSIONS.items()]
    return page("quality.html", headers=VARY, title="Datakwaliteit" if lang == "nl" else "Data quality", report=report,
                lang=lang, other="nl" if lang == "en" else "en", offers=[(n, label) for _, n, label in OFFERS if label],
                sections=[s for s in sections if s[2]], base_iri=base_iri)
