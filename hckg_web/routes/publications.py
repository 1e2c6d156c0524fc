"""Publication routes (issue 7): a thin adapter over ``hckg.pubs``.

`GET /api/publications`, `GET /api/links?status=...`, and `POST /api/links/{key}/accept|reject`, the
last two only with the write token (``check_write_token``, as every other write) and through the gate.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from hckg.errors import HckgError
from hckg.pubs.links import STATUSES, list_links
from hckg.pubs.listing import list_publications

from .sparql import check_write_token
from ..runtime.state import state

router = APIRouter(tags=["publications"])


class BadStatus(HckgError):
    """A link status that is not suggested, accepted or rejected."""


@router.get("/api/publications", summary="Imported publications with their sources and accepted link targets")
async def publications(request: Request) -> dict[str, object]:
    rows = await run_in_threadpool(list_publications, state(request).store())
    return {"publications": [asdict(r) for r in rows]}


@router.get("/api/links", summary="Publication links, best trust first per publication; ?status=suggested|accepted|rejected")
async def links(request: Request, status: str | None = None) -> dict[str, object]:
    if status is not None and status not in STATUSES:
        raise BadStatus(f"status {status!r}: use one of {', '.join(STATUSES)}")
    rows = await run_in_threadpool(list_links, state(request).store(), status)
    return {"links": [asdict(r) for r in rows]}


async def _decide(request: Request, key: str, status: str, by: str | None) -> dict[str, object]:
    check_write_token(request)
    iri = await run_in_threadpool(state(request).writes.run, "decide", state(request).settings, key, status,
                                  by or "api")
    return {"link": iri, "status": status}


@router.post("/api/links/{key}/accept", summary="Accept a link (needs the write token); ?by=name records who")
async def accept(request: Request, key: str, by: str | None = None) -> dict[str, object]:
    return await _decide(request, key, "accepted", by)


@router.post("/api/links/{key}/reject", summary="Reject a link (needs the write token); ?by=name records who")
async def reject(request: Request, key: str, by: str | None = None) -> dict[str, object]:
    return await _decide(request, key, "rejected", by)
